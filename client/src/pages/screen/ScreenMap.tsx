/**
 * The big screen's centre map: MapLibre with the city's basemap (labels scaled for a wall, see
 * map/screen-style.ts) and one interleaved deck.gl overlay under the labels with
 * - the heat of the period's problems (points.bin filtered to `?period=` and `?district=`; a fixed
 *   colour domain per week, so colours mean the same every night),
 * - the period's hot cells from GET /api/hotspots (a hot emerging class, or a significant Gi* cluster),
 *   outlined by class,
 * - today's inspection routes animated along the streets (TripsLayer, a working day in 60 s), only
 *   when plans exist for today;
 * plus the pulse where a new problem arrives (MapLibre overlay source, overlay.ts), and tour mode
 * (`?tour=1&interval=20`, tour.ts): the camera flies from stop to stop with a large caption saying why.
 *
 * Nothing grows over a night: one requestAnimationFrame loop (only while there are trips), one tour
 * timer, both cancelled on unmount; each refresh replaces the data, and deck.gl layers keep their ids,
 * so a new frame is new props for the same layers.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { TripsLayer } from '@deck.gl/geo-layers';
import { GeoJsonLayer, PathLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { Map as MapLibreMap } from 'maplibre-gl';
import type { HotspotCollection, RecurringCollection } from '../../../../server/contract/hotspots';
import type { LayerCollection } from '../../../../server/contract/layers';
import type { ScreenRoutes } from '../../../../server/contract/screen-plans';
import { callJson, getRaw, isAbortError } from '../../api/client';
import type { BBox, LngLat, Meta } from '../../api/types';
import { getRankings, getSubdistrictShapes } from '../../api/ledger';
import type { Lang } from '../../app/i18n';
import { useI18n } from '../../app/use-i18n';
import { addCityAttribution, CITY_MAP_OPTIONS } from '../../map/city-map';
import { LABELS_BEFORE_ID } from '../../map/deck/HotspotMap';
import { CLASS_COLORS, HEAT_COLORS, HEAT_DOMAIN } from '../../map/deck/layers';
import { decodePoints, type ProblemPoints } from '../../map/deck/points-bin';
import { buildMapStyle, MARKET_ICON, NIGHT_COLORS } from '../../map/map-style';
import { drawMarketIcon } from '../../map/market-icon';
import { setOverlay } from '../../map/overlay';
import { cellMix, periodPoints, type PeriodPoints } from './map/period-points';
import { designFactor, scaleStyle, WALL_TEXT_BOOST } from './map/screen-style';
import { buildTrips, loopTime, type TripsDay } from './map/trips';
import type { ScreenPeriod } from './screen-url';
import { buildTour, flyDurationMs, isHotCell, nextIndex, periodLabel, topHotCells, type TourCell, type TourSite, type TourStop } from './tour';
import './screen-map.css';

/** A new report pulsing on the map. */
export interface ScreenPulse {
  id: string;
  lngLat: [number, number];
  at: number;
}

export interface ScreenMapProps {
  meta: Meta;
  lang: Lang;
  district: string | null;
  period: ScreenPeriod;
  tour: boolean;
  /** Seconds per tour stop. */
  interval: number;
  pulses: readonly ScreenPulse[];
  /** Bumped by the page when problems changed (an event, a poll): the heat is fetched again. */
  version: number;
}

const FIT_PADDING = { top: 40, bottom: 40, left: 40, right: 40 };
/** Hot cells and routes are fetched again this often outside the tour (inside it: every cycle). */
const SLOW_REFRESH_MS = 5 * 60_000;
/**
 * The heat follows new problems this long after the last change: the panels' refetch goes first (a new
 * report shows within 2 s), and the server rebuilds its analysis index once for a burst, not per event.
 */
const HEAT_SETTLE_MS = 10_000;
/** Pulse ring animation step. */
const PULSE_FRAME_MS = 120;
/** After the basemap's first idle: one more frame for the panels before deck.gl's shaders compile. */
const DECK_JOIN_DELAY_MS = 100;
/** The trips animation is drawn at most this often: smooth on a wall, light on a software-rendered PC. */
const TRIPS_FRAME_MS = 1000 / 30;
/** Trail behind a team, in seconds of the working day (half an hour). */
const TRAIL_S = 1800;
/** As layers.ts `heatLayer`: HEAT_DOMAIN is in thousandths of deck.gl's SUM weight units, per week. */
const HEAT_DOMAIN_SCALE = 1e-3;
const HEAT_RADIUS_PX = 28;
/**
 * Legend entries of the hot cells, in order of concern: the hot emerging classes, and `cluster` for a
 * significant Gi* cluster without one (the demo city's 12 weeks rarely make an emerging class).
 */
const LEGEND_CLASSES = [
  'intensifying-hot',
  'persistent-hot',
  'consecutive-hot',
  'new-hot',
  'oscillating-hot',
  'sporadic-hot',
  'diminishing-hot',
  'historical-hot',
  'cluster',
] as const;
type LegendClass = (typeof LEGEND_CLASSES)[number];
const CLUSTER_COLOR: [number, number, number] = [255, 112, 67];
const cellClass = (p: CellFeature['properties']): LegendClass => (p.class === 'no-pattern' ? 'cluster' : (p.class as LegendClass));
const legendColor = (c: LegendClass) => (c === 'cluster' ? CLUSTER_COLOR : CLASS_COLORS[c]);
/** Top hot cells given captions: more than the tour shows, so ties do not leave it short. */
const TOUR_CANDIDATES = 6;

interface Shape {
  name: string;
  bbox: BBox;
}

/** The centre map of the big screen; see the module comment. */
export function ScreenMap(props: ScreenMapProps) {
  const { meta, district, period, tour, interval, pulses, version, lang } = props;
  const { t } = useI18n();
  const shapes = useShapes();
  // The pinned subdistrict's box once the shapes are in (undefined until then: the map waits, so it
  // opens on the right place); the city when there is none or it is unknown.
  const home: BBox | undefined = district ? (shapes === undefined ? undefined : (shapes?.get(district)?.bbox ?? meta.city.bbox)) : meta.city.bbox;

  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const overlayRef = useRef<MapLibreOverlay | null>(null);
  const [deckReady, setDeckReady] = useState(false);
  const [factor] = useState(() => designFactor(window.innerWidth, window.innerHeight));
  const [cycle, setCycle] = useState(0);
  const slowTick = useTick(SLOW_REFRESH_MS);
  // Inside the tour the slow data follows the tour's cycles; outside, a slow clock.
  const slowKey = tour ? cycle : slowTick;

  const heatVersion = useSettled(version, HEAT_SETTLE_MS);
  const points = usePoints(heatVersion, cycle);
  const pp = useMemo(() => (points ? periodPoints(points, period, district) : null), [points, period, district]);
  const rawCells = useCells(period, district, slowKey);
  const cells = useMemo(() => (rawCells ? hotCells(rawCells, pp, points, meta) : null), [rawCells, pp, points, meta]);
  const rawSites = useSites(period, district, tour, slowKey);
  const sites = useMemo(() => (rawSites ? tourSites(rawSites, meta) : []), [rawSites, meta]);
  const trips = useTrips(slowKey);
  const ranking = useRanking(period, tour && !district, slowKey);

  // The map: created once the home box is known, removed on unmount.
  useEffect(() => {
    const container = containerRef.current;
    if (!container || !home) return;
    const base = buildMapStyle({ origin: window.location.origin, bbox: meta.city.bbox, problemQuery: '', hidden: ['problems'], palette: NIGHT_COLORS });
    const map = new MapLibreMap({
      container,
      style: scaleStyle(base, { text: factor * WALL_TEXT_BOOST, line: factor }),
      bounds: home,
      fitBoundsOptions: { padding: FIT_PADDING },
      maxZoom: 19,
      minZoom: 9,
      ...CITY_MAP_OPTIONS,
      // Nobody touches a wall; a stray mouse must not move the tour's camera.
      interactive: false,
    });
    addCityAttribution(map, container, meta.city.attribution);
    // Icons are drawn on demand instead of coming from a sprite sheet (no sprite request), as MapView.
    map.setMissingStyleImageResolver((id) => {
      if (id !== MARKET_ICON || map.hasImage(MARKET_ICON)) return;
      const icon = drawMarketIcon();
      map.addImage(MARKET_ICON, icon.data, { pixelRatio: icon.pixelRatio });
    });
    const overlay = new MapLibreOverlay({ interleaved: true, layers: [] });
    // deck.gl joins once the basemap has drawn and the panels have painted: its shaders compile on the
    // main thread, which on a wall PC without a GPU (software WebGL) holds everything else up for
    // seconds. Figures and streets first, then the heat, the cells and the routes.
    let joined = false;
    let later: ReturnType<typeof setTimeout> | null = null;
    map.once('idle', () => {
      later = setTimeout(() => {
        later = null;
        if (!mapRef.current) return;
        map.addControl(overlay);
        joined = true;
        setDeckReady(true);
      }, DECK_JOIN_DELAY_MS);
    });
    mapRef.current = map;
    overlayRef.current = overlay;
    window.__xunchaMap = map;
    window.__xunchaDeck = overlay;
    return () => {
      if (later) clearTimeout(later);
      if (joined) setDeckReady(false);
      if (window.__xunchaMap === map) delete window.__xunchaMap;
      if (window.__xunchaDeck === overlay) delete window.__xunchaDeck;
      delete window.__xunchaDeckLayers;
      mapRef.current = null;
      overlayRef.current = null;
      map.remove();
    };
    // `home` is read once: later changes of the pinned place come with a new page (a new URL).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [home === undefined]);

  // The static layers; the trips layer is added per frame by the animation loop below.
  const weeks = period.days / 7;
  const staticLayers = useMemo(() => {
    const layers: Layer[] = [];
    const heat = pp ? heatData(pp) : EMPTY_HEAT;
    layers.push(
      new HeatmapLayer({
        id: 'screen-heat',
        // NOTE: deck.gl's types expect an iterable; `{ length, attributes }` is its documented binary form.
        data: heat as never,
        radiusPixels: HEAT_RADIUS_PX * factor,
        intensity: 1,
        threshold: 0.04,
        aggregation: 'SUM',
        colorRange: HEAT_COLORS,
        colorDomain: [HEAT_DOMAIN.count[0] * weeks * HEAT_DOMAIN_SCALE, HEAT_DOMAIN.count[1] * weeks * HEAT_DOMAIN_SCALE],
        opacity: 0.7,
        beforeId: LABELS_BEFORE_ID,
      } as ConstructorParameters<typeof HeatmapLayer>[0]),
    );
    layers.push(
      new GeoJsonLayer<CellFeature['properties']>({
        id: 'screen-hot-cells',
        data: (cells?.hot ?? EMPTY_FC) as never,
        filled: true,
        stroked: true,
        getFillColor: (f) => [...legendColor(cellClass(f.properties)), 40] as [number, number, number, number],
        getLineColor: (f) => [...legendColor(cellClass(f.properties)), 255] as [number, number, number, number],
        getLineWidth: 2.5 * factor,
        lineWidthUnits: 'pixels',
        beforeId: LABELS_BEFORE_ID,
      } as ConstructorParameters<typeof GeoJsonLayer<CellFeature['properties']>>[0]),
    );
    if (trips && trips.trips.length > 0) {
      layers.push(
        new PathLayer({
          id: 'screen-routes',
          data: trips.trips,
          getPath: (d: TripsDay['trips'][number]) => d.path,
          getColor: (d: TripsDay['trips'][number]) => [...d.color, 110] as [number, number, number, number],
          getWidth: 4 * factor,
          widthUnits: 'pixels',
          capRounded: true,
          jointRounded: true,
          beforeId: LABELS_BEFORE_ID,
        } as ConstructorParameters<typeof PathLayer>[0]),
      );
    }
    return layers;
  }, [pp, cells, trips, factor, weeks]);

  // One frame loop while there are trips; otherwise the layers are set once per change.
  useEffect(() => {
    const overlay = overlayRef.current;
    if (!overlay || !deckReady) return;
    const day = trips && trips.trips.length > 0 ? trips : null;
    if (!day) {
      overlay.setProps({ layers: staticLayers });
      window.__xunchaDeckLayers = staticLayers;
      return;
    }
    const started = performance.now();
    let last = -Infinity;
    let raf = 0;
    const frame = (now: number) => {
      raf = requestAnimationFrame(frame);
      if (now - last < TRIPS_FRAME_MS) return;
      last = now;
      const layers = [...staticLayers, tripsLayer(day, loopTime(now - started, day.spanS), factor)];
      overlay.setProps({ layers });
      window.__xunchaDeckLayers = layers;
    };
    raf = requestAnimationFrame(frame);
    return () => cancelAnimationFrame(raf);
  }, [staticLayers, trips, factor, deckReady]);

  usePulses(mapRef, pulses);

  // Tour: stops from the freshest data; a timer steps through them, a wrap starts a new cycle.
  const stops = useMemo<TourStop[]>(() => {
    if (!tour || !home) return [];
    const name = district ? (shapes?.get(district)?.name ?? district) : lang === 'zh' ? meta.city.name : meta.city.nameEn || meta.city.name;
    return buildTour({
      period,
      cells: cells?.tourCells ?? [],
      sites,
      ranking: (ranking?.rows ?? []).map((r) => ({ ...r, bbox: shapes?.get(r.id)?.bbox ?? null })),
      overview: { bbox: home, name, problems: pp?.count ?? 0 },
    });
  }, [tour, home, district, shapes, lang, meta, period, cells, sites, ranking, pp]);
  const [stopIndex, setStopIndex] = useState(0);
  const stop: TourStop | null = stops.length ? stops[Math.min(stopIndex, stops.length - 1)] : null;

  useEffect(() => {
    if (!tour) return;
    const timer = setTimeout(() => {
      const next = nextIndex(stopIndex, stops.length);
      setStopIndex(next);
      if (next === 0) setCycle((c) => c + 1);
    }, interval * 1000);
    return () => clearTimeout(timer);
  }, [tour, stopIndex, stops.length, interval]);

  const stopKey = stop?.key ?? null;
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !stop) return;
    const duration = flyDurationMs(interval);
    if ('bbox' in stop.target) map.fitBounds(stop.target.bbox, { padding: FIT_PADDING, duration, essential: true });
    else map.flyTo({ center: stop.target.center, zoom: stop.target.zoom, duration, essential: true });
    window.__xunchaTourStop = { key: stop.key, index: stopIndex, total: stops.length };
    // Flies when the stop changes (its key), not when a refresh rebuilds the same stop.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stopKey, stopIndex, home === undefined]);
  useEffect(() => () => void delete window.__xunchaTourStop, []);

  const label = periodLabel(period)[lang];
  const classes = cells?.classes ?? [];
  return (
    <>
      <div ref={containerRef} className="map-view screen-map-canvas" role="region" aria-label={t('screen.mapLabel')} />
      <div className="screen-map-legend" data-testid="screen-map-legend">
        <div className="screen-map-legend-title">{t('screen.map.heat', { period: label })}</div>
        <div className="screen-map-ramp">
          <span>{t('screen.map.fewer')}</span>
          <span className="screen-map-ramp-bar" style={{ background: `linear-gradient(90deg, ${HEAT_COLORS.map((c) => `rgb(${c.join(',')})`).join(', ')})` }} />
          <span>{t('screen.map.more')}</span>
        </div>
        {classes.length > 0 && (
          <div className="screen-map-legend-row">
            <span className="screen-map-legend-head">{t('screen.map.hotCells')}</span>
            {classes.map((c) => (
              <span key={c} className="screen-map-key">
                <i style={{ borderColor: `rgb(${legendColor(c).join(',')})` }} />
                {t(`screen.map.class.${c}`)}
              </span>
            ))}
          </div>
        )}
        {trips && trips.trips.length > 0 && (
          <div className="screen-map-legend-row" data-testid="screen-map-routes">
            <span className="screen-map-legend-head">{t('screen.map.routes')}</span>
            {trips.trips.map((tr, i) => (
              <span key={`${tr.name}-${i}`} className="screen-map-key">
                <i className="screen-map-key-line" style={{ background: `rgb(${tr.color.join(',')})` }} />
                {tr.name}
              </span>
            ))}
          </div>
        )}
      </div>
      {tour && stop && (
        <div key={stop.key} className="screen-map-caption" data-testid="screen-tour-caption" data-stop={stop.key} aria-live="polite">
          <div className="screen-map-caption-head">
            <span className="screen-map-caption-title">{stop.title[lang]}</span>
            <span className="screen-map-caption-step">{t('screen.tour.step', { n: Math.min(stopIndex, stops.length - 1) + 1, total: stops.length })}</span>
          </div>
          <div className="screen-map-caption-why">
            {/* Lines break between the parts, never inside one ("19 | 起" reads badly from across a room). */}
            {stop.caption[lang].split(' · ').map((part, i) => (
              <span key={i}>
                {i > 0 && ' · '}
                <span className="screen-map-caption-part">{part}</span>
              </span>
            ))}
          </div>
        </div>
      )}
    </>
  );
}

type CellFeature = HotspotCollection['features'][number];
const EMPTY_FC = { type: 'FeatureCollection', features: [] };
const EMPTY_HEAT = { length: 0, attributes: { getPosition: { value: new Float32Array(0), size: 2 } } };

/** The period's problems as deck.gl binary input (every weight 1). */
function heatData(pp: PeriodPoints) {
  return { length: pp.count, attributes: { getPosition: { value: pp.position, size: 2 } } };
}

function tripsLayer(day: TripsDay, currentTime: number, factor: number) {
  return new TripsLayer({
    id: 'screen-trips',
    data: day.trips,
    getPath: (d: TripsDay['trips'][number]) => d.path,
    getTimestamps: (d: TripsDay['trips'][number]) => d.timestamps,
    getColor: (d: TripsDay['trips'][number]) => d.color,
    widthUnits: 'pixels',
    getWidth: 9 * factor,
    capRounded: true,
    jointRounded: true,
    fadeTrail: true,
    trailLength: TRAIL_S,
    currentTime,
    beforeId: LABELS_BEFORE_ID,
  } as ConstructorParameters<typeof TripsLayer>[0]);
}

/** `value`, once it has not changed for `ms` (the first value at once). */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (Object.is(value, settled)) return;
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, settled, ms]);
  return settled;
}

/** A number bumped every `ms`. */
function useTick(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return tick;
}

/**
 * The subdistricts' names and boxes: undefined while loading, null when they cannot be loaded (the map
 * then shows the city; the summary's error names the valid ids).
 */
function useShapes(): Map<string, Shape> | null | undefined {
  const [shapes, setShapes] = useState<Map<string, Shape> | null | undefined>(undefined);
  useEffect(() => {
    const ctl = new AbortController();
    getSubdistrictShapes(ctl.signal).then(
      (fc: LayerCollection) => {
        const out = new Map<string, Shape>();
        for (const f of fc.features) {
          const id = String(f.id ?? f.properties?.id ?? '');
          const name = typeof f.properties?.name === 'string' ? f.properties.name : id;
          if (id) out.set(id, { name, bbox: bboxOf(f.geometry as GeoJSON.Geometry) });
        }
        setShapes(out);
      },
      (err: unknown) => {
        if (!isAbortError(err)) setShapes(null);
      },
    );
    return () => ctl.abort();
  }, []);
  return shapes;
}

function bboxOf(g: GeoJSON.Geometry): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      box[0] = Math.min(box[0], c[0]);
      box[1] = Math.min(box[1], c[1] as number);
      box[2] = Math.max(box[2], c[0]);
      box[3] = Math.max(box[3], c[1] as number);
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  if (g.type !== 'GeometryCollection') walk(g.coordinates);
  return box;
}

/**
 * Every problem (points.bin), fetched again when `version` or `cycle` changes. A failed fetch keeps the
 * last points (a wall never blanks over a server restart); the next version tries again.
 */
function usePoints(version: number, cycle: number): ProblemPoints | null {
  const [points, setPoints] = useState<ProblemPoints | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    getRaw('/api/hotspots/points.bin', ctl.signal)
      .then((res) => res.arrayBuffer())
      .then((buf) => setPoints(decodePoints(buf)))
      .catch((err: unknown) => {
        if (!isAbortError(err)) console.warn(`screen map: problem points not refreshed: ${err instanceof Error ? err.message : String(err)}`);
      });
    return () => ctl.abort();
  }, [version, cycle]);
  return points;
}

interface HotCells {
  /** Significant hot cells (the classes drawn). */
  hot: HotspotCollection;
  classes: LegendClass[];
  tourCells: TourCell[];
}

/** The period's cells from GET /api/hotspots (refetched when `key` changes); the last answer stays on failure. */
function useCells(period: ScreenPeriod, district: string | null, key: number): HotspotCollection | null {
  const [cells, setCells] = useState<HotspotCollection | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    const q = new URLSearchParams({ from: period.from, to: period.to });
    if (district) q.set('subdistrict', district);
    callJson<HotspotCollection>('GET', `/api/hotspots?${q}`, undefined, ctl.signal).then(setCells, (err: unknown) => {
      if (!isAbortError(err)) console.warn(`screen map: hot spots not refreshed: ${err instanceof Error ? err.message : String(err)}`);
    });
    return () => ctl.abort();
  }, [period, district, key]);
  return cells;
}

/**
 * The significant hot cells to draw, the classes present (for the legend), and the top cells for the
 * tour with their commonest category and subdistrict (a scan of the period's points per top cell).
 */
function hotCells(cells: HotspotCollection, pp: PeriodPoints | null, points: ProblemPoints | null, meta: Meta): HotCells {
  const hot = { ...cells, features: cells.features.filter((f) => isHotCell(f.properties)) };
  const present = new Set<string>(hot.features.map((f) => cellClass(f.properties)));
  const classes = LEGEND_CLASSES.filter((c) => present.has(c));
  const candidates: TourCell[] = hot.features.map((f) => ({
    h3: f.properties.h3,
    center: f.properties.center as LngLat,
    count: f.properties.count,
    class: f.properties.class,
    hotWeeks: f.properties.hotWeeks,
    z: f.properties.z,
    significant: f.properties.significant,
    topCategory: null,
    subdistrictName: null,
  }));
  const top = topHotCells(candidates, TOUR_CANDIDATES);
  if (pp && points) {
    const ring = (h3: string) => hot.features.find((f) => f.properties.h3 === h3)!.geometry.coordinates[0] as LngLat[];
    const mixes = cellMix(
      pp,
      top.map((c) => ring(c.h3)),
    );
    top.forEach((c, i) => {
      const m = mixes[i];
      const catId = m.category === null ? null : points.dictionary.categories[m.category];
      const cat = catId ? meta.categories.find((x) => x.id === catId) : undefined;
      if (cat) c.topCategory = { zh: cat.zh, en: cat.en, count: m.categoryCount };
      const sdId = m.subdistrict === null ? null : points.dictionary.subdistricts[m.subdistrict];
      c.subdistrictName = sdId ? (meta.subdistricts.find((x) => x.id === sdId)?.name ?? null) : null;
    });
  }
  return { hot, classes, tourCells: top };
}

/** The period's most recurring sites (GET /api/recurring), for the tour only. */
function useSites(period: ScreenPeriod, district: string | null, enabled: boolean, key: number): RecurringCollection | null {
  const [sites, setSites] = useState<RecurringCollection | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const ctl = new AbortController();
    const q = new URLSearchParams({ from: period.from, to: period.to, limit: String(TOUR_CANDIDATES) });
    if (district) q.set('subdistrict', district);
    callJson<RecurringCollection>('GET', `/api/recurring?${q}`, undefined, ctl.signal).then(setSites, (err: unknown) => {
      if (!isAbortError(err)) console.warn(`screen map: recurring sites not refreshed: ${err instanceof Error ? err.message : String(err)}`);
    });
    return () => ctl.abort();
  }, [period, district, enabled, key]);
  return enabled ? sites : null;
}

function tourSites(fc: RecurringCollection, meta: Meta): TourSite[] {
  return fc.features.map((f) => {
    const p = f.properties;
    const cat = meta.categories.find((c) => c.id === p.category);
    return {
      id: p.id,
      lngLat: f.geometry.coordinates as LngLat,
      recurrences: p.recurrences,
      reports: p.reports,
      category: cat ? { zh: cat.zh, en: cat.en } : null,
      subdistrictName: p.subdistrictId ? (meta.subdistricts.find((s) => s.id === p.subdistrictId)?.name ?? null) : null,
    };
  });
}

/** Today's routes (GET /api/screen/routes-today) as trips; null until loaded or when it fails. */
function useTrips(key: number): TripsDay | null {
  const [day, setDay] = useState<TripsDay | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    callJson<ScreenRoutes>('GET', '/api/screen/routes-today', undefined, ctl.signal).then(
      (r) => setDay(buildTrips(r.teams)),
      (err: unknown) => {
        if (!isAbortError(err)) console.warn(`screen map: today's routes not refreshed: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
    return () => ctl.abort();
  }, [key]);
  return day;
}

/** The subdistrict ranking of the period, for the tour (only fetched while `enabled`). */
function useRanking(period: ScreenPeriod, enabled: boolean, key: number) {
  const [ranking, setRanking] = useState<Awaited<ReturnType<typeof getRankings>> | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const ctl = new AbortController();
    getRankings(new URLSearchParams({ by: 'subdistrict', from: period.from, to: period.to }).toString(), ctl.signal).then(setRanking, (err: unknown) => {
      if (!isAbortError(err)) console.warn(`screen map: ranking not refreshed: ${err instanceof Error ? err.message : String(err)}`);
    });
    return () => ctl.abort();
  }, [period, enabled, key]);
  return enabled ? ranking : null;
}

/**
 * The pulses as overlay points whose ring grows and fades every second: one small setData a frame on
 * the overlay source (overlay.ts), only while something pulses.
 */
function usePulses(mapRef: { current: MapLibreMap | null }, pulses: readonly ScreenPulse[]): void {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    if (!pulses.length) return;
    const timer = setInterval(() => setFrame((f) => f + 1), PULSE_FRAME_MS);
    return () => clearInterval(timer);
  }, [pulses.length]);
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const phase = ((frame * PULSE_FRAME_MS) % 1000) / 1000;
    const data: GeoJSON.FeatureCollection | null = pulses.length
      ? {
          type: 'FeatureCollection',
          features: pulses.flatMap((p) => [
            {
              type: 'Feature',
              id: `${p.id}-ring`,
              geometry: { type: 'Point', coordinates: p.lngLat },
              properties: { id: p.id, color: 'rgba(255, 59, 48, 0.35)', radius: 12 + 28 * phase },
            },
            { type: 'Feature', id: p.id, geometry: { type: 'Point', coordinates: p.lngLat }, properties: { id: p.id, color: '#ff3b30', radius: 10 } },
          ]),
        }
      : null;
    if (map.isStyleLoaded() || map.getSource('overlay')) return void setOverlay(map, data);
    const apply = () => setOverlay(map, data);
    map.once('load', apply);
    return () => void map.off('load', apply);
  }, [mapRef, pulses, frame]);
}
