/**
 * The big screen's centre map: MapLibre with the city's basemap (labels scaled for a wall, see
 * map/screen-style.ts) and one interleaved deck.gl overlay under the labels with
 * - the heat of the period's problems (points.bin filtered to `?period=` and the subdistricts of
 *   `?district=`, a district's or the one subdistrict's, kept current
 *   by deltas; a fixed colour domain per week, so colours mean the same every night),
 * - the period's hot cells from GET /api/hotspots (a hot emerging class, or a significant Gi* cluster),
 *   outlined by class,
 * - today's inspection routes animated along the streets (TripsLayer, a working day in 60 s), only
 *   when plans exist for today; a team that has walked is replayed along its walked track (GET
 *   /api/plans/:id/tracks) at the times of its fixes instead of its plan, and its track stays drawn;
 * - each team's latest position with its name (GET /api/tracks/positions, then the page's
 *   `team.position` events), greyed after TRACK_FADE_MS without a fix. Tracks and positions are asked
 *   for once the basemap has first drawn, so they never compete with the first paint;
 * plus the pulse where a new problem arrives (MapLibre overlay source, overlay.ts), and tour mode
 * (`?tour=1&interval=20`, tour.ts): the camera flies from stop to stop with a large caption saying why.
 *
 * Nothing grows over a night: one requestAnimationFrame loop (only while there are trips), one tour
 * timer, both cancelled on unmount; each refresh replaces the data, and deck.gl layers keep their ids,
 * so a new frame is new props for the same layers.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createLivePoints, getHotspots, getRecurring } from '../../api/hotspots';
import { getRankings } from '../../api/ledger';
import { getPlansToday } from '../../api/screen';
import { fetchPlanTracks, fetchTeamPositions } from '../../api/tracks';
import type { TeamPositionEvent } from '../../../../server/contract/tracks';
import type { Meta } from '../../api/types';
import type { Lang } from '../../app/i18n';
import { useI18n } from '../../app/use-i18n';
import { EMPTY_FILTERS, filtersToQuery, type ProblemFilters } from '../../lib/filters';
import { buildMapStyle, NIGHT_COLORS } from '../../map/map-style';
import { MapView, type DeckAnimation, type MapFocus } from '../../map/MapView';
import { periodPoints } from './map/period-points';
import { teamMarkers } from './map/positions';
import { homeBox, hotCells, TOUR_CANDIDATES, tourSites } from './map/screen-data';
import { positionLayers, routeLayers, screenLayers, tripsLayer } from './map/screen-layers';
import { ScreenMapLegend, TourCaption } from './ScreenMapLegend';
import { designFactor, scaleStyle, WALL_TEXT_BOOST } from './map/screen-style';
import { buildTrips, loopTime, walkedByTeam } from './map/trips';
import type { ScreenPeriod, ScreenPin } from './screen-url';
import { buildTour, flyDurationMs, nextIndex, periodLabel, type TourStop } from './tour';
import { usePulseOverlay, useRefreshed, useSettled, useShapes, useTick, type ScreenPulse } from './use-screen-map';
import { useNow } from '../../app/use-now';
import './screen-map.css';

export type { ScreenPulse };

export interface ScreenMapProps {
  meta: Meta;
  lang: Lang;
  /** The pinned district or subdistrict (already checked against meta), null for the whole city. */
  district: ScreenPin | null;
  period: ScreenPeriod;
  tour: boolean;
  /** Seconds per tour stop. */
  interval: number;
  pulses: readonly ScreenPulse[];
  /** The newest `team.position` event per team, from the page's event stream. */
  teamEvents: readonly TeamPositionEvent[];
  /** Bumped by the page when problems changed (an event, a poll): the heat is fetched again. */
  version: number;
}

const FIT_PADDING = { top: 40, bottom: 40, left: 40, right: 40 };
/** Hot cells and routes are fetched again this often outside the tour (inside it: every cycle). */
const SLOW_REFRESH_MS = 5 * 60_000;
/**
 * The heat follows new problems this long after the last change: the panels' refetch goes first, and a
 * burst costs one delta of the rows it changed (points.delta), not one per event.
 */
const HEAT_SETTLE_MS = 2_000;
/** After the basemap's first idle: one more frame for the panels before deck.gl's shaders compile. */
const DECK_JOIN_DELAY_MS = 100;
/** The trips animation is drawn at most this often: smooth on a wall, light on a software-rendered PC. */
const TRIPS_FRAME_MS = 1000 / 30;
/**
 * While fixes arrive, the walked tracks are fetched again at most this often (besides the slow clock): the
 * markers move with every event, the lines behind them follow in steps, and each new answer restarts
 * the replay's loop, so not on every batch.
 */
const TRACKS_FOLLOW_MS = 2 * 60_000;
/** How often a marker's fade is judged. */
const FADE_CLOCK_MS = 15_000;

/** The centre map of the big screen; see the module comment. */
export function ScreenMap(props: ScreenMapProps) {
  const { meta, district, period, tour, interval, pulses, teamEvents, version, lang } = props;
  const { t } = useI18n();
  const shapes = useShapes('subdistricts');
  const districtShapes = useShapes('districts', district?.level === 'district');
  // The wall shows no error banner over its map: a missing tile is said on the console.
  const onMapError = useCallback((message: string) => console.warn(`screen map: ${message}`), []);
  // The pinned area's box once the shapes are in (undefined until then: the map waits, so it opens on
  // the right place); the city when none is pinned.
  const home = useMemo(() => homeBox(district, shapes, districtShapes, meta.city.bbox), [district, shapes, districtShapes, meta]);

  const [factor] = useState(() => designFactor(window.innerWidth, window.innerHeight));
  const [cycle, setCycle] = useState(0);
  const slowTick = useTick(SLOW_REFRESH_MS);
  // Inside the tour the slow data follows the tour's cycles; outside, a slow clock.
  const slowKey = tour ? cycle : slowTick;

  const heatVersion = useSettled(version, HEAT_SETTLE_MS);
  // Every problem once, then only the rows that changed: a report costs the wall a few bytes, not the whole file.
  const [live] = useState(createLivePoints);
  useEffect(() => () => live.close(), [live]);
  const points = useRefreshed('problem points', live.refresh, true, `${heatVersion}:${cycle}`);
  const pp = useMemo(() => (points ? periodPoints(points, period, district?.subdistricts ?? null) : null), [points, period, district]);
  const filters = periodFilters(period, district);
  const filtersKey = filtersToQuery(filters);
  const rawCells = useRefreshed('hot spots', (signal) => getHotspots(filters, undefined, signal), true, `${filtersKey}:${slowKey}`);
  const cells = useMemo(() => (rawCells ? hotCells(rawCells, pp, points, meta) : null), [rawCells, pp, points, meta]);
  // Recurring sites and the ranking are for the tour's captions only.
  const rawSites = useRefreshed('recurring sites', (signal) => getRecurring(filters, TOUR_CANDIDATES, signal), tour, `${filtersKey}:${slowKey}`);
  const sites = useMemo(() => (rawSites ? tourSites(rawSites, meta) : []), [rawSites, meta]);
  const routes = useRefreshed("today's routes", getPlansToday, true, String(slowKey));
  // Set at the basemap's first idle: what only the map's extras need waits until then.
  const [mapUp, setMapUp] = useState(false);
  const onLoadingChange = useCallback((loading: boolean) => {
    if (!loading) setMapUp(true);
  }, []);
  const planIds = useMemo(() => [...new Set((routes?.teams ?? []).map((tm) => tm.planId))].sort(), [routes]);
  const lastEventMs = teamEvents.reduce((m, e) => Math.max(m, Date.parse(e.at) || 0), 0);
  const walkedPlans = useRefreshed(
    'walked tracks',
    (signal) => Promise.all(planIds.map((planId) => fetchPlanTracks(planId, signal).then((tracks) => ({ planId, tracks })))),
    mapUp && planIds.length > 0,
    `${planIds.join(',')}:${slowKey}:${Math.floor(lastEventMs / TRACKS_FOLLOW_MS)}`,
  );
  const positions = useRefreshed('team positions', fetchTeamPositions, mapUp, String(slowKey));
  const trips = useMemo(() => (routes ? buildTrips(routes.teams, walkedByTeam(routes.teams, walkedPlans ?? [])) : null), [routes, walkedPlans]);
  const now = useNow(FADE_CLOCK_MS);
  const markers = useMemo(() => teamMarkers(positions, teamEvents, routes?.teams ?? [], now), [positions, teamEvents, routes, now]);
  // The tour's subdistricts: the city's, or a pinned district's own (a subdistrict's wall has none to visit).
  const rankWithin = district?.level === 'district' ? district.id : undefined;
  const ranking = useRefreshed(
    'ranking',
    (signal) => getRankings({ by: 'subdistrict', district: rankWithin, from: period.from, to: period.to }, signal),
    tour && district?.level !== 'subdistrict',
    `${rankWithin}:${period.from}:${period.to}:${slowKey}`,
  );

  const style = useMemo(() => {
    const base = buildMapStyle({ origin: window.location.origin, bbox: meta.city.bbox, problemQuery: '', hidden: ['problems'], palette: NIGHT_COLORS });
    return scaleStyle(base, { text: factor * WALL_TEXT_BOOST, line: factor });
  }, [meta, factor]);

  // The static layers; the trips layer is drawn per frame by MapView's animation loop.
  const weeks = period.days / 7;
  // In three parts, so a new track or a moved marker leaves the heat's props (and its upload) alone.
  const baseLayers = useMemo(() => screenLayers({ pp, cells, factor, weeks }), [pp, cells, factor, weeks]);
  const walkLayers = useMemo(() => routeLayers(trips, factor), [trips, factor]);
  const markerLayers = useMemo(() => positionLayers(markers, factor), [markers, factor]);
  const staticLayers = useMemo(() => [...baseLayers, ...walkLayers, ...markerLayers], [baseLayers, walkLayers, markerLayers]);

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
    const name = district ? district.name : lang === 'zh' ? meta.city.name : meta.city.nameEn || meta.city.name;
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

  // The camera moves when the stop changes (its key, or its place in the cycle), not when a refresh rebuilds
  // the same stop: the effect follows those two and reads the rest of the latest render from a ref.
  const stopKey = stop?.key ?? null;
  const latestStop = useRef({ stop, total: stops.length, interval });
  latestStop.current = { stop, total: stops.length, interval };
  const [focus, setFocus] = useState<MapFocus | null>(null);
  useEffect(() => {
    const { stop: current, total, interval: seconds } = latestStop.current;
    if (!stopKey || !current) return;
    const target = current.target;
    const durationMs = flyDurationMs(seconds);
    setFocus((f) => {
      const key = (f?.key ?? 0) + 1;
      return 'bbox' in target
        ? { bbox: target.bbox, padding: FIT_PADDING, durationMs, key }
        : { center: target.center, zoom: target.zoom, exactZoom: true, fly: true, durationMs, key };
    });
    window.__xunchaTourStop = { key: stopKey, index: stopIndex, total };
  }, [stopKey, stopIndex]);
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
          onLoadingChange={onLoadingChange}
        />
      )}
      <ScreenMapLegend period={label} classes={classes} trips={trips} markers={markers} />
      {tour && stop && <TourCaption key={stop.key} stop={stop} step={Math.min(stopIndex, stops.length - 1) + 1} total={stops.length} lang={lang} />}
    </>
  );
}

/**
 * The API filters of the screen's period and pinned area, a district as its subdistricts (the mask
 * the heat uses too, so hot cells and heat cover the same problems).
 */
function periodFilters(period: ScreenPeriod, district: ScreenPin | null): ProblemFilters {
  return { ...EMPTY_FILTERS, from: period.from, to: period.to, subdistricts: district ? district.subdistricts : [] };
}
