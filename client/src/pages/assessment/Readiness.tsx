/**
 * 迎检准备: how many points are 达标 (checked lately, every item passed, nothing open), 未达标 or 超期未查,
 * by point type or subdistrict, against the assessment date; and the points behind, longest unvisited first.
 */
import { useState } from 'react';
import type { ReadinessResponse } from '../../../../server/contract/assessment';
import { READINESS_DAY_CHOICES } from '../../../../server/contract/assessment-rules';
import { getReadiness } from '../../api/assessment';
import { registryXlsxUrl } from '../../api/places';
import { describeError } from '../../app/describe-error';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { formatRate } from '../../lib/format';

const BEHIND_SHOWN = 12;

export function Readiness() {
  const { t } = useI18n();
  const [days, setDays] = useState<number>(30);
  const [by, setBy] = useState<'type' | 'subdistrict'>('type');
  const groups = useRequest<ReadinessResponse>((signal) => getReadiness({ days, by }, signal), [days, by]);
  const behind = useRequest<ReadinessResponse>((signal) => getReadiness({ days, by: 'point', limit: BEHIND_SHOWN }, signal), [days]);
  const data = groups.data;
  return (
    <section className="assessment-readiness" data-testid="assess-readiness">
      <header className="assessment-readiness-head">
        <h2>{t('assess.readiness')}</h2>
        <label>
          {t('assess.readyWithin')}{' '}
          <select value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="assess-days">
            {READINESS_DAY_CHOICES.map((d) => (
              <option key={d} value={d}>
                {t('assess.daysN', { n: d })}
              </option>
            ))}
          </select>
        </label>
        <div className="chips" role="radiogroup" aria-label={t('assess.by')}>
          {(['type', 'subdistrict'] as const).map((b) => (
            <button key={b} type="button" className="chip" aria-pressed={by === b} onClick={() => setBy(b)}>
              {t(`assess.by.${b}`)}
            </button>
          ))}
        </div>
        <a className="button" href={registryXlsxUrl()} download data-testid="registry-xlsx" title={t('assess.registryHint')}>
          {t('assess.registryXlsx')}
        </a>
        {data?.deadline && (
          <strong className="assessment-deadline" data-testid="assess-deadline">
            {t('assess.deadline', { name: data.deadline.name, start: data.deadline.start, n: data.deadline.daysLeft })}
          </strong>
        )}
      </header>
      {groups.error && <p className="detail-warning">{describeError(groups.error, t)}</p>}
      {data && (
        <>
          <p className="assessment-readiness-totals" data-testid="assess-ready-totals">
            {t('assess.readyTotals', {
              rate: formatRate(data.totals.readyRate),
              ready: data.totals.ready,
              notReady: data.totals.notReady,
              stale: data.totals.stale,
              total: data.totals.total,
            })}
          </p>
          <table className="assessment-table">
            <thead>
              <tr>
                <th>{t(`assess.col.${by}`)}</th>
                <th>{t('assess.readyRate')}</th>
                <th>{t('assess.ready')}</th>
                <th>{t('assess.notReady')}</th>
                <th>{t('assess.stale')}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.key}>
                  <td>{r.name}</td>
                  <td>
                    <span className="assessment-bar" style={{ ['--rate' as string]: r.readyRate ?? 0 }} />
                    {formatRate(r.readyRate)}
                  </td>
                  <td>{r.ready}</td>
                  <td className={r.notReady > 0 ? 'warn' : undefined}>{r.notReady}</td>
                  <td className={r.stale > 0 ? 'warn' : undefined}>{r.stale}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {behind.data && behind.data.points.length > 0 && (
        <div className="assessment-behind" data-testid="assess-behind">
          <h3>{t('assess.behind')}</h3>
          <ol>
            {behind.data.points.map((p) => (
              <li key={p.key} data-point={p.key}>
                <strong>{p.name}</strong> <small>{p.typeName}</small>
                {p.unitName && <small> · {p.unitName}</small>}
                <span className={`assessment-status ${p.status}`}>
                  {p.status === 'stale'
                    ? p.daysSinceVisit === null
                      ? t('assess.neverVisited')
                      : t('assess.daysSince', { n: p.daysSinceVisit })
                    : t('assess.notReadyWhy', { n: p.missing.length, open: p.openProblems })}
                </span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
