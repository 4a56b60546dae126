/** 红黑榜: subdistricts or units ranked by the composite score, best (red list) first, worst (black list) last. */
import { useState } from 'react';
import type { RankingResponse } from '../../../../server/schemas';
import { getRankings } from '../../api/workflow';
import { describeError } from '../../app/describe-error';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import type { ProblemFilters } from '../../lib/filters';

/** Groups at each end of the list marked red (best) and black (worst). */
const MARKED = 3;

export function RankingList({ filters }: { filters: ProblemFilters }) {
  const { t, lang } = useI18n();
  const [by, setBy] = useState<'subdistrict' | 'unit'>('subdistrict');
  const query = [`by=${by}`, filters.from && `from=${filters.from}`, filters.to && `to=${filters.to}`].filter(Boolean).join('&');
  const res = useRequest<RankingResponse>((signal) => getRankings(query, signal), [query]);
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  const rows = res.data?.rows ?? [];
  return (
    <section className="rankings" data-testid="rankings">
      <header className="rankings-head">
        <div className="chips" role="radiogroup" aria-label={t('rankings.by')}>
          {(['subdistrict', 'unit'] as const).map((b) => (
            <button key={b} type="button" className="chip" aria-pressed={by === b} onClick={() => setBy(b)}>
              {t(`rankings.by.${b}`)}
            </button>
          ))}
        </div>
        {res.data && (
          <small className="rankings-period">
            {res.data.from.slice(0, 10)} — {res.data.to.slice(0, 10)}
          </small>
        )}
      </header>
      {res.error && <p className="detail-warning">{describeError(res.error, t)}</p>}
      <table className="rankings-table">
        <thead>
          <tr>
            <th>{t('rankings.rank')}</th>
            <th>{t(by === 'subdistrict' ? 'ledger.col.subdistrict' : 'ledger.col.unit')}</th>
            <th>{t('rankings.score')}</th>
            <th>{t('rankings.found')}</th>
            <th>{t('rankings.per100')}</th>
            <th>{t('rankings.onTime')}</th>
            <th>{t('rankings.overdue')}</th>
            <th>{t('rankings.recurrence')}</th>
            <th>{t('rankings.pass')}</th>
            <th>{t('rankings.escalation')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const mark = r.rank <= MARKED ? 'red' : r.rank > rows.length - MARKED && rows.length > 2 * MARKED ? 'black' : '';
            return (
              <tr key={r.id} className={mark} data-testid={`ranking-${r.id}`}>
                <td>{r.rank}</td>
                <td>{r.name}</td>
                <td>
                  <strong>{r.score.toFixed(1)}</strong>
                </td>
                <td>{r.found.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US')}</td>
                <td>{r.per100Points ?? '—'}</td>
                <td>{pct(r.onTimeRate)}</td>
                <td>{r.overdue}</td>
                <td>{pct(r.recurrenceRate)}</td>
                <td>{pct(r.lookBackPassRate)}</td>
                <td>
                  {r.supervision > 0 && t('rankings.supervisionN', { n: r.supervision })}
                  {r.summons > 0 && ` · ${t('rankings.summonsN', { n: r.summons })}`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {res.data && <p className="rankings-formula">{t('rankings.formula')}</p>}
    </section>
  );
}
