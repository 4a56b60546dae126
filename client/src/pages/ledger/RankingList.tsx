/**
 * 红黑榜: districts (a city of several), subdistricts or units ranked by the composite score, best (red
 * list) first, worst (black list) last; subdistricts and units also within one district. A district
 * office's account is ranked within its own district only, as the server holds it.
 */
import { formulaText } from '../../../../server/contract/ranking-formula';
import { useMemo, useState } from 'react';
import type { RankingGroup, RankingResponse } from '../../../../server/contract';
import { getLayer } from '../../api/layers';
import { getRankings, weeklyBriefingUrl } from '../../api/ledger';
import type { Me, Meta } from '../../api/types';
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

interface RankingListProps {
  meta: Meta;
  me: Me;
  filters: ProblemFilters;
}

export function RankingList({ meta, me, filters }: RankingListProps) {
  const { t, lang } = useI18n();
  const severalDistricts = meta.districts.length > 1;
  // A district office's account: the server ranks within its district whatever is asked, so nothing else is
  // offered (its meta lists its own district only); the scope still names it.
  const own = me.user?.districtId ?? null;
  const groups: RankingGroup[] = severalDistricts ? ['district', 'subdistrict', 'unit'] : ['subdistrict', 'unit'];
  const [by, setBy] = useState<RankingGroup>('subdistrict');
  // Opened with the ledger filtered to one district, the ranking starts within it.
  const [within, setWithin] = useState(() => (filters.districts.length === 1 ? filters.districts[0] : ''));
  // Districts are ranked against each other, never within one.
  const district = by === 'district' ? undefined : (own ?? (within || undefined));
  const { from, to } = filters;
  const grid = filters.grids.length ? [...filters.grids].sort().join(',') : undefined;
  const res = useRequest<RankingResponse>(
    (signal) => getRankings({ by, district, from: from ?? undefined, to: to ?? undefined, grid }, signal),
    [by, district, from, to, grid],
  );
  const rows = res.data?.by === by ? res.data.rows : [];
  const weight = res.data?.weights.assessment ?? 0;
  const briefing = by === 'unit' ? null : (id: string) => weeklyBriefingUrl(by === 'district' ? { district: id } : { subdistrict: id });
  const ownName = own ? (meta.districts.find((d) => d.id === own)?.name ?? own) : null;
  return (
    <section className="rankings" data-testid="rankings">
      <header className="rankings-head">
        <div className="chips" role="radiogroup" aria-label={t('rankings.by')}>
          {groups.map((b) => (
            <button key={b} type="button" className="chip" aria-pressed={by === b} onClick={() => setBy(b)} data-testid={`rankings-by-${b}`}>
              {t(`rankings.by.${b}`)}
            </button>
          ))}
        </div>
        {(severalDistricts || own) && by !== 'district' && (
          <label className="rankings-scope">
            <span>{t('rankings.scope')}</span>
            {ownName ? (
              <strong data-testid="rankings-scope">{ownName}</strong>
            ) : (
              <select value={within} onChange={(e) => setWithin(e.target.value)} data-testid="rankings-scope">
                <option value="">{t('rankings.scope.city')}</option>
                {meta.districts.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            )}
          </label>
        )}
        {res.data && (
          <small className="rankings-period">
            {res.data.from.slice(0, 10)} — {res.data.to.slice(0, 10)}
          </small>
        )}
        {grid && <small className="rankings-period">{t('rankings.inGrids')}</small>}
      </header>
      {res.error && <p className="detail-warning">{describeError(res.error, t)}</p>}
      <div className="rankings-body">
        {by !== 'unit' && rows.length > 0 && (
          <RankingMap layer={by === 'district' ? 'districts' : 'subdistricts'} rows={rows} onlyRanked={district !== undefined || own !== null} />
        )}
        <table className="rankings-table">
          <thead>
            <tr>
              <th>{t('rankings.rank')}</th>
              <th>{t(by === 'district' ? 'ledger.col.district' : by === 'subdistrict' ? 'ledger.col.subdistrict' : 'ledger.col.unit')}</th>
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
              {briefing && <th>{t('ledger.briefing')}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              // A short list (three districts) marks fewer at each end, so it is never all red.
              const ends = Math.min(MARKED, Math.floor(rows.length / 2));
              const mark = r.rank <= ends ? 'red' : r.rank > rows.length - ends ? 'black' : '';
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
                  {briefing && (
                    <td>
                      <a
                        href={briefing(r.id)}
                        target="_blank"
                        rel="noreferrer"
                        title={t('rankings.briefingOf', { name: r.name })}
                        data-testid="ranking-briefing"
                      >
                        {t('rankings.briefingOpen')}
                      </a>
                    </td>
                  )}
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

/**
 * The districts or subdistricts coloured by score (black = lowest, red = highest), labelled with rank
 * and name; `onlyRanked` draws just the ranked ones (one district's), so the map fits them.
 */
function RankingMap({ layer, rows, onlyRanked }: { layer: 'districts' | 'subdistricts'; rows: RankingResponse['rows']; onlyRanked: boolean }) {
  const { t } = useI18n();
  const shapes = useRequest((signal) => getLayer(layer, null, signal), [layer]);
  const ranked = onlyRanked ? rows.map((r) => r.id).join(',') : '';
  const paths = useMemo(() => {
    if (!shapes.data) return [];
    const keep = ranked ? new Set(ranked.split(',')) : null;
    return projectShapes(
      shapes.data.features
        .filter((f) => !keep || keep.has(String(f.id)))
        .map((f) => ({ id: String(f.id), name: String(f.properties.name), geometry: f.geometry as unknown as ShapeGeometry })),
      MAP_W,
      MAP_H,
    );
  }, [shapes.data, ranked]);
  const scores = rows.map((r) => r.score);
  const min = Math.min(...scores);
  const max = Math.max(...scores);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return (
    <figure className="ranking-map" data-testid="ranking-map">
      <svg viewBox={`0 0 ${MAP_W} ${MAP_H}`} role="img" aria-label={t(layer === 'districts' ? 'rankings.mapLabelDistricts' : 'rankings.mapLabel')}>
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
