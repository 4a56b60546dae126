/**
 * One photo or clip of a problem in the detail panel: a photo as its thumbnail (opening the screen
 * copy), a clip as a player with its poster frame and length, where the photos are.
 */
import type { PhotoRef } from '../../../server/contract';
import { formatClipLength } from '../../../server/contract/media-rules';
import { useI18n } from '../app/use-i18n';
import './clip.css';

/** `compact`: a clip as its poster thumbnail with its length, opening the clip (a history step; the player is in the before/after columns). */
export function MediaThumb({ photo, compact = false }: { photo: PhotoRef; compact?: boolean }) {
  const { t } = useI18n();
  const farTitle = photo.far ? t('workflow.farPhoto', { m: photo.distanceM ?? 0 }) : null;
  if (photo.kind === 'video' && compact) {
    const length = formatClipLength(photo.durationMs ?? 0);
    return (
      <a href={photo.url} target="_blank" rel="noreferrer" className={`thumb clip-chip${photo.far ? ' far' : ''}`} title={t('video.open')}>
        <img src={photo.thumbUrl} alt={t('video.clip', { length })} loading="lazy" width={photo.width >= photo.height ? 96 : 64} />
        <span className="clip-length">▶ {length}</span>
      </a>
    );
  }
  if (photo.kind === 'video') {
    const length = formatClipLength(photo.durationMs ?? 0);
    const poster = photo.posterSource ? t(`video.poster.${photo.posterSource}`) : null;
    return (
      <figure className={`clip-thumb${photo.far ? ' far' : ''}`} data-testid="clip" data-hash={photo.hash}>
        <video
          controls
          preload="metadata"
          poster={photo.posterUrl ?? photo.screenUrl}
          src={photo.url}
          width={photo.width || undefined}
          height={photo.height || undefined}
          aria-label={t('video.player', { length })}
          title={[farTitle, photo.takenAt, poster].filter(Boolean).join(' · ')}
        />
        <figcaption>
          <span>
            {t('video.clip', { length })}
            {photo.far && <span className="far-flag"> · {t('workflow.far')}</span>}
          </span>
          <a href={photo.url} target="_blank" rel="noreferrer" title={t('video.open')}>
            ↗
          </a>
        </figcaption>
      </figure>
    );
  }
  return (
    <a href={photo.screenUrl} target="_blank" rel="noreferrer" className={`thumb${photo.far ? ' far' : ''}`} title={farTitle ?? photo.takenAt ?? ''}>
      <img src={photo.thumbUrl} alt="" loading="lazy" width={photo.width >= photo.height ? 96 : 64} />
      {photo.far && <span className="thumb-flag">{t('workflow.far')}</span>}
    </a>
  );
}
