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
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { TripsLayer } from '@deck.gl/geo-layers';
import { GeoJsonLayer, PathLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { HotspotCollection, RecurringCollection } from '../../../../server/contract/hotspots';
import type { LayerCollection } from '../../../../server/contract/layers';
import { isAbortError } from '../../api/client';
import { getHotspots, getProblemPoints, getRecurring } from '../../api/hotspots';
import { getRoutesToday } from '../../api/screen';
import type { BBox, LngLat, Meta } from '../../api/types';
import { getRankings, getSubdistrictShapes } from '../../api/ledger';
import type { Lang } from '../../app/i18n';
import { useI18n } from '../../app/use-i18n';
import { EMPTY_FILTERS, filtersToQuery, type ProblemFilters } from '../../lib/filters';
import { CLASS_COLORS, HEAT_COLORS, heatLayer, type HeatData } from '../../map/deck/layers';
import type { ProblemPoints } from '../../map/deck/points-bin';
import { buildMapStyle, NIGHT_COLORS } from '../../map/map-style';
import { LABELS_BEFORE_ID, MapView, type DeckAnimation, type MapFocus } from '../../map/MapView';
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
  // The wall shows no error banner over its map: a missing tile is said on the console.
  const onMapError = useCallback((message: string) => console.warn(`screen map: ${message}`), []);
  // The pinned subdistrict's box once the shapes are in (undefined until then: the map waits, so it
  // opens on the right place); the city when there is none or it is unknown.
  const home: BBox | undefined = district ? (shapes === undefined ? undefined : (shapes?.get(district)?.bbox ?? meta.city.bbox)) : meta.city.bbox;

  const [factor] = useState(() => designFactor(window.innerWidth, window.innerHeight));
  const [cycle, setCycle] = useState(0);
  const slowTick = useTick(SLOW_REFRESH_MS);
  // Inside the tour the slow data follows the tour's cycles; outside, a slow clock.
  const slowKey = tour ? cycle : slowTick;

  const heatVersion = useSettled(version, HEAT_SETTLE_MS);
  const points = useRefreshed('problem points', getProblemPoints, true, `${heatVersion}:${cycle}`);
  const pp = useMemo(() => (points ? periodPoints(points, period, district) : null), [points, period, district]);
  const filters = periodFilters(period, district);
  const filtersKey = filtersToQuery(filters);
  const rawCells = useRefreshed('hot spots', (signal) => getHotspots(filters, undefined, signal), true, `${filtersKey}:${slowKey}`);
  const cells = useMemo(() => (rawCells ? hotCells(rawCells, pp, points, meta) : null), [rawCells, pp, points, meta]);
  // Recurring sites and the ranking are for the tour's captions only.
  const rawSites = useRefreshed('recurring sites', (signal) => getRecurring(filters, TOUR_CANDIDATES, signal), tour, `${filtersKey}:${slowKey}`);
  const sites = useMemo(() => (rawSites ? tourSites(rawSites, meta) : []), [rawSites, meta]);
  const routes = useRefreshed("today's routes", getRoutesToday, true, String(slowKey));
  const trips = useMemo(() => (routes ? buildTrips(routes.teams) : null), [routes]);
  const rankingQuery = new URLSearchParams({ by: 'subdistrict', from: period.from, to: period.to }).toString();
  const ranking = useRefreshed('ranking', (signal) => getRankings(rankingQuery, signal), tour && !district, `${rankingQuery}:${slowKey}`);

  const style = useMemo(() => {
    const base = buildMapStyle({ origin: window.location.origin, bbox: meta.city.bbox, problemQuery: '', hidden: ['problems'], palette: NIGHT_COLORS });
    return scaleStyle(base, { text: factor * WALL_TEXT_BOOST, line: factor });
  }, [meta, factor]);

  // The static layers; the trips layer is drawn per frame by MapView's animation loop.
  const weeks = period.days / 7;
  const staticLayers = useMemo(() => {
    const layers: Layer[] = [];
    layers.push(
      heatLayer({
        id: 'screen-heat',
        data: pp ? screenHeat(pp) : EMPTY_HEAT,
        dayRange: null,
        weeks,
        measure: 'count',
        radiusPx: HEAT_RADIUS_PX * factor,
        opacity: 0.7,
        beforeId: LABELS_BEFORE_ID,
      }),
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
  const animation = useMemo<DeckAnimation | null>(
    () =>
      trips && trips.trips.length > 0 ? { frameMs: TRIPS_FRAME_MS, layer: (elapsedMs) => tripsLayer(trips, loopTime(elapsedMs, trips.spanS), factor) } : null,
    [trips, factor],
  );

  const overlay = usePulseOverlay(pulses);

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

  // The camera moves when the stop changes (its key, or its place in the cycle), not when a refresh rebuilds the same stop.
  const stopKey = stop?.key ?? null;
  const stopTarget = stop?.target ?? null;
  const [focus, setFocus] = useState<MapFocus | null>(null);
  useEffect(() => {
    if (!stopKey || !stopTarget) return;
    const durationMs = flyDurationMs(interval);
    setFocus((f) => {
      const key = (f?.key ?? 0) + 1;
      return 'bbox' in stopTarget
        ? { bbox: stopTarget.bbox, padding: FIT_PADDING, durationMs, key }
        : { center: stopTarget.center, zoom: stopTarget.zoom, exactZoom: true, fly: true, durationMs, key };
    });
    window.__xunchaTourStop = { key: stopKey, index: stopIndex, total: stops.length };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the camera follows the stop (key, index), not each rebuild of its target
  }, [stopKey, stopIndex, stops.length, interval]);
  useEffect(() => () => void delete window.__xunchaTourStop, []);

  const label = periodLabel(period)[lang];
  const classes = cells?.classes ?? [];
  return (
    <>
      {home && (
        <MapView
          style={style}
          initialView={null}
          fitBounds={home}
          fitPadding={FIT_PADDING}
          attribution={meta.city.attribution}
          ariaLabel={t('screen.mapLabel')}
          className="screen-map-canvas"
          handling="wall"
          overlay={overlay}
          deckLayers={staticLayers}
          deckAnimation={animation}
          deckJoinAfterIdleMs={DECK_JOIN_DELAY_MS}
          focus={focus}
          onError={onMapError}
        />
      )}
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
const EMPTY_HEAT: HeatData = { length: 0, attributes: { getPosition: { value: new Float32Array(0), size: 2 } } };

/** The period's problems as deck.gl binary input (every weight 1, no day filter: the points are the period's). */
function screenHeat(pp: PeriodPoints): HeatData {
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

interface HotCells {
  /** Significant hot cells (the classes drawn). */
  hot: HotspotCollection;
  classes: LegendClass[];
  tourCells: TourCell[];
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

/**
 * The pulses as overlay points whose ring grows and fades every second: one small setData a frame on
 * the overlay source (overlay.ts), only while something pulses; null when nothing does.
 */
function usePulseOverlay(pulses: readonly ScreenPulse[]): GeoJSON.FeatureCollection | null {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    if (!pulses.length) return;
    const timer = setInterval(() => setFrame((f) => f + 1), PULSE_FRAME_MS);
    return () => clearInterval(timer);
  }, [pulses.length]);
  return useMemo(() => {
    if (!pulses.length) return null;
    const phase = ((frame * PULSE_FRAME_MS) % 1000) / 1000;
    return {
      type: 'FeatureCollection',
      features: pulses.flatMap((p): GeoJSON.Feature[] => [
        {
          type: 'Feature',
          id: `${p.id}-ring`,
          geometry: { type: 'Point', coordinates: p.lngLat },
          properties: { id: p.id, color: 'rgba(255, 59, 48, 0.35)', radius: 12 + 28 * phase },
        },
        { type: 'Feature', id: p.id, geometry: { type: 'Point', coordinates: p.lngLat }, properties: { id: p.id, color: '#ff3b30', radius: 10 } },
      ]),
    };
  }, [pulses, frame]);
}

/**
 * What `load` answers, fetched again whenever `key` changes while `enabled` (null while disabled or until
 * the first answer). A failed fetch keeps the last answer (a wall never blanks over a server restart) and
 * says so on the console; the next key tries again. `key` names everything `load` reads.
 */
function useRefreshed<T>(what: string, load: (signal: AbortSignal) => Promise<T>, enabled: boolean, key: string): T | null {
  const [value, setValue] = useState<T | null>(null);
  // The fetch follows `key`, not each render's new closure; the closure of the latest render runs.
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    if (!enabled) return;
    const ctl = new AbortController();
    loadRef.current(ctl.signal).then(setValue, (err: unknown) => {
      if (!isAbortError(err)) console.warn(`screen map: ${what} not refreshed: ${err instanceof Error ? err.message : String(err)}`);
    });
    return () => ctl.abort();
  }, [key, enabled, what]);
  return enabled ? value : null;
}

/** The API filters of the screen's period and pinned subdistrict. */
function periodFilters(period: ScreenPeriod, district: string | null): ProblemFilters {
  return { ...EMPTY_FILTERS, from: period.from, to: period.to, subdistricts: district ? [district] : [] };
}
