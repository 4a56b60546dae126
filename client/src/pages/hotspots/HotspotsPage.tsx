/**
 * 热点分析 — where problems keep coming back, where it is getting worse, where a campaign worked.
 * One deck.gl overlay on the city map (MapView): a heat map of every problem (binary attributes, the week
 * window filtered on the GPU), H3 cells coloured by emerging hot-spot class from /api/hotspots, and the
 * recurring sites from /api/recurring; a week slider with playback, the map's filters, a weekly
 * timeline of what is selected, ranked lists, and a link that opens the planner with the top sites.
 * The time window is held once, as the filters' dates (use-hotspots.ts).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PickingInfo } from '@deck.gl/core';
import type { LngLat, ProblemCount } from '../../api/types';
import { describeError } from '../../app/describe-error';
import { ErrorBanner } from '../../app/ErrorBanner';
import type { PageProps } from '../../app/pages';
import { useI18n } from '../../app/use-i18n';
import { useUrlSync } from '../../app/use-url-state';
import { districtSubdistricts, knownIds, sanitizeFilters, type ProblemFilters } from '../../lib/filters';
import { heatLayer, hexLayer, sitesLayer } from '../../map/deck/layers';
import { buildMapStyle } from '../../map/map-style';
import { LABELS_BEFORE_ID, MapView, type MapFocus } from '../../map/MapView';
import { areaOutline } from '../../map/overlay';
import { FilterPanel } from '../../components/FilterPanel';
import { DEFAULT_OPTIONS, HotspotControls, type HotspotOptions } from './HotspotControls';
import { HotspotLegend } from './HotspotLegend';
import { HotspotDetail, HotspotLists, siteLngLat, type Cell, type Site } from './HotspotLists';
import { HotspotTimeBar } from './HotspotTimeBar';
import { useHeat, useHotspotAnalysis, useHotspotWindow, useLivePoints } from './use-hotspots';
import './hotspots.css';

/** performance.mark name of the first frame drawn with the heat map. */
export const FIRST_HEAT_MARK = 'xuncha:first-heat-frame';
const FOCUS_ZOOM = 15;
const TOP_N = 10;
// The time bar covers the map's foot: keep the city above it.
const FIT_PADDING = { top: 24, left: 24, right: 56, bottom: 190 };
/** Room around a chosen grid: the time bar covers the bottom. */
const GRID_PADDING = { top: 60, left: 60, right: 80, bottom: 220 };

type Selection = { cell: string | null; site: string | null };

const markDecoded = () => performance.mark('xuncha:points-decoded');

/** The hotspot page for a loaded city. */
export function HotspotsPage({ meta, initial, lang: pageLang }: PageProps) {
  const { t } = useI18n();
  const [filters, setFilters] = useState<ProblemFilters>(() => sanitizeFilters(initial.filters, knownIds(meta)));
  const [options, setOptions] = useState<HotspotOptions>(DEFAULT_OPTIONS);
  const [selection, setSelection] = useState<Selection>({ cell: null, site: null });
  const [focus, setFocus] = useState<MapFocus | null>(null);
  const [mapErrors, setMapErrors] = useState<string[]>([]);

  // Filters, the time window (as from/to) and the language live in the URL, so a copied link reopens this view.
  useUrlSync({ view: null, filters, lang: pageLang, hidden: [] });

  const points = useLivePoints(markDecoded);
  const p = points.data;
  const timeWindow = useHotspotWindow(p, filters, setFilters);
  const inDistricts = useMemo(() => districtSubdistricts(meta), [meta]);
  const heat = useHeat(p, filters, options.measure, timeWindow.win, inDistricts);
  // The chosen grids outlined, and the map brought to them.
  const gridOutline = useMemo<GeoJSON.FeatureCollection | null>(
    () => (heat.area ? { type: 'FeatureCollection', features: areaOutline(heat.area) } : null),
    [heat.area],
  );
  useEffect(() => {
    if (heat.area?.polygons.length) setFocus((f) => ({ bbox: heat.area!.bbox, padding: GRID_PADDING, key: (f?.key ?? 0) + 1 }));
  }, [heat.area]);
  const { cells, sites, history, visits } = useHotspotAnalysis(p, filters, timeWindow.analysisWin, options.res, selection.cell);

  const { measure, show, colorBy, extruded } = options;
  const layers = useMemo(() => {
    const list = [];
    if (heat.data && heat.dayRange) list.push(heatLayer({ data: heat.data, dayRange: heat.dayRange, measure, visible: show.heat, beforeId: LABELS_BEFORE_ID }));
    list.push(hexLayer({ cells: cells.data, colorBy, extruded, selected: selection.cell, visible: show.hex, beforeId: LABELS_BEFORE_ID }));
    list.push(sitesLayer({ sites: sites.data, selected: selection.site, visible: show.sites, beforeId: LABELS_BEFORE_ID }));
    return list;
  }, [heat.data, heat.dayRange, measure, show, cells.data, colorBy, extruded, selection, sites.data]);

  // A performance mark at the first frame drawn with the heat layer: scripts/bench/hotspots-browser.ts reads it.
  const heatDrawn = useRef(false);
  const heatShown = heat.data !== null && show.heat;
  const onAfterRender = useCallback(() => {
    if (heatDrawn.current || !heatShown) return;
    heatDrawn.current = true;
    performance.mark(FIRST_HEAT_MARK);
  }, [heatShown]);

  const style = useMemo(() => buildMapStyle({ origin: window.location.origin, bbox: meta.city.bbox, problemQuery: '', hidden: ['problems'] }), [meta]);

  const onPick = useCallback((info: PickingInfo) => {
    const id = info.layer?.id;
    if (id === 'hotspot-cells' && info.object) setSelection({ cell: (info.object as Cell).properties.h3, site: null });
    else if (id === 'recurring-sites' && info.object) setSelection((s) => ({ ...s, site: (info.object as Site).id }));
  }, []);
  const flyTo = (center: LngLat) => setFocus((f) => ({ center, zoom: FOCUS_ZOOM, fly: true, key: (f?.key ?? 0) + 1 }));
  const onMapError = useCallback((m: string) => setMapErrors((list) => (list.includes(m) ? list : [...list, m])), []);

  const hotCells = useMemo(
    () =>
      (cells.data?.features ?? [])
        .filter((f) => f.properties.class.endsWith('-hot') || (f.properties.significant && f.properties.z > 0))
        .sort((a, b) => b.properties.z - a.properties.z)
        .slice(0, TOP_N),
    [cells.data],
  );
  const topSites = (sites.data?.features ?? []).slice(0, TOP_N);
  const selectedCell = selection.cell ? (cells.data?.features.find((f) => f.properties.h3 === selection.cell) ?? null) : null;
  const selectedSite = selection.site
    ? (topSites.find((s) => s.id === selection.site) ?? sites.data?.features.find((s) => s.id === selection.site) ?? null)
    : null;

  const windowCount = heat.counts?.total ?? null;
  const count: { data: ProblemCount | null; error: Error | null; loading: boolean; retry: () => void } = {
    data: heat.counts,
    error: null,
    loading: points.loading,
    retry: points.retry,
  };

  const banners = [
    ...mapErrors.map((m) => t('error.map', { message: m })),
    ...[points.error, cells.error, sites.error, history.error].filter((e): e is Error => e !== null).map((e) => describeError(e, t)),
  ];
  const empty = p !== null && windowCount === 0;

  return (
    <div className="map-page hotspots-page">
      <aside className="sidebar" aria-label={t('nav.hotspots')}>
        <FilterPanel meta={meta} filters={filters} onChange={setFilters} count={count} datesValid />
        <HotspotControls options={options} onChange={setOptions} />
        <HotspotLegend measure={measure} showHeat={show.heat} showHex={show.hex} />
        <HotspotLists
          meta={meta}
          hotCells={hotCells}
          topSites={topSites}
          visits={visits.data}
          cellsLoading={cells.loading}
          sitesLoading={sites.loading}
          selectedCell={selection.cell}
          selectedSite={selection.site}
          onCell={(f) => {
            setSelection({ cell: f.properties.h3, site: null });
            flyTo(f.properties.center);
          }}
          onSite={(s) => {
            setSelection((sel) => ({ ...sel, site: s.id }));
            flyTo(siteLngLat(s));
          }}
        />
      </aside>
      <section className="map-area">
        <MapView
          style={style}
          initialView={null}
          fitBounds={meta.city.bbox}
          fitPadding={FIT_PADDING}
          attribution={meta.city.attribution}
          ariaLabel={t('app.mapLabel')}
          handling="tilt"
          maxZoom={18}
          focus={focus}
          overlay={gridOutline}
          deckLayers={layers}
          onDeckClick={onPick}
          onDeckAfterRender={onAfterRender}
          onError={onMapError}
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
        <HotspotDetail meta={meta} cell={selectedCell} site={selectedSite} visits={visits.data} onClose={() => setSelection({ cell: null, site: null })} />
        <HotspotTimeBar
          points={p}
          window={timeWindow}
          windowCount={windowCount}
          weekly={heat.weekly}
          cellSelected={selection.cell !== null}
          history={history.data}
        />
      </section>
    </div>
  );
}
