/** 红黑榜: subdistricts or units ranked by the composite score, best (red list) first, worst (black list) last. */
import { formulaText } from '../../../../server/contract/ranking-formula';
import { useMemo, useState } from 'react';
import type { RankingResponse } from '../../../../server/contract';
import { getSubdistrictShapes } from '../../api/layers';
import { getRankings } from '../../api/ledger';
import { describeError } from '../../app/describe-error';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import type { ProblemFilters } from '../../lib/filters';
import { projectShapes, scoreColor, type ShapeGeometry } from './choropleth';
import { formatRate } from '../../lib/format';

const MAP_W = 360;
const MAP_H = 300;

/** Groups at each end of the list marked red (best) and black (worst). */
const MARKED = 3;

export function RankingList({ filters }: { filters: ProblemFilters }) {
  const { t, lang } = useI18n();
  const [by, setBy] = useState<'subdistrict' | 'unit'>('subdistrict');
  const { from, to } = filters;
  const grid = filters.grids.length ? [...filters.grids].sort().join(',') : undefined;
  const res = useRequest<RankingResponse>((signal) => getRankings({ by, from: from ?? undefined, to: to ?? undefined, grid }, signal), [by, from, to, grid]);
  const rows = res.data?.rows ?? [];
  const weight = res.data?.weights.assessment ?? 0;
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
        {grid && <small className="rankings-period">{t('rankings.inGrids')}</small>}
      </header>
      {res.error && <p className="detail-warning">{describeError(res.error, t)}</p>}
      <div className="rankings-body">
        {by === 'subdistrict' && rows.length > 0 && <RankingMap rows={rows} />}
        <table className="rankings-table">
          <thead>
            <tr>
              <th>{t('rankings.rank')}</th>
              <th>{t(by === 'subdistrict' ? 'ledger.col.subdistrict' : 'ledger.col.unit')}</th>
              <th>{t('rankings.score')}</th>
              {weight > 0 && <th>{t('rankings.assessmentRate')}</th>}
              <th>{t('rankings.found')}</th>
              <th>{t('rankings.per100')}</th>
              <th>{t('rankings.perVisit')}</th>
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
                  {weight > 0 && (
                    <td data-testid="ranking-assessment-rate" title={r.assessmentRate == null ? t('rankings.assessmentRate.none') : undefined}>
                      {formatRate(r.assessmentRate ?? null)}
                    </td>
                  )}
                  <td>{r.found.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US')}</td>
                  <td>{r.per100Points ?? '—'}</td>
                  <td title={t('rankings.visits', { n: r.visits })} data-visits={r.visits}>
                    {r.perVisit ?? '—'}
                  </td>
                  <td>{formatRate(r.onTimeRate)}</td>
                  <td>{r.overdue}</td>
                  <td>{formatRate(r.recurrenceRate)}</td>
                  <td>{formatRate(r.lookBackPassRate)}</td>
                  <td>
                    {r.supervision > 0 && t('rankings.supervisionN', { n: r.supervision })}
                    {r.summons > 0 && ` · ${t('rankings.summonsN', { n: r.summons })}`}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {res.data && (
        <p className="rankings-formula" data-testid="rankings-formula">
          {res.data.version
            ? t('rankings.formulaCity', { from: res.data.version.validFrom, formula: formulaText(res.data.version, lang) })
            : weight > 0
              ? t('rankings.formulaWeighted', { w: weight, handling: 100 - weight })
              : t('rankings.formula')}
          {res.data.changedInPeriod.length > 0 && ` ${t('rankings.formulaChanged', { days: res.data.changedInPeriod.join('、') })}`}
        </p>
      )}
    </section>
  );
}

/** The subdistricts coloured by score (black = lowest, red = highest), labelled with rank and name. */
function RankingMap({ rows }: { rows: RankingResponse['rows'] }) {
  const { t } = useI18n();
  const shapes = useRequest((signal) => getSubdistrictShapes(signal), []);
  const paths = useMemo(
    () =>
      shapes.data
        ? projectShapes(
            shapes.data.features.map((f) => ({ id: String(f.id), name: String(f.properties.name), geometry: f.geometry as unknown as ShapeGeometry })),
            MAP_W,
            MAP_H,
          )
        : [],
    [shapes.data],
  );
  const scores = rows.map((r) => r.score);
  const min = Math.min(...scores);
  const max = Math.max(...scores);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return (
    <figure className="ranking-map" data-testid="ranking-map">
      <svg viewBox={`0 0 ${MAP_W} ${MAP_H}`} role="img" aria-label={t('rankings.mapLabel')}>
        {paths.map((p) => {
          const r = byId.get(p.id);
          return (
            <path key={p.id} d={p.path} fill={r ? scoreColor(r.score, min, max) : '#ddd'} stroke="#fff" strokeWidth={1.5}>
              <title>{r ? `${r.rank}. ${p.name} ${r.score.toFixed(1)}` : p.name}</title>
            </path>
          );
        })}
        {paths.map((p) => {
          const r = byId.get(p.id);
          return (
            <text key={p.id} x={p.label[0]} y={p.label[1]} textAnchor="middle" dominantBaseline="middle" className="ranking-map-label">
              {r ? `${r.rank} ${p.name}` : p.name}
            </text>
          );
        })}
      </svg>
      <figcaption>{t('rankings.mapLegend')}</figcaption>
    </figure>
  );
}
