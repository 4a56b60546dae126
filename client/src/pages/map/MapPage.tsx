/**
 * 地图 — the map page: the city's basemap and problems, layer toggles, filters with the matching
 * count, a legend, and a side panel for whatever was clicked. View, filters, hidden layers and the
 * language live in the URL so a copied link opens the same map.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { getProblemCount } from '../../api/problems';
import type { LngLat, Me, Meta } from '../../api/types';
import { describeError } from '../../app/describe-error';
import { ErrorBanner } from '../../app/ErrorBanner';
import type { Lang } from '../../app/i18n';
import { useGridArea } from '../../app/use-grid-area';
import { useI18n } from '../../app/use-i18n';
import { useMediaQuery } from '../../app/use-media-query';
import { useProblemsVersion } from '../../app/use-problems-version';
import { useRequest } from '../../app/use-request';
import { useUrlSync } from '../../app/use-url-state';
import type { MapViewState, UrlState } from '../../app/url-state';
import { filtersToParams, filtersToQuery, hasValidDateRange, knownIds, sanitizeFilters, type ProblemFilters } from '../../lib/filters';
import type { LayerToggle } from '../../lib/layer-toggles';
import { buildMapStyle, problemTileUrl } from '../../map/map-style';
import { MapView, type MapFocus, type MapHit, type MapSelection } from '../../map/MapView';
import { areaOutline } from '../../map/overlay';
import { DetailPanel, type Selection } from '../../components/DetailPanel';
import { FilterPanel } from '../../components/FilterPanel';
import { LayerToggles } from './LayerToggles';
import { Legend } from './Legend';
import { RouteTool } from './RouteTool';
import { ReadinessToggle, useReadinessOverlay } from './ReadinessLayer';
import { ANALYSTS } from '../../../../server/contract/roles';

const FOCUS_ZOOM = 16;
const LIVE_REFRESH_MS = 1000;
// The bottom sheet covers up to 62% of a phone screen (app.css); a point lifted by this share stays visible.
const PHONE_SHEET_LIFT = 0.25;
const PHONE_FIT_PADDING = { top: 56, right: 12, bottom: 12, left: 12 };
// The legend card sits at the bottom left on a desktop; the first view keeps the city clear of it.
const DESKTOP_FIT_PADDING = { top: 24, right: 56, bottom: 96, left: 24 };

/** The map page for a loaded city. */
export function MapPage({ meta, me, initial, lang }: { meta: Meta; me: Me; initial: UrlState; lang: Lang }) {
  const { t } = useI18n();
  const [filters, setFilters] = useState<ProblemFilters>(() => sanitizeFilters(initial.filters, knownIds(meta)));
  const [hidden, setHidden] = useState<LayerToggle[]>(initial.hidden);
  const [view, setView] = useState<MapViewState | null>(initial.view);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [focus, setFocus] = useState<MapFocus | null>(null);
  const [mapErrors, setMapErrors] = useState<string[]>([]);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [mapLoading, setMapLoading] = useState(true);
  const [routeActive, setRouteActive] = useState(false);
  const [overlay, setOverlay] = useState<GeoJSON.FeatureCollection | null>(null);
  const readsAssessment = (ANALYSTS as readonly string[]).includes(me.role);
  const [readinessDays, setReadinessDays] = useState<number | null>(null);
  const readiness = useReadinessOverlay(readsAssessment ? readinessDays : null);
  // The chosen grids' outlines, the map brought to them when they arrive.
  const grid = useGridArea(filters.grids);
  const gridArea = filters.grids.length && !grid.loading ? grid.data : null;
  useEffect(() => {
    if (gridArea?.polygons.length) setFocus({ bbox: gridArea.bbox, padding: { top: 80, bottom: 80, left: 80, right: 80 }, key: Date.now() });
  }, [gridArea]);
  // The grid outlines and readiness dots under the route tool's line and stops, in the one overlay.
  const drawn = useMemo<GeoJSON.FeatureCollection | null>(() => {
    const under = [...(gridArea ? areaOutline(gridArea) : []), ...(readiness.features ?? [])];
    return under.length ? { type: 'FeatureCollection', features: [...under, ...(overlay?.features ?? [])] } : overlay;
  }, [gridArea, readiness.features, overlay]);
  // Held in an object so that setState does not mistake the handler for an updater function.
  const [tool, setTool] = useState<{ onClick: (lngLat: LngLat) => void } | null>(null);
  const onClickHandler = useCallback((handler: ((lngLat: LngLat) => void) | null) => setTool(handler ? { onClick: handler } : null), []);
  // Same breakpoint as app.css: on a phone the legend lives in the drawer, not over the map.
  const isPhone = useMediaQuery('(max-width: 720px)');

  useUrlSync({ view, filters, lang, hidden });

  // An impossible date range is shown as a warning; the map keeps the last query the API accepts.
  const lastValid = useRef(filters);
  const datesValid = hasValidDateRange(filters);
  if (datesValid) lastValid.current = filters;
  const problemQuery = filtersToQuery(lastValid.current);

  const origin = window.location.origin;
  // The style is built once, with the opening filters; later changes go through MapView's props (setTiles etc.).
  const [style] = useState(() => buildMapStyle({ origin, bbox: meta.city.bbox, problemQuery, hidden }));
  // New reports and transitions (server-sent events) bump this, so the problem tiles and the count are
  // fetched again in place: an open map follows the city without reloading.
  const [liveVersion] = useProblemsVersion(LIVE_REFRESH_MS);
  const problemTiles = problemTileUrl(origin, liveVersion ? `${problemQuery}${problemQuery ? '&' : ''}v=${liveVersion}` : problemQuery);

  const count = useRequest(datesValid ? (signal) => getProblemCount(filtersToParams(lastValid.current), signal) : null, [
    problemQuery,
    datesValid,
    liveVersion,
  ]);

  const mapSelection = useMemo<MapSelection | null>(
    () => (selection && selection.kind !== 'problems' ? { kind: selection.kind === 'problem' ? 'problem' : selection.placeKind, id: selection.id } : null),
    [selection],
  );

  const onHit = useCallback(
    (hit: MapHit) => {
      setSelection(
        hit.kind === 'problem'
          ? { kind: 'problem', id: hit.id }
          : hit.kind === 'problems'
            ? { kind: 'problems', ids: hit.ids, id: hit.ids.join(',') }
            : { kind: 'place', placeKind: hit.placeKind, id: hit.id },
      );
      // On a phone the panel is a bottom sheet over the lower half: keep the clicked point in sight above it.
      if (isPhone) setFocus((f) => ({ center: hit.lngLat, liftPx: window.innerHeight * PHONE_SHEET_LIFT, key: (f?.key ?? 0) + 1 }));
    },
    [isPhone],
  );
  const onMapError = useCallback((message: string) => setMapErrors((list) => (list.includes(message) ? list : [...list, message])), []);
  const onOpenPlace = useCallback((place: { id: string; kind: string }) => {
    setSelection({ kind: 'place', placeKind: place.kind, id: place.id, focus: true });
  }, []);
  const onFocus = useCallback(
    (center: LngLat) => setFocus((f) => ({ center, zoom: FOCUS_ZOOM, liftPx: isPhone ? window.innerHeight * PHONE_SHEET_LIFT : 0, key: (f?.key ?? 0) + 1 })),
    [isPhone],
  );

  const banners = [...mapErrors.map((m) => t('error.map', { message: m })), ...(count.error ? [describeError(count.error, t)] : [])];

  const problemsShown = !hidden.includes('problems');
  const empty = problemsShown && datesValid && count.data?.total === 0 && !count.loading;

  return (
    <div className={`map-page${selection ? ' has-detail' : ''}`}>
      <aside className={`sidebar${drawerOpen ? ' open' : ''}`} aria-label={t('drawer.open')}>
        <div className="sidebar-handle">
          <strong>{t('drawer.open')}</strong>
          <button type="button" className="ghost" onClick={() => setDrawerOpen(false)}>
            {t('drawer.close')}
          </button>
        </div>
        <FilterPanel meta={meta} filters={filters} onChange={setFilters} count={count} datesValid={datesValid} />
        <LayerToggles hidden={hidden} onChange={setHidden} />
        {readsAssessment && <ReadinessToggle days={readinessDays} onChange={setReadinessDays} res={readiness.res} />}
        {isPhone && <Legend districts={meta.districts.length > 1} />}
      </aside>
      <section className="map-area">
        <MapView
          style={style}
          initialView={initial.view}
          fitBounds={meta.city.bbox}
          fitPadding={isPhone ? PHONE_FIT_PADDING : DESKTOP_FIT_PADDING}
          attribution={meta.city.attribution}
          problemTiles={problemTiles}
          hidden={hidden}
          selected={mapSelection}
          focus={focus}
          ariaLabel={t('app.mapLabel')}
          onViewChange={setView}
          onHit={onHit}
          onError={onMapError}
          onLoadingChange={setMapLoading}
          overlay={drawn}
          onMapClick={tool?.onClick ?? null}
        />
        <div className="map-tools">
          <RouteTool
            active={routeActive}
            onActiveChange={(on) => {
              setRouteActive(on);
              if (on) setSelection(null);
            }}
            onOverlay={setOverlay}
            onClickHandler={onClickHandler}
          />
        </div>
        {mapLoading && (
          <div className="map-loading" role="status">
            <span className="spinner" aria-hidden="true" /> {t('panel.loading')}
          </div>
        )}
        <button type="button" className="drawer-toggle" onClick={() => setDrawerOpen(true)} aria-expanded={drawerOpen}>
          <span aria-hidden="true">☰</span> {t('drawer.open')}
        </button>
        {banners.length > 0 && (
          <div className="map-banners">
            <ErrorBanner messages={banners} onRetry={count.error ? count.retry : undefined} onDismiss={() => setMapErrors([])} />
          </div>
        )}
        {!isPhone && (
          <div className="map-legend">
            <Legend strip districts={meta.districts.length > 1} />
          </div>
        )}
        {empty && (
          <div className="map-notice" role="status" data-testid="empty-notice">
            {t('filters.empty')}
          </div>
        )}
        {selection && (
          // Keyed by what is shown, so a new selection starts from "loading", never from the previous feature's data.
          <DetailPanel
            key={`${selection.kind}:${selection.id}`}
            selection={selection}
            onClose={() => setSelection(null)}
            onSelectProblem={(id) => setSelection({ kind: 'problem', id })}
            onOpenPlace={onOpenPlace}
            onFocus={onFocus}
          />
        )}
      </section>
    </div>
  );
}
