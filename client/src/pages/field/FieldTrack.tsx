/**
 * 记录轨迹: the control that records my team's walked track of today's plan, what it has kept so far,
 * whether the screen is kept on, and — plainly — what a web page cannot do: it records only while it
 * is open, in front and the screen on, and goes on by itself when opened again.
 */
import { useI18n } from '../../app/use-i18n';
import { formatDistance } from '../../lib/format';
import { TRACK_MAX_ACCURACY_M } from '../../../../server/contract/track-rules';
import type { TrackSnapshot } from './track-recorder';
import type { WakeLock } from './use-wake-lock';
import './field-track.css';

interface FieldTrackProps {
  track: TrackSnapshot;
  wakeLock: WakeLock;
  teamName: string;
  /** The team's colour (its walked line on the map). */
  teamColor: string;
  /** Whether a GPS fix has arrived; while recording without one the card says it waits. */
  live: boolean;
  /** Track batches in the record queue not yet sent. */
  waitingBatches: number;
  onStart: () => void;
  onStop: () => void;
}

export function FieldTrack({ track, wakeLock, teamName, teamColor, live, waitingBatches, onStart, onStop }: FieldTrackProps) {
  const { t, lang } = useI18n();
  const wake = wakeLock.state;
  const wakeText =
    wake === 'on'
      ? t('field.track.wakeOn')
      : wake === 'unsupported'
        ? t('field.track.wakeUnsupported')
        : wake === 'refused'
          ? `${t('field.track.wakeRefused')}${wakeLock.reason ? ` (${wakeLock.reason})` : ''}`
          : t('field.track.wakeOff');
  const accuracy = track.lastAccuracyM === null ? null : Math.round(track.lastAccuracyM);
  return (
    <section
      className={`field-card field-track ${track.recording ? 'recording' : ''}`}
      data-testid="field-track"
      data-recording={track.recording}
      data-kept={track.kept}
      data-distance={Math.round(track.distanceM)}
      data-open={track.open}
      data-wake-lock={track.recording ? wake : undefined}
      aria-live="polite"
    >
      <p className="field-track-head">
        <strong>
          <span className="field-track-swatch" style={{ background: teamColor }} aria-hidden="true" />
          {track.recording ? t('field.track.recording', { team: teamName }) : track.kept > 0 ? t('field.track.stopped') : t('field.track.idle')}
        </strong>
        {track.recording ? (
          <button type="button" onClick={onStop} data-testid="field-track-stop">
            {t('field.track.stop')}
          </button>
        ) : (
          <button type="button" className="primary" onClick={onStart} data-testid="field-track-start">
            {track.kept > 0 ? t('field.track.resume') : t('field.track.start')}
          </button>
        )}
      </p>
      {(track.recording || track.kept > 0) && (
        <p>
          {t('field.track.stats', { n: track.kept, distance: formatDistance(track.distanceM, lang) })}
          {accuracy !== null &&
            ` · ${track.lastKept || accuracy <= TRACK_MAX_ACCURACY_M ? t('field.track.accuracy', { m: accuracy }) : t('field.track.tooVague', { m: accuracy, max: TRACK_MAX_ACCURACY_M })}`}
        </p>
      )}
      {(waitingBatches > 0 || track.open > 0) && (
        <p>
          {[waitingBatches > 0 && t('field.track.waiting', { n: waitingBatches }), track.open > 0 && t('field.track.open', { n: track.open })]
            .filter(Boolean)
            .join(' · ')}
        </p>
      )}
      {track.recording && !live && <p>{t('field.track.waitingFix')}</p>}
      {track.recording && <p className={wake === 'on' ? 'field-track-note' : 'field-track-warn'}>{wakeText}</p>}
      {track.error && <p className="field-track-warn">{t('field.track.error', { reason: track.error })}</p>}
      <small className="field-track-note">{t('field.track.limits')}</small>
    </section>
  );
}
