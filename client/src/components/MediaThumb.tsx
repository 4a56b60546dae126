/**
 * One photo or clip of a problem in the detail panel: a photo as its thumbnail (opening the screen
 * copy), a clip as a player with its poster frame and length, where the photos are. For planners, its
 * check for public use (曝光前打码) below it: a badge, the 打码 button, and for a blurred photo a toggle
 * that shows the blurred copy instead of the original (the original, the record, is the default).
 */
import { useState, type ReactNode } from 'react';
import type { PhotoRef } from '../../../server/contract';
import { formatClipLength } from '../../../server/contract/media-rules';
import { useI18n } from '../app/use-i18n';
import './clip.css';
import './blur-editor.css';

interface MediaThumbProps {
  photo: PhotoRef;
  /** A clip as its poster thumbnail with its length, opening the clip (a history step; the player is in the before/after columns). */
  compact?: boolean;
  /** Opens the blur editor for this photo or clip; given to planners only, and then the check row shows. */
  onBlur?: () => void;
}

export function MediaThumb({ photo, compact = false, onBlur }: MediaThumbProps) {
  if (!onBlur || compact) return <Media photo={photo} compact={compact} blurred={false} />;
  return <Checked photo={photo} onBlur={onBlur} />;
}

/** The photo or clip with its check row: the state badge, 打码, and the blurred/original toggle. */
function Checked({ photo, onBlur }: { photo: PhotoRef; onBlur: () => void }) {
  const { t } = useI18n();
  const [blurred, setBlurred] = useState(false);
  const r = photo.redaction;
  const state = r?.status ?? 'unchecked';
  const canToggle = photo.kind !== 'video' && r?.status === 'blurred' && r.thumbUrl !== null;
  const label = t(`blur.state.${state}`);
  return (
    <div className={`media-item${photo.kind === 'video' ? ' clip' : ''}`} data-testid="media-item" data-hash={photo.hash}>
      <Media photo={photo} compact={false} blurred={canToggle && blurred} />
      <div className="media-check">
        <span className={`redaction-badge ${state}`} data-testid="redaction-badge" data-status={state} title={t('blur.stateTitle', { state: label })}>
          {label}
        </span>
        <button type="button" onClick={onBlur} title={t('blur.openTitle')} data-testid="blur-open">
          {t('blur.open')}
        </button>
        {canToggle && (
          <button type="button" aria-pressed={blurred} onClick={() => setBlurred((b) => !b)} title={t('blur.showBlurredTitle')} data-testid="blur-toggle">
            {t('blur.showBlurred')}
          </button>
        )}
      </div>
    </div>
  );
}

/** `blurred`: a photo's blurred copy (its check has one) instead of the original. */
function Media({ photo, compact, blurred }: { photo: PhotoRef; compact: boolean; blurred: boolean }): ReactNode {
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
  const copy =
    blurred && photo.redaction?.screenUrl && photo.redaction.thumbUrl ? { screen: photo.redaction.screenUrl, thumb: photo.redaction.thumbUrl } : null;
  return (
    <a
      href={copy?.screen ?? photo.screenUrl}
      target="_blank"
      rel="noreferrer"
      className={`thumb${photo.far ? ' far' : ''}${copy ? ' blurred' : ''}`}
      title={farTitle ?? photo.takenAt ?? ''}
    >
      <img src={copy?.thumb ?? photo.thumbUrl} alt="" loading="lazy" width={photo.width >= photo.height ? 96 : 64} data-testid="photo-thumb" />
      {photo.far && <span className="thumb-flag">{t('workflow.far')}</span>}
    </a>
  );
}
