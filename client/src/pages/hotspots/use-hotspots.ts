/**
 * The hotspot page's state as hooks: the time window (held once, as the filters' dates), the heat
 * computed from the points on the GPU's terms, and the analysis requests that follow the window once it
 * rests.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { isAbortError } from '../../api/client';
import { createLivePoints, getHotspotCell, getHotspots, getRecurring, getVisits } from '../../api/hotspots';
import { listenToProblemEvents } from '../../api/ledger';
import { useGridArea } from '../../app/use-grid-area';
import type { FilterArea } from '../../../../server/contract/problem-filter';
import { useRequest, type RequestState } from '../../app/use-request';
import { EMPTY_FILTERS, filtersToQuery, STATUS_FILTERS, type ProblemFilters } from '../../lib/filters';
import { heatData, type HeatData } from '../../map/deck/layers';
import { countInWindow, dayAttribute, daysOfWeeks, heatWeights, pointMask, weeklyCounts, type HeatWeight, type ProblemPoints } from '../../map/deck/points-bin';
import { datesOfWindow, nextPlayWindow, windowOfDates, type WeekWindow } from './time-window';

const PLAY_STEP_MS = 900;
const ANALYSIS_DEBOUNCE_MS = 350;
const SITES_LIMIT = 50;

/**
 * Every problem's point: points.bin once, then after each problem event (a report, a transition, a merge)
 * only the rows it changed, written into the same columns (createLivePoints; a burst shares one delta).
 * A failed refresh keeps the points shown and says so in `error`; `onFirst` runs when the first arrive.
 */
export function useLivePoints(onFirst?: () => void): RequestState<ProblemPoints> {
  const [live] = useState(createLivePoints);
  const [version, setVersion] = useState(0);
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ data: ProblemPoints | null; error: Error | null; loading: boolean }>({ data: null, error: null, loading: true });
  const first = useRef(false);
  useEffect(() => listenToProblemEvents(() => setVersion((v) => v + 1)), []);
  useEffect(() => () => live.close(), [live]);
  useEffect(() => {
    const ctl = new AbortController();
    live.refresh(ctl.signal).then(
      (data) => {
        if (!first.current) {
          first.current = true;
          onFirst?.();
        }
        setState({ data, error: null, loading: false });
      },
      (err: unknown) => {
        if (isAbortError(err)) return;
        setState((s) => ({ data: s.data, error: err instanceof Error ? err : new Error(String(err)), loading: false }));
      },
    );
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- onFirst is read once, when the first points arrive
  }, [live, version, attempt]);
  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return { ...state, retry };
}

export interface HotspotWindow {
  /** The window in weeks, from the filters' dates ([0, 0] before the points are in). */
  win: WeekWindow;
  /** Moves the window: writes its dates into the filters, so the panel, the URL and the map agree. */
  setWindow: (next: WeekWindow) => void;
  playing: boolean;
  setPlaying: (playing: boolean) => void;
  /** The window the statistics are for: `win` once it has rested (not every playback step); null at first. */
  analysisWin: WeekWindow | null;
}

/** The time window over `points`, held as `filters.from`/`to`. */
export function useHotspotWindow(
  points: ProblemPoints | null,
  filters: ProblemFilters,
  setFilters: (update: (f: ProblemFilters) => ProblemFilters) => void,
): HotspotWindow {
  const [playing, setPlaying] = useState(false);
  const [analysisWin, setAnalysisWin] = useState<WeekWindow | null>(null);
  const [w0, w1] = points ? windowOfDates(points, filters) : [0, 0];
  const weeks = points?.weeks ?? 0;

  const setWindow = useMemo(
    () => (next: WeekWindow) => {
      if (!points) return;
      const dates = datesOfWindow(points, next);
      setFilters((f) => ({ ...f, ...dates }));
    },
    [points, setFilters],
  );

  // Playback: one week per step; it stops at the last week.
  useEffect(() => {
    if (!playing || weeks === 0) return;
    const id = setTimeout(() => {
      const next = nextPlayWindow([w0, w1], weeks);
      if (next) setWindow(next);
      else setPlaying(false);
    }, PLAY_STEP_MS);
    return () => clearTimeout(id);
  }, [playing, weeks, w0, w1, setWindow]);

  useEffect(() => {
    if (!points || playing) return;
    const id = setTimeout(() => setAnalysisWin([w0, w1]), ANALYSIS_DEBOUNCE_MS);
    return () => clearTimeout(id);
  }, [points, playing, w0, w1]);

  const win = useMemo<WeekWindow>(() => [w0, w1], [w0, w1]);
  return { win, setWindow, playing, setPlaying, analysisWin };
}

export interface Heat {
  /** The heat layer's binary data: one object per points buffer and weights (the window is a GPU filter). */
  data: HeatData | null;
  /** Day index range of the window. */
  dayRange: [number, number] | null;
  /** Weekly counts of the problems passing the non-time filters. */
  weekly: Uint32Array | null;
  /** Totals in the window. */
  counts: { total: number; open: number; overdue: number } | null;
  /** The chosen grids' outlines once loaded (null: no grid chosen, or still loading). */
  area: FilterArea | null;
}

/** The heat of `points` under the non-time filters, weighed by `measure`, and its counts in the window. */
export function useHeat(
  points: ProblemPoints | null,
  filters: ProblemFilters,
  measure: HeatWeight,
  win: WeekWindow,
  districtSubdistricts?: (ids: string[]) => string[],
): Heat {
  // Recomputed when a list filter changes, never on a slider step (which only moves a GPU uniform): the
  // lists are keyed by their text, so the same selection in a new array keeps the mask.
  const listKey = filtersToQuery({
    ...EMPTY_FILTERS,
    categories: filters.categories,
    statuses: filters.statuses,
    districts: filters.districts,
    subdistricts: filters.subdistricts,
    units: filters.units,
  });
  const lists = useMemo(() => listsOfQuery(listKey), [listKey]);
  // A grid filter tests the grids' outlines, loaded once chosen: no heat until they are (a stale one would mislead).
  const grid = useGridArea(filters.grids);
  const area = filters.grids.length === 0 ? null : grid.loading ? undefined : (grid.data ?? undefined);
  const mask = useMemo(
    () => (points && area !== undefined ? pointMask(points, lists, area, districtSubdistricts) : null),
    [points, lists, area, districtSubdistricts],
  );
  const weights = useMemo(() => (points && mask ? heatWeights(points, measure, mask) : null), [points, mask, measure]);
  const day = useMemo(() => (points ? dayAttribute(points) : null), [points]);
  const data = useMemo(() => (points && weights && day ? heatData(points.count, points.position, weights, day) : null), [points, weights, day]);
  const weekly = useMemo(() => (points && mask ? weeklyCounts(points, mask) : null), [points, mask]);
  const [d0, d1] = points ? daysOfWeeks(points, win[0], win[1]) : [0, -1];
  const counts = useMemo(() => (points && mask ? countInWindow(points, mask, [d0, d1]) : null), [points, mask, d0, d1]);
  const dayRange = useMemo<[number, number] | null>(() => (points ? [d0, d1] : null), [points, d0, d1]);
  return { data, dayRange, weekly, counts, area: area ?? null };
}

/** The list filters written in `listKey` (filtersToQuery's form). */
function listsOfQuery(listKey: string): Pick<ProblemFilters, 'categories' | 'statuses' | 'districts' | 'subdistricts' | 'units'> {
  const q = new URLSearchParams(listKey);
  const list = (name: string) => (q.get(name) ?? '').split(',').filter(Boolean);
  const statuses = list('status');
  return {
    categories: list('category'),
    statuses: STATUS_FILTERS.filter((s) => statuses.includes(s)),
    districts: list('district'),
    subdistricts: list('subdistrict'),
    units: list('unit'),
  };
}

/** The cells, the recurring sites and the selected cell's weeks for the filters over `analysisWin`. */
export function useHotspotAnalysis(
  points: ProblemPoints | null,
  filters: ProblemFilters,
  analysisWin: WeekWindow | null,
  res: number,
  selectedCell: string | null,
) {
  const analysis = points && analysisWin ? { ...filters, ...datesOfWindow(points, analysisWin) } : null;
  const key = analysis ? filtersToQuery(analysis) : null;
  const cells = useRequest(analysis ? (signal) => getHotspots(analysis, res, signal) : null, [key, res]);
  const sites = useRequest(analysis ? (signal) => getRecurring(analysis, SITES_LIMIT, signal) : null, [key]);
  const history = useRequest(selectedCell && analysis ? (signal) => getHotspotCell(selectedCell, analysis, res, signal) : null, [selectedCell, key, res]);
  // Asked apart from the sites: those are cached per problem revision, and a check changes no problem.
  const placeIds = [...new Set((sites.data?.features ?? []).flatMap((f) => (f.properties.placeId ? [f.properties.placeId] : [])))];
  const visits = useRequest(analysis && placeIds.length > 0 ? (signal) => getVisits(placeIds, analysis.from, analysis.to, signal) : null, [
    key,
    placeIds.join(','),
  ]);
  return { cells, sites, history, visits };
}
