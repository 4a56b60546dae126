/**
 * 热点分析 — where problems keep coming back, where it is getting worse, where a campaign worked.
 * One deck.gl overlay on the city map: a heat map of every problem (binary attributes, the week window
 * filtered on the GPU), H3 cells coloured by emerging hot-spot class from /api/hotspots, and the
 * recurring sites from /api/recurring; a week slider with playback, the map's filters, a weekly
 * timeline of what is selected, ranked lists, and a link that opens the planner with the top sites.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { PickingInfo } from '@deck.gl/core';
import type { HotspotCollection, RecurringCollection } from '../../../../server/contract/hotspots';
import type { LngLat, ProblemCount } from '../../api/types';
import { describeError } from '../../app/describe-error';
import { ErrorBanner } from '../../app/ErrorBanner';
import type { PageProps } from '../../app/pages';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { useUrlSync } from '../../app/use-url-state';
import { filtersToQuery, sanitizeFilters, type ProblemFilters } from '../../lib/filters';
import { formatCount } from '../../lib/format';
import { heatData, heatLayer, hexLayer, sitesLayer } from '../../map/deck/layers';
import { HotspotMap, LABELS_BEFORE_ID } from '../../map/deck/HotspotMap';
import { buildMapStyle } from '../../map/map-style';
import {
  dayAttribute,
  countInWindow,
  daysOfWeeks,
  heatWeights,
  pointMask,
  weekOfDay,
  weekStartDate,
  weeklyCounts,
  type HeatWeight,
  type ProblemPoints,
} from '../../map/deck/points-bin';
import { FilterPanel } from '../../components/FilterPanel';
import { HotspotLegend } from './HotspotLegend';
import { getHotspotCell, getHotspots, getProblemPoints, getRecurring } from './hotspots-api';
import { Timeline } from './Timeline';
import './hotspots.css';

const PLAY_STEP_MS = 900;
/** performance.mark name of the first frame drawn with the heat map. */
export const FIRST_HEAT_MARK = 'xuncha:first-heat-frame';
/** Weeks shown at a time while playing, when the window was the whole span. */
const PLAY_WINDOW_WEEKS = 4;
const ANALYSIS_DEBOUNCE_MS = 350;
const FOCUS_ZOOM = 15;
const TOP_N = 10;
const RESOLUTIONS = [8, 9, 10] as const;
const MEASURES: HeatWeight[] = ['count', 'recurrences', 'lateDays'];

type Cell = HotspotCollection['features'][number];
type Site = RecurringCollection['features'][number];

/** The hotspot page for a loaded city. */
export function HotspotsPage({ meta, initial, lang: pageLang }: PageProps) {
  const { t, lang } = useI18n();
  const [filters, setFilters] = useState<ProblemFilters>(() =>
    sanitizeFilters(initial.filters, {
      categories: meta.categories.map((c) => c.id),
      subdistricts: meta.subdistricts.map((s) => s.id),
      units: meta.units.map((u) => u.id),
    }),
  );
  const [measure, setMeasure] = useState<HeatWeight>('count');
  const [show, setShow] = useState({ heat: true, hex: true, sites: true });
  const [extruded, setExtruded] = useState(false);
  const [colorBy, setColorBy] = useState<'class' | 'count'>('class');
  const [res, setRes] = useState<number>(9);
  const [range, setRange] = useState<[number, number] | null>(null);
  const [playing, setPlaying] = useState(false);
  const [selectedCell, setSelectedCell] = useState<string | null>(null);
  const [selectedSite, setSelectedSite] = useState<string | null>(null);
  const [focus, setFocus] = useState<{ center: LngLat; zoom: number; key: number } | null>(null);
  const [mapErrors, setMapErrors] = useState<string[]>([]);

  // Filters, the time window (as from/to) and the language live in the URL, so a copied link reopens this view.
  useUrlSync({ view: null, filters, lang: pageLang, hidden: [] });

  const points = useRequest(async (signal) => {
    const data = await getProblemPoints(signal);
    performance.mark('xuncha:points-decoded');
    return data;
  }, []);
  const p = points.data;
  const weeks = p?.weeks ?? 0;
  const win: [number, number] = range ?? [0, Math.max(0, weeks - 1)];

  // The filter panel's dates and the week slider are one time window: dates move the slider.
  const datesKey = `${filters.from ?? ''}|${filters.to ?? ''}`;
  const lastDates = useRef('');
  useEffect(() => {
    if (!p || datesKey === lastDates.current) return;
    lastDates.current = datesKey;
    const base = Date.parse(`${p.dictionary.baseDate}T00:00:00Z`);
    const toWeek = (date: string | null, fallback: number) =>
      date ? Math.min(weeks - 1, Math.max(0, weekOfDay(p, Math.round((Date.parse(`${date}T00:00:00Z`) - base) / 86_400_000)))) : fallback;
    const from = toWeek(filters.from, 0);
    const to = Math.max(from, toWeek(filters.to, weeks - 1));
    setRange(filters.from || filters.to ? [from, to] : null);
  }, [p, datesKey, weeks, filters.from, filters.to]);

  // Non-time filters: recomputed on a click, never on a slider step (which only moves a GPU uniform).
  const maskKey = [filters.categories, filters.statuses, filters.subdistricts, filters.units].map((l) => [...l].sort().join(',')).join('|');
  const mask = useMemo(() => (p ? pointMask(p, filters) : null), [p, maskKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const weights = useMemo(() => (p && mask ? heatWeights(p, measure, mask) : null), [p, mask, measure]);
  const day = useMemo(() => (p ? dayAttribute(p) : null), [p]);
  // One data object per points buffer and weights: the slider changes only the layer's filter range.
  const data = useMemo(() => (p && weights && day ? heatData(p.count, p.position, weights, day) : null), [p, weights, day]);
  const weekly = useMemo(() => (p && mask ? weeklyCounts(p, mask) : null), [p, mask]);
  const dayRange = p ? daysOfWeeks(p, win[0], win[1]) : null;
  const windowCounts = useMemo(() => (p && mask && dayRange ? countInWindow(p, mask, dayRange) : null), [p, mask, dayRange?.[0], dayRange?.[1]]); // eslint-disable-line react-hooks/exhaustive-deps
  const windowCount = windowCounts?.total ?? null;

  // The statistics follow the window once it rests (not on every playback step).
  const [analysisWin, setAnalysisWin] = useState<[number, number] | null>(null);
  useEffect(() => {
    if (!p || playing) return;
    const id = setTimeout(() => setAnalysisWin(win), ANALYSIS_DEBOUNCE_MS);
    return () => clearTimeout(id);
  }, [p, playing, win[0], win[1]]); // eslint-disable-line react-hooks/exhaustive-deps
  const query = p && analysisWin ? analysisQuery(p, filters, analysisWin) : null;
  const cells = useRequest(query !== null ? (signal) => getHotspots(`res=${res}&${query}`, signal) : null, [query, res]);
  const sites = useRequest(query !== null ? (signal) => getRecurring(`limit=50&${query}`, signal) : null, [query]);
  const history = useRequest(selectedCell && query !== null ? (signal) => getHotspotCell(selectedCell, `res=${res}&${query}`, signal) : null, [
    selectedCell,
    query,
    res,
  ]);

  // Playback: one week per step, keeping the window's width.
  useEffect(() => {
    if (!playing || weeks === 0) return;
    const id = setInterval(() => {
      setRange((r) => {
        const [a, b] = r ?? [0, weeks - 1];
        const width = b - a + 1 >= weeks ? PLAY_WINDOW_WEEKS : b - a + 1;
        if (b - a + 1 >= weeks) return [0, width - 1];
        if (b + 1 >= weeks) {
          setPlaying(false);
          return [a, b];
        }
        return [a + 1, b + 1];
      });
    }, PLAY_STEP_MS);
    return () => clearInterval(id);
  }, [playing, weeks]);

  const setWindow = (next: [number, number]) => {
    setRange(next);
    if (!p) return;
    // Keep the filter panel's dates on the window, so its count and a copied filter agree with the map.
    const from = weekStartDate(p, next[0]);
    const to = addDays(weekStartDate(p, next[1]), 6);
    lastDates.current = `${from}|${to}`;
    setFilters((f) => ({ ...f, from, to }));
  };

  const layers = useMemo(() => {
    const list = [];
    if (p && data) {
      list.push(heatLayer({ data, dayRange: daysOfWeeks(p, win[0], win[1]), measure, visible: show.heat, beforeId: LABELS_BEFORE_ID }));
    }
    list.push(hexLayer({ cells: cells.data, colorBy, extruded, selected: selectedCell, visible: show.hex, beforeId: LABELS_BEFORE_ID }));
    list.push(sitesLayer({ sites: sites.data, selected: selectedSite, visible: show.sites, beforeId: LABELS_BEFORE_ID }));
    return list;
  }, [p, data, win[0], win[1], measure, show, cells.data, colorBy, extruded, selectedCell, sites.data, selectedSite]); // eslint-disable-line react-hooks/exhaustive-deps

  // A performance mark at the first frame drawn with the heat layer: scripts/bench/hotspots-browser.ts reads it.
  const heatDrawn = useRef(false);
  const onAfterRender = () => {
    if (heatDrawn.current || !weights || !show.heat) return;
    heatDrawn.current = true;
    performance.mark(FIRST_HEAT_MARK);
  };

  const style = useMemo(() => buildMapStyle({ origin: window.location.origin, bbox: meta.city.bbox, problemQuery: '', hidden: ['problems'] }), [meta]);

  const onPick = (info: PickingInfo) => {
    const id = info.layer?.id;
    if (id === 'hotspot-cells' && info.object) {
      setSelectedCell((info.object as Cell).properties.h3);
      setSelectedSite(null);
    } else if (id === 'recurring-sites' && info.object) {
      setSelectedSite((info.object as Site).id);
    }
  };
  const flyTo = (center: LngLat) => setFocus((f) => ({ center, zoom: FOCUS_ZOOM, key: (f?.key ?? 0) + 1 }));

  const hotCells = useMemo(
    () =>
      (cells.data?.features ?? [])
        .filter((f) => f.properties.class.endsWith('-hot') || (f.properties.significant && f.properties.z > 0))
        .sort((a, b) => b.properties.z - a.properties.z)
        .slice(0, TOP_N),
    [cells.data],
  );
  const topSites = (sites.data?.features ?? []).slice(0, TOP_N);
  const stops = [...new Set(topSites.map((s) => s.properties.placeId ?? s.properties.latestProblemId))];
  const unitName = (id: string | null) => meta.units.find((u) => u.id === id)?.name ?? t('common.none');
  const categoryName = (id: string) => {
    const c = meta.categories.find((x) => x.id === id);
    return c ? (lang === 'zh' ? c.zh : c.en) : id;
  };
  const selected = selectedCell ? (cells.data?.features.find((f) => f.properties.h3 === selectedCell) ?? null) : null;
  const site = selectedSite ? (topSites.find((s) => s.id === selectedSite) ?? sites.data?.features.find((s) => s.id === selectedSite) ?? null) : null;

  const count: { data: ProblemCount | null; error: Error | null; loading: boolean; retry: () => void } = {
    data: windowCounts,
    error: null,
    loading: points.loading,
    retry: points.retry,
  };

  const banners = [
    ...mapErrors.map((m) => t('error.map', { message: m })),
    ...[points.error, cells.error, sites.error, history.error].filter((e): e is Error => e !== null).map((e) => describeError(e, t)),
  ];
  const empty = p !== null && windowCount === 0;
  const windowLabel = p ? t('hot.window', { from: weekStartDate(p, win[0]), to: addDays(weekStartDate(p, win[1]), 6), n: win[1] - win[0] + 1 }) : '';

  return (
    <div className="map-page hotspots-page">
      <aside className="sidebar" aria-label={t('nav.hotspots')}>
        <FilterPanel meta={meta} filters={filters} onChange={setFilters} count={count} datesValid />
        <section className="panel-section hot-controls" aria-label={t('hot.show')}>
          <h2>{t('hot.show')}</h2>
          <div className="hot-toggles">
            {(['heat', 'hex', 'sites'] as const).map((k) => (
              <label key={k}>
                <input type="checkbox" checked={show[k]} onChange={(e) => setShow((s) => ({ ...s, [k]: e.target.checked }))} data-testid={`hot-show-${k}`} />
                {t(`hot.${k}`)}
              </label>
            ))}
            <label>
              <input type="checkbox" checked={extruded} onChange={(e) => setExtruded(e.target.checked)} />
              {t('hot.extrude')}
            </label>
          </div>
          <label className="hot-field">
            {t('hot.measure')}
            <select value={measure} onChange={(e) => setMeasure(e.target.value as HeatWeight)} data-testid="hot-measure">
              {MEASURES.map((m) => (
                <option key={m} value={m}>
                  {t(`hot.measure.${m}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="hot-field">
            {t('hot.colorBy')}
            <select value={colorBy} onChange={(e) => setColorBy(e.target.value as 'class' | 'count')}>
              <option value="class">{t('hot.colorBy.class')}</option>
              <option value="count">{t('hot.colorBy.count')}</option>
            </select>
          </label>
          <label className="hot-field">
            {t('hot.res')}
            <select value={res} onChange={(e) => setRes(Number(e.target.value))} data-testid="hot-res">
              {RESOLUTIONS.map((r) => (
                <option key={r} value={r}>
                  {t(`hot.res.${r}`)}
                </option>
              ))}
            </select>
          </label>
        </section>
        <HotspotLegend measure={measure} showHeat={show.heat} showHex={show.hex} />
        <section className="panel-section hot-list" aria-labelledby="hot-cells-title">
          <h2 id="hot-cells-title">{t('hot.topCells')}</h2>
          {cells.loading && <p className="muted">{t('hot.loadingCells')}</p>}
          {!cells.loading && hotCells.length === 0 && <p className="muted">{t('hot.noHotCells')}</p>}
          <ol data-testid="hot-cells">
            {hotCells.map((f) => (
              <li key={f.id}>
                <button
                  type="button"
                  className={`link${f.id === selectedCell ? ' selected' : ''}`}
                  onClick={() => {
                    setSelectedCell(f.properties.h3);
                    setSelectedSite(null);
                    flyTo(f.properties.center);
                  }}
                >
                  <strong>{f.properties.class === 'no-pattern' ? t('hot.periodHot') : t(`class.${f.properties.class}`)}</strong>
                  <span>{t('hot.cellLine', { n: formatCount(f.properties.count, lang), z: f.properties.z.toFixed(1) })}</span>
                </button>
              </li>
            ))}
          </ol>
        </section>
        <section className="panel-section hot-list" aria-labelledby="hot-sites-title">
          <h2 id="hot-sites-title">{t('hot.topSites')}</h2>
          {sites.loading && <p className="muted">{t('hot.loadingCells')}</p>}
          {!sites.loading && topSites.length === 0 && <p className="muted">{t('hot.noSites')}</p>}
          <ol data-testid="hot-sites">
            {topSites.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  className={`link${s.id === selectedSite ? ' selected' : ''}`}
                  onClick={() => {
                    setSelectedSite(s.id);
                    flyTo(s.geometry.coordinates as LngLat);
                  }}
                >
                  <strong>
                    {categoryName(s.properties.category)} · {unitName(s.properties.unitId)}
                  </strong>
                  <span>{t('hot.siteLine', { n: s.properties.recurrences, d: Math.round(s.properties.meanReturnDays) })}</span>
                </button>
              </li>
            ))}
          </ol>
          {stops.length > 0 && (
            <a className="button hot-plan" href={`/plan?stops=${stops.map(encodeURIComponent).join(',')}`} data-testid="hot-plan">
              {t('hot.plan', { n: stops.length })}
            </a>
          )}
        </section>
      </aside>
      <section className="map-area">
        <HotspotMap
          style={style}
          fitBounds={meta.city.bbox}
          attribution={meta.city.attribution}
          layers={layers}
          focus={focus}
          ariaLabel={t('app.mapLabel')}
          onPick={onPick}
          onAfterRender={onAfterRender}
          onError={(m) => setMapErrors((list) => (list.includes(m) ? list : [...list, m]))}
        />
        <ErrorBanner messages={banners} onRetry={points.error ? points.retry : cells.error ? cells.retry : undefined} />
        {points.loading && (
          <div className="hot-overlay" role="status" data-testid="hot-loading">
            {t('hot.loadingPoints')}
          </div>
        )}
        {empty && (
          <div className="hot-overlay" role="status" data-testid="hot-empty">
            {t('hot.empty')}
          </div>
        )}
        {(selected || site) && (
          <div className="hot-detail" data-testid="hot-detail">
            <button type="button" className="ghost hot-detail-close" onClick={() => (setSelectedCell(null), setSelectedSite(null))}>
              {t('hot.clearSelection')}
            </button>
            {selected && !site && (
              <>
                <strong>{t(`class.${selected.properties.class}`)}</strong>
                <span>{t('hot.cellLine', { n: formatCount(selected.properties.count, lang), z: selected.properties.z.toFixed(2) })}</span>
                <span className="muted">
                  {t(selected.properties.class.endsWith('-cold') ? 'classHint.cold' : `classHint.${selected.properties.class as 'new-hot'}`)}
                </span>
              </>
            )}
            {site && (
              <>
                <strong>
                  {categoryName(site.properties.category)} · {unitName(site.properties.unitId)}
                </strong>
                <span>{t('hot.siteLine', { n: site.properties.recurrences, d: Math.round(site.properties.meanReturnDays) })}</span>
                <span className="muted">{site.properties.recurrenceDates.join(' · ')}</span>
                <a
                  className="button hot-plan"
                  href={`/plan?stops=${encodeURIComponent(site.properties.placeId ?? site.properties.latestProblemId)}`}
                  data-testid="hot-site-plan"
                >
                  {t('hot.planOne')}
                </a>
              </>
            )}
          </div>
        )}
        <div className="hot-timebar" data-testid="hot-timebar">
          <div className="hot-timebar-row">
            <button type="button" onClick={() => setPlaying((v) => !v)} disabled={!p || weeks < 2} data-testid="hot-play">
              {playing ? t('hot.pause') : t('hot.play')}
            </button>
            <span className="hot-window" data-testid="hot-window">
              {windowLabel}
            </span>
            {windowCount !== null && <span className="muted">{t('hot.windowCount', { n: formatCount(windowCount, lang) })}</span>}
          </div>
          <div className="hot-sliders">
            <label>
              <span>{t('hot.from')}</span>
              <input
                type="range"
                min={0}
                max={Math.max(0, weeks - 1)}
                value={win[0]}
                disabled={!p}
                onChange={(e) => setWindow([Math.min(Number(e.target.value), win[1]), win[1]])}
                data-testid="hot-from"
              />
            </label>
            <label>
              <span>{t('hot.to')}</span>
              <input
                type="range"
                min={0}
                max={Math.max(0, weeks - 1)}
                value={win[1]}
                disabled={!p}
                onChange={(e) => setWindow([win[0], Math.max(Number(e.target.value), win[0])])}
                data-testid="hot-to"
              />
            </label>
          </div>
          {weekly && (
            <Timeline
              counts={history.data && selectedCell ? history.data.weeks.map((w) => w.count) : weekly}
              states={history.data && selectedCell ? history.data.weeks.map((w) => (w.state === 'hot' ? 1 : w.state === 'cold' ? -1 : 0)) : null}
              window={history.data && selectedCell ? [0, history.data.weeks.length - 1] : win}
              label={selectedCell ? t('hot.timelineCell') : t('hot.timeline')}
            />
          )}
          <div className="hot-timeline-caption muted">{selectedCell ? t('hot.timelineCell') : t('hot.timeline')}</div>
        </div>
      </section>
    </div>
  );
}

/** The API query for the filters with the window's dates (from Monday of the first week to Sunday of the last). */
function analysisQuery(p: ProblemPoints, filters: ProblemFilters, win: [number, number]): string {
  return filtersToQuery({ ...filters, from: weekStartDate(p, win[0]), to: addDays(weekStartDate(p, win[1]), 6) });
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
