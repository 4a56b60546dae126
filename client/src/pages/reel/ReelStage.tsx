/**
 * One slide of the reel: the photo or clip large, 整改前 and 整改后 side by side where rectified, and
 * beside them what the room must read — the category in its colour, the place, the subdistrict and
 * unit, when it was reported and how long it has been open — over the small locator map. The map stays
 * mounted under the title and end cards too, so its tiles are in before the first slide.
 */
import { lazy, Suspense, useEffect, useRef } from 'react';
import { withScreenToken } from '../../api/client';
import type { ReelMedia, ReelSlide } from '../../api/reel';
import type { Meta } from '../../api/types';
import { useI18n } from '../../app/use-i18n';
import { formatCityTime } from '../../lib/format';
import { openDaysPhrase, type ReelFrame } from './reel-slides';

const ReelMap = lazy(() => import('./ReelMap').then((m) => ({ default: m.ReelMap })));

export interface ReelStageProps {
  meta: Meta;
  slide: ReelSlide;
  /** 0-based place of the slide in the reel. */
  index: number;
  total: number;
  frame: ReelFrame;
  /** Which of the slide's frames is up, of how many. */
  frameIndex: number;
  frameCount: number;
  /** False under the title and end cards: nothing plays, and the stage is hidden from tests and readers. */
  shown: boolean;
  playing: boolean;
  onClipEnded: (src: string) => void;
}

/** The slide; see the module comment. */
export function ReelStage(props: ReelStageProps) {
  const { meta, slide, index, total, frame, frameIndex, frameCount, shown, playing, onClipEnded } = props;
  const { t, lang } = useI18n();
  const days = openDaysPhrase(slide);
  const pair = frame.after !== null;
  const area = [meta.districts.length > 1 ? slide.districtName : null, slide.subdistrictName].filter(Boolean).join(' · ');
  return (
    <div
      className="reel-stage"
      data-testid={shown ? 'reel-slide' : undefined}
      data-problem-id={shown ? slide.id : undefined}
      data-frame={shown ? frameIndex : undefined}
      aria-hidden={shown ? undefined : true}
      aria-label={shown ? t('reel.slideLabel', { n: index + 1, total }) : undefined}
      role={shown ? 'group' : undefined}
    >
      <div className={`reel-media${pair ? ' reel-media-pair' : ''}`} data-box="media">
        {shown && (
          <>
            <Figure media={frame.before} label={pair ? t('reel.before') : null} tone="before" playing={playing} onClipEnded={onClipEnded} />
            {pair && <Figure media={frame.after} label={t('reel.after')} tone="after" playing={playing} onClipEnded={onClipEnded} />}
          </>
        )}
        {shown && frameCount > 1 && <div className="reel-frame-count">{t('reel.photoOf', { n: frameIndex + 1, total: frameCount })}</div>}
      </div>
      <aside className="reel-info" data-box="info">
        <div className="reel-info-head">
          <span className="reel-category" style={{ '--cat': slide.color } as React.CSSProperties} data-testid="reel-category">
            {lang === 'zh' ? slide.categoryName.zh : slide.categoryName.en}
          </span>
          <span className="reel-info-count">
            {index + 1} / {total}
          </span>
        </div>
        <p className="reel-desc" title={slide.description}>
          {slide.description}
        </p>
        <dl className="reel-facts">
          <dt>{t('reel.location')}</dt>
          <dd className="reel-location">{slide.location}</dd>
          {(area || slide.unitName) && (
            <>
              <dt>{t('reel.area')}</dt>
              <dd>
                {area}
                {area && slide.unitName ? ' · ' : ''}
                {slide.unitName}
              </dd>
            </>
          )}
          <dt>{t('reel.reportedAt')}</dt>
          <dd data-testid="reel-reported">{formatCityTime(slide.reportedAt)}</dd>
        </dl>
        <div className={`reel-days reel-${days.tone}`} data-testid="reel-days">
          {t(days.key, days.params)}
          {slide.overdue && <span className="reel-overdue">{t('reel.overdue')}</span>}
        </div>
        <div className="reel-map" data-box="map">
          <Suspense fallback={null}>
            <ReelMap meta={meta} lngLat={slide.lngLat} color={slide.color} slideIndex={index} />
          </Suspense>
        </div>
      </aside>
    </div>
  );
}

function Figure({
  media,
  label,
  tone,
  playing,
  onClipEnded,
}: {
  media: ReelMedia | null;
  label: string | null;
  tone: 'before' | 'after';
  playing: boolean;
  onClipEnded: (src: string) => void;
}) {
  const { t } = useI18n();
  return (
    <figure className={`reel-figure reel-figure-${tone}`} data-testid={`reel-${tone}`}>
      {media === null ? (
        <div className="reel-nophoto">{t('reel.noPhoto')}</div>
      ) : media.kind === 'video' ? (
        <Clip key={media.src} media={media} playing={playing} onEnded={onClipEnded} />
      ) : (
        <img key={media.src} src={withScreenToken(media.src)} width={media.width} height={media.height} alt={label ?? t('reel.photo')} />
      )}
      {label && <figcaption className="reel-figure-label">{label}</figcaption>}
      {media?.review === 'unchecked' && <span className="reel-unchecked">{t('reel.unchecked')}</span>}
    </figure>
  );
}

/** A clip, muted (browsers only autoplay muted video), paused with the reel; its end moves the reel on. */
function Clip({ media, playing, onEnded }: { media: ReelMedia; playing: boolean; onEnded: (src: string) => void }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current!;
    if (!playing) {
      video.pause();
      return;
    }
    video.play().catch((err: unknown) => {
      // Refused (autoplay policy) or unplayable here: the frame's photo time and the poster stand in.
      // An AbortError is a pause that came first: the next play resumes it.
      if (err instanceof DOMException && (err.name === 'NotAllowedError' || err.name === 'NotSupportedError')) onEnded(media.src);
      else if (!(err instanceof DOMException && err.name === 'AbortError')) throw err;
    });
  }, [playing, media.src, onEnded]);
  return (
    <video
      ref={ref}
      src={withScreenToken(media.src)}
      poster={media.posterUrl ? withScreenToken(media.posterUrl) : undefined}
      width={media.width}
      height={media.height}
      muted
      playsInline
      autoPlay={playing}
      preload="auto"
      onEnded={() => onEnded(media.src)}
      onError={() => onEnded(media.src)}
      data-testid="reel-clip"
    />
  );
}
