/**
 * 待审批申请 on the ledger page: the 延期, 申诉 and 退单 requests waiting for the 创文办, oldest first, each
 * with the case it is about and the decision in place (approve; refuse with the reason; a return is
 * approved by naming the unit it goes to) — and the 挂账 cases whose review date has come. A unit account
 * sees its own requests and their outcome.
 */
import { useState } from 'react';
import type { Meta } from '../../../../server/contract';
import type { RequestListRow } from '../../../../server/contract/requests';
import type { RequestStatus } from '../../../../server/contract/workflow';
import { getRequests, postDecision } from '../../api/requests';
import { describeError } from '../../app/describe-error';
import { ErrorBanner } from '../../app/ErrorBanner';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { formatCityTime } from '../../lib/format';
import { STATUS_COLORS } from '../../map/map-style';

interface RequestListProps {
  meta: Meta;
  /** False for a unit account: it asks, the office decides. */
  mayDecide: boolean;
  /** Problems changed elsewhere (live events): reload. */
  version: number;
  onSelect: (problemId: string) => void;
  /** A decision changed a case. */
  onDecided: () => void;
}

export function RequestList({ meta, mayDecide, version, onSelect, onDecided }: RequestListProps) {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState<RequestStatus>('open');
  const [own, setOwn] = useState(0);
  const list = useRequest((signal) => getRequests(status, signal), [status, version, own]);
  return (
    <div className="request-list" data-testid="request-list">
      <div className="chips" role="radiogroup" aria-label={t('requests.status')}>
        {(['open', 'approved', 'refused', 'lapsed'] as const).map((s) => (
          <button key={s} type="button" className="chip" aria-pressed={s === status} onClick={() => setStatus(s)} data-status={s}>
            {t(`requests.status.${s}`)}
          </button>
        ))}
      </div>
      {list.error && <ErrorBanner messages={[describeError(list.error, t)]} onRetry={list.retry} />}
      {list.loading && !list.data && <p className="muted">{t('panel.loading')}</p>}
      {list.data && (
        <p className="muted" data-testid="request-counts">
          {t('requests.counts', { extension: list.data.counts.extension, appeal: list.data.counts.appeal, return: list.data.counts.return })}
        </p>
      )}
      {list.data && list.data.reviews.length > 0 && (
        <section className="review-due" data-testid="reviews-due">
          <h3>{t('requests.reviews', { n: list.data.reviews.length })}</h3>
          <p className="muted">{t('requests.reviewHelp')}</p>
          <ul className="request-rows">
            {list.data.reviews.map((r) => (
              <li key={r.problemId} className="request-row kind-review" data-testid="review-row" data-problem={r.problemId}>
                <div className="request-head">
                  <strong>{t('status.held')}</strong>{' '}
                  <button type="button" className="link" onClick={() => onSelect(r.problemId)}>
                    {r.problemId}
                  </button>{' '}
                  {r.categoryName[lang]} · {r.location}
                </div>
                <div className="history-meta">
                  {r.unitName ?? '—'} · {t('workflow.review')} {formatCityTime(r.review)}
                </div>
                {r.plan && <p className="history-note">{r.plan}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
      {list.data?.requests.length === 0 && <p className="muted">{t(status === 'open' ? 'requests.noneOpen' : 'requests.none')}</p>}
      <ul className="request-rows">
        {list.data?.requests.map((r) => (
          <RequestRow
            key={r.id}
            r={r}
            meta={meta}
            mayDecide={mayDecide && r.status === 'open'}
            onSelect={onSelect}
            onDecided={() => {
              setOwn((n) => n + 1);
              onDecided();
            }}
          />
        ))}
      </ul>
    </div>
  );
}

function RequestRow({
  r,
  meta,
  mayDecide,
  onSelect,
  onDecided,
}: {
  r: RequestListRow;
  meta: Meta;
  mayDecide: boolean;
  onSelect: (id: string) => void;
  onDecided: () => void;
}) {
  const { t, lang } = useI18n();
  const [note, setNote] = useState('');
  const [unit, setUnit] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (approve: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await postDecision(r.problemId, r.id, { approve, note, ...(approve && r.kind === 'return' ? { unit } : {}) });
      onDecided();
    } catch (err) {
      setError(err instanceof Error ? describeError(err, t) : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className={`request-row kind-${r.kind}`} data-testid="request-row" data-problem={r.problemId} data-kind={r.kind}>
      <div className="request-head">
        <strong>{t(`requests.kind.${r.kind}`)}</strong>{' '}
        <button type="button" className="link" onClick={() => onSelect(r.problemId)}>
          {r.problemId}
        </button>{' '}
        {r.problem.categoryName[lang]} · {r.problem.location}
        {r.problem.overdue && (
          <span className="badge" style={{ background: STATUS_COLORS.overdue }}>
            {t('status.overdue')}
          </span>
        )}
      </div>
      <div className="history-meta">
        {r.unitName ?? '—'} · {r.askedBy} · {formatCityTime(r.askedAt)}
        {r.problem.deadline && ` · ${t('problem.deadline')} ${formatCityTime(r.problem.deadline)}`}
        {r.until && ` → ${t('requests.until')} ${formatCityTime(r.until)}`}
      </div>
      <p className="history-note">{r.reason}</p>
      {r.status !== 'open' && (
        <p className="history-meta">
          {t(`requests.status.${r.status}`)}
          {r.decidedBy && ` · ${r.decidedBy}`}
          {r.decidedAt && ` · ${formatCityTime(r.decidedAt)}`}
          {r.note && ` · ${r.note}`}
        </p>
      )}
      {mayDecide && (
        <div className="request-decide">
          <input
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder={t('requests.notePlaceholder')}
            aria-label={t('requests.note')}
            data-testid="request-note"
          />
          {r.kind === 'return' && (
            <select value={unit} onChange={(e) => setUnit(e.target.value)} aria-label={t('requests.reassignTo')} data-testid="request-unit">
              <option value="">{t('requests.reassignTo')}</option>
              {meta.units
                .filter((u) => u.id !== r.unitId)
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
            </select>
          )}
          <button
            type="button"
            className="primary"
            disabled={busy || (r.kind === 'return' && !unit)}
            onClick={() => void run(true)}
            data-testid="request-approve"
          >
            {t(r.kind === 'return' ? 'requests.reassign' : 'requests.approve')}
          </button>
          <button
            type="button"
            disabled={busy || note.trim() === ''}
            title={t('requests.refuseNeedsNote')}
            onClick={() => void run(false)}
            data-testid="request-refuse"
          >
            {t('requests.refuse')}
          </button>
        </div>
      )}
      {error && (
        <p className="detail-warning" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
