/**
 * The field page's record list (every kind, newest first, with its state; the track's many batches
 * folded into one line) and the conflict notices:
 * a look-back refused because someone else moved the problem first is shown plainly, with who and
 * when, until the inspector taps "知道了" — or reports a new problem at the spot. Never resent.
 */
import type { Meta } from '../../api/types';
import { useI18n } from '../../app/use-i18n';
import type { QueuedRecord } from '../../lib/sync-queue';
import { cityHhmm } from './field-logic';
import { fieldQueue } from './queue';

type TransitionRecord = Extract<QueuedRecord, { kind: 'transition' }>;
type TrackRecord = Extract<QueuedRecord, { kind: 'track' }>;
type OtherRecord = Exclude<QueuedRecord, TrackRecord>;

interface FieldRecordsProps {
  records: readonly QueuedRecord[];
  owner: string;
  meta: Meta;
  /** "另报新问题": open the report at the problem's place with its category. */
  onReportAt: (r: TransitionRecord) => void;
}

/** One line saying what a record is. */
function useLabel(meta: Meta): (r: OtherRecord) => string {
  const { t, lang } = useI18n();
  return (r) => {
    switch (r.kind) {
      case 'report':
        return meta.categories.find((c) => c.id === r.payload.category)?.[lang] ?? r.payload.category;
      case 'check':
        return t('field.checkSummary', {
          name: r.payload.pointName,
          fail: r.payload.items.filter((i) => i.result === 'fail').length,
          n: r.payload.items.length,
        });
      case 'transition':
        return `${r.payload.to === 'closed' ? t('field.lookBackPass') : t('field.lookBackFail')} · ${r.payload.label}`;
    }
  };
}

/** The conflict notices (top of the page). */
export function ConflictNotices({ records, onReportAt }: Pick<FieldRecordsProps, 'records' | 'onReportAt'>) {
  const { t } = useI18n();
  const conflicts = records.filter((r): r is TransitionRecord => r.state === 'conflict' && r.kind === 'transition');
  if (conflicts.length === 0) return null;
  return (
    <section className="field-conflicts" aria-live="polite">
      {conflicts.map((r) => {
        const c = r.conflict;
        const what = c?.to ?? c?.status ?? 'reported';
        const text =
          c?.by && c.at
            ? t('field.conflict', {
                who: c.by,
                time: cityHhmm(c.at),
                what: t(`field.conflict.${(['closed', 'assigned', 'rectified'].includes(what) ? what : 'reported') as 'closed'}`),
              })
            : t('field.conflictUnknown', { status: c?.status ?? '?' });
        return (
          <article key={r.id} className="field-card field-conflict" role="alert" data-testid="field-conflict" data-problem={r.payload.problemId}>
            <p>
              <strong>{r.payload.label}</strong>
            </p>
            <p>{text}</p>
            <div className="field-conflict-actions">
              <button type="button" className="primary" onClick={() => void fieldQueue().dismiss(r.id)} data-action="dismiss">
                {t('field.conflictOk')}
              </button>
              {/* A look-back that found it not fixed: the problem is still there, so report it anew. */}
              {r.payload.to === 'assigned' && (
                <button
                  type="button"
                  data-action="report"
                  onClick={() => {
                    onReportAt(r);
                    void fieldQueue().dismiss(r.id);
                  }}
                >
                  {t('field.conflictReport')}
                </button>
              )}
            </div>
          </article>
        );
      })}
    </section>
  );
}

function RetryButton({ id, owner }: { id: string; owner: string }) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      onClick={() =>
        void fieldQueue()
          .retry(id)
          .then(() => fieldQueue().sync(owner))
      }
    >
      {t('field.retry')}
    </button>
  );
}

/**
 * The track's batches as one line (a walk queues one every minute or so; a line each would bury the
 * reports): how many, how many points, how many still to send; unfolded, one line per batch. A batch
 * the server refused unfolds it, so its retry is in sight.
 */
function TrackRecords({ records, owner }: { records: readonly TrackRecord[]; owner: string }) {
  const { t } = useI18n();
  const points = records.reduce((n, r) => n + r.payload.points.length, 0);
  const failed = records.some((r) => r.state === 'failed');
  const unsent = records.filter((r) => r.state !== 'sent').length;
  const state = failed ? 'failed' : unsent > 0 ? 'waiting' : 'sent';
  return (
    <li data-testid="field-track-records" data-state={state} data-batches={records.length} data-points={points} data-unsent={unsent}>
      <details open={failed}>
        <summary>
          <span className={`field-state ${state}`}>{t(`field.state.${state}`)}</span> {t('field.track.batches', { batches: records.length, points })}
          {unsent > 0 && state !== 'failed' && <small> · {t('field.pending', { n: unsent })}</small>}
        </summary>
        <ol>
          {[...records].reverse().map((r) => {
            const pts = r.payload.points;
            const held = r.state === 'sent' && r.resultId !== null ? Number(r.resultId) : null;
            return (
              <li key={r.id} data-testid="field-track-batch" data-state={r.state}>
                <span className={`field-state ${r.state}`}>{t(`field.state.${r.state}`)}</span> {t('field.track.batch', { n: pts.length })}
                <small>
                  {' '}
                  · {cityHhmm(pts[0].at)}–{cityHhmm(pts[pts.length - 1].at)}
                </small>
                {held !== null && held !== pts.length && <small> · {t('field.track.serverKept', { n: held })}</small>}
                {r.reason && r.state !== 'sent' && <small className="late"> · {r.reason}</small>}
                {r.state === 'failed' && <RetryButton id={r.id} owner={owner} />}
              </li>
            );
          })}
        </ol>
      </details>
    </li>
  );
}

/** The list of my records with their states; failed ones can be retried. */
export function FieldRecords({ records, owner, meta }: Omit<FieldRecordsProps, 'onReportAt'>) {
  const { t } = useI18n();
  const label = useLabel(meta);
  const tracks = records.filter((r): r is TrackRecord => r.kind === 'track');
  const others = records.filter((r): r is OtherRecord => r.kind !== 'track');
  return (
    <section className="field-queue" data-testid="field-queue">
      <h2>{t('field.records')}</h2>
      {records.length === 0 && <small>{t('field.noRecords')}</small>}
      <ol>
        {tracks.length > 0 && <TrackRecords records={tracks} owner={owner} />}
        {[...others].reverse().map((r) => (
          <li key={r.id} data-testid="field-record" data-state={r.state} data-kind={r.kind}>
            <span className={`field-state ${r.state}`}>{t(`field.state.${r.state}`)}</span> <small>{t(`field.kind.${r.kind}`)}</small> {label(r)}
            {r.resultId && r.kind === 'report' && <small> · {r.resultId}</small>}
            {r.reason && r.state !== 'sent' && r.state !== 'conflict' && <small className="late"> · {r.reason}</small>}
            {r.state === 'failed' && <RetryButton id={r.id} owner={owner} />}
          </li>
        ))}
      </ol>
    </section>
  );
}
