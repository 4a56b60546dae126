/**
 * 测评迎检 — what the city would score on the on-site part of the 测评 today, and where it loses points:
 * the city's 得分率 and estimated score, its week-by-week trend, the scores by subdistrict, point type and
 * indicator, readiness against the assessment date, and the failed items ranked by points lost with the
 * places, units and photos behind them; and the 模拟测评 (mocks) with their reports.
 * Every figure comes from the inspectors' check results and the problems open at the points
 * (definitions: server/analytics/assessment-score.ts).
 */
import { useState } from 'react';
import type { LossesResponse, ScoresResponse } from '../../../../server/contract/assessment';
import { cityDate, DAY_MS } from '../../../../server/contract/city-time';
import { PLANNERS } from '../../../../server/contract/roles';
import { getAssessmentLosses, getAssessmentScores, type ScoreGrouping } from '../../api/assessment';
import { describeError } from '../../app/describe-error';
import type { PageProps } from '../../app/pages';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { Readiness } from './Readiness';
import { Mocks } from './Mocks';
import { CatalogVersions } from './CatalogVersions';
import './assessment.css';
import { formatRate } from '../../lib/format';

const DEFAULT_DAYS = 30;
const GROUPINGS = ['district', 'subdistrict', 'type', 'indicator'] as const satisfies readonly ScoreGrouping[];

export function AssessmentPage({ me, meta }: PageProps) {
  const { t } = useI18n();
  const [from, setFrom] = useState(() => cityDate(Date.now() - (DEFAULT_DAYS - 1) * DAY_MS));
  const [to, setTo] = useState(() => cityDate(Date.now()));
  const [by, setBy] = useState<(typeof GROUPINGS)[number]>('subdistrict');
  const valid = from <= to;
  const city = useRequest<ScoresResponse>(valid ? (signal) => getAssessmentScores({ by: 'city', from, to }, signal) : null, [from, to, valid]);
  const grouped = useRequest<ScoresResponse>(valid ? (signal) => getAssessmentScores({ by, from, to }, signal) : null, [by, from, to, valid]);
  const lossList = useRequest<LossesResponse>(valid ? (signal) => getAssessmentLosses({ from, to, limit: 20 }, signal) : null, [from, to, valid]);
  const row = city.data?.rows[0];

  return (
    <main className="assessment-page" data-testid="assessment-page">
      <header className="assessment-head">
        <h1>{t('nav.assessment')}</h1>
        <label>
          {t('assess.from')} <input type="date" value={from} max={to} onChange={(e) => e.target.value && setFrom(e.target.value)} data-testid="assess-from" />
        </label>
        <label>
          {t('assess.to')} <input type="date" value={to} min={from} onChange={(e) => e.target.value && setTo(e.target.value)} data-testid="assess-to" />
        </label>
        {city.data && <small className="assessment-version">{t('assess.version', { version: city.data.catalogVersion })}</small>}
      </header>
      {!valid && <p className="detail-warning">{t('assess.badWindow')}</p>}
      {city.error && <p className="detail-warning">{describeError(city.error, t)}</p>}
      {city.loading && !city.data && <p className="assessment-loading">{t('assess.loading')}</p>}
      {city.data && row && (
        <section className="assessment-kpis" data-testid="assess-kpis">
          <div className="assessment-kpi">
            <span>{t('assess.scoreRate')}</span>
            <strong data-testid="assess-rate">{formatRate(row.scoreRate)}</strong>
          </div>
          <div className="assessment-kpi">
            <span>{t('assess.estimated')}</span>
            <strong>{city.data.estimatedScore === null ? '—' : `${city.data.estimatedScore.toFixed(1)} / ${city.data.totalPoints}`}</strong>
          </div>
          <div className="assessment-kpi">
            <span>{t('assess.checked')}</span>
            <strong>{row.checked}</strong>
          </div>
          <div className={row.unchecked > 0 ? 'assessment-kpi warn' : 'assessment-kpi'}>
            <span>{t('assess.unchecked')}</span>
            <strong>{row.unchecked}</strong>
          </div>
          <Trend trend={city.data.trend} />
        </section>
      )}
      {city.data && row && row.checked === 0 && <p className="assessment-empty">{t('assess.noChecks')}</p>}
      <Readiness />
      <Mocks mayCreate={(PLANNERS as readonly string[]).includes(me.role)} />

      <div className="assessment-body">
        <section className="assessment-scores">
          <div className="chips" role="radiogroup" aria-label={t('assess.by')}>
            {/* A one-district city's district row would only repeat the city's score. */}
            {GROUPINGS.filter((g) => g !== 'district' || meta.districts.length > 1).map((g) => (
              <button key={g} type="button" className="chip" aria-pressed={by === g} onClick={() => setBy(g)} data-testid={`assess-by-${g}`}>
                {t(`assess.by.${g}`)}
              </button>
            ))}
          </div>
          {grouped.error && <p className="detail-warning">{describeError(grouped.error, t)}</p>}
          {grouped.data && (
            <table className="assessment-table" data-testid="assess-table">
              <thead>
                <tr>
                  <th>{t(`assess.col.${by}`)}</th>
                  <th>{t('assess.scoreRate')}</th>
                  <th>{t('assess.lost')}</th>
                  <th>{t('assess.checked')}</th>
                  <th>{t('assess.unchecked')}</th>
                </tr>
              </thead>
              <tbody>
                {grouped.data.rows.map((r) => (
                  <tr key={r.key} className={r.depth ? `depth-${r.depth}` : undefined}>
                    <td>{by === 'indicator' ? `${r.key} ${r.name}` : r.name}</td>
                    <td>
                      <span className="assessment-bar" style={{ ['--rate' as string]: r.scoreRate ?? 0 }} />
                      {formatRate(r.scoreRate)}
                    </td>
                    <td>{r.lost}</td>
                    <td>{r.checked}</td>
                    <td className={r.unchecked > 0 ? 'warn' : undefined}>{r.unchecked}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="assessment-losses" data-testid="assess-losses">
          <h2>{t('assess.losses')}</h2>
          {lossList.error && <p className="detail-warning">{describeError(lossList.error, t)}</p>}
          {lossList.data && lossList.data.rows.length === 0 && <p className="assessment-empty">{t('assess.noLosses')}</p>}
          <ol>
            {lossList.data?.rows.map((l) => (
              <li key={l.itemId} data-item={l.itemId}>
                <header>
                  <strong>{l.zh}</strong>
                  <span className="assessment-lost">−{l.lost}</span>
                </header>
                <small>
                  {l.typeName} · {l.indicator} {l.indicatorName} · {t('assess.failures', { n: l.failures, points: l.points })}
                </small>
                <ul>
                  {l.places.slice(0, 5).map((p) => (
                    <li key={p.pointId}>
                      {p.name}
                      {p.unitName && <span className="assessment-unit"> · {p.unitName}</span>}
                      {!p.failedAtCheck && <span className="assessment-open"> · {t('assess.byOpenProblem', { n: p.problemIds.length })}</span>}
                      {p.photos.slice(0, 2).map((src) => (
                        <img key={src} src={src} alt="" loading="lazy" />
                      ))}
                    </li>
                  ))}
                  {l.places.length > 5 && <li className="assessment-more">{t('assess.morePlaces', { n: l.places.length - 5 })}</li>}
                </ul>
              </li>
            ))}
          </ol>
        </section>
      </div>
      <CatalogVersions mayImport={me.role === 'admin'} />
    </main>
  );
}

const TREND_W = 240;
const TREND_H = 56;

/** The city's 得分率 week by week: a line over the weeks that had checks. */
function Trend({ trend }: { trend: ScoresResponse['trend'] }) {
  const { t } = useI18n();
  const known = trend.map((w, i) => ({ i, rate: w.scoreRate })).filter((w): w is { i: number; rate: number } => w.rate !== null);
  if (known.length < 2) return null;
  const x = (i: number) => (trend.length === 1 ? TREND_W / 2 : (i / (trend.length - 1)) * (TREND_W - 8) + 4);
  const y = (r: number) => TREND_H - 4 - r * (TREND_H - 8);
  return (
    <figure className="assessment-trend" aria-label={t('assess.trend')}>
      <svg viewBox={`0 0 ${TREND_W} ${TREND_H}`} width={TREND_W} height={TREND_H}>
        <polyline points={known.map((w) => `${x(w.i)},${y(w.rate)}`).join(' ')} fill="none" stroke="currentColor" strokeWidth={2} />
        {known.map((w) => (
          <circle key={w.i} cx={x(w.i)} cy={y(w.rate)} r={2.5}>
            <title>{`${trend[w.i].week} ${formatRate(w.rate)}`}</title>
          </circle>
        ))}
      </svg>
      <figcaption>{t('assess.trend')}</figcaption>
    </figure>
  );
}
