/**
 * 我的点位: the points the signed-in account answers for — as 包抓领导 or as 点位长 — worst first, with how
 * each stands for the assessment (达标 / 未达标 / 超期未查), its open problems and its latest check (when, by
 * whom), and one button to plan a visit to the ones behind. "深入到包抓点位" starts here.
 */
import { useState } from 'react';
import { getMyPlaces } from '../../api/places';
import { describeError } from '../../app/describe-error';
import type { PageProps } from '../../app/pages';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import './mine.css';

const DAYS = [7, 14, 30, 60] as const;

export function MyPlacesPage({ me }: PageProps) {
  const { t } = useI18n();
  const [days, setDays] = useState<number>(30);
  const mine = useRequest((signal) => getMyPlaces(days, signal), [days]);
  const data = mine.data;
  const behind = data ? data.points.filter((p) => p.status === 'not-ready' || p.status === 'stale') : [];

  return (
    <div className="mine-page" data-testid="mine-page">
      <header className="mine-head">
        <h1>{t('mine.title')}</h1>
        <p className="muted">{t('mine.who', { name: me.user?.displayName ?? '' })}</p>
        <label className="mine-days">
          {t('assess.readyWithin')}
          <select value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="mine-days">
            {DAYS.map((d) => (
              <option key={d} value={d}>
                {t('mine.days', { n: d })}
              </option>
            ))}
          </select>
        </label>
      </header>
      {mine.loading && !data && <p role="status">{t('mine.loading')}</p>}
      {mine.error && (
        <p className="form-error" role="alert">
          {describeError(mine.error, t)}{' '}
          <button type="button" className="link" onClick={mine.retry}>
            {t('mine.retry')}
          </button>
        </p>
      )}
      {data && data.points.length === 0 && (
        <div className="mine-empty" data-testid="mine-empty">
          <p>{t('mine.empty')}</p>
          <p className="muted">{t('mine.emptyHow')}</p>
        </div>
      )}
      {data && data.points.length > 0 && (
        <>
          <div className="mine-summary">
            <p role="status" data-testid="mine-totals">
              {t('mine.totals', {
                total: data.totals.total,
                ready: data.totals.ready,
                notReady: data.totals.notReady,
                stale: data.totals.stale,
                open: data.totals.openProblems,
              })}
            </p>
            {behind.length > 0 && (
              <a className="button primary" href={`/plan?stops=${behind.map((p) => p.id).join(',')}`} data-testid="mine-plan">
                {t('mine.plan', { n: behind.length })}
              </a>
            )}
          </div>
          <table className="mine-table">
            <thead>
              <tr>
                <th>{t('mine.col.point')}</th>
                <th>{t('mine.col.as')}</th>
                <th>{t('mine.col.status')}</th>
                <th>{t('mine.col.open')}</th>
                <th>{t('mine.col.visit')}</th>
              </tr>
            </thead>
            <tbody>
              {data.points.map((p) => (
                <tr key={p.id} data-testid={`mine-point-${p.id}`}>
                  <td>
                    <a href={`/registry?c=${p.at[0].toFixed(6)},${p.at[1].toFixed(6)}&z=18`}>{p.name}</a>
                    <small className="muted">
                      {' '}
                      {p.typeName}
                      {p.subdistrictName ? ` · ${p.subdistrictName}` : ''}
                    </small>
                  </td>
                  <td data-label={t('mine.col.as')}>{p.as.map((a) => t(`mine.as.${a}`)).join('、')}</td>
                  <td>
                    <span className={`mine-status ${p.status}`}>{t(`mine.status.${p.status}`)}</span>
                    {p.missing.length > 0 && <small className="mine-missing">{p.missing.join('、')}</small>}
                  </td>
                  <td className={p.openProblems > 0 ? 'warn' : undefined} data-label={t('mine.col.open')}>
                    {p.openProblems}
                  </td>
                  <td data-label={t('mine.col.visit')}>
                    {p.lastVisitAt
                      ? t('mine.visit', { date: p.lastVisitAt.slice(0, 10), days: p.daysSinceVisit ?? 0, by: p.lastVisitBy ?? '' })
                      : t('assess.neverVisited')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
