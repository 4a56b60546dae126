import { filterResolver } from '../problems/filter';
import { cellToBoundary, cellToLatLng } from 'h3-js';
import { findRecurringSites } from '../../analytics/recurring';
import { analyseCube, type CubeInput, type CubeResult } from '../../analytics/space-time-cube';
import { NotFoundError } from '../../errors';
import {
  H3_RES_DEFAULT,
  HOTSPOT_CLASS_NAMES,
  RECURRING_LIMIT_DEFAULT,
  type HotspotCellHistory,
  type HotspotCollection,
  type HotspotQuery,
  type RecurringCollection,
  type RecurringQuery,
} from '../../contract/hotspots';
import { toProblemFilter } from '../../contract/problems';
import type { FilterResolver } from '../../contract/problem-filter';
import type { Store } from '../../store/index';
import { cityDay, DAY_MS, dayDate, toCityIso } from '../../contract/city-time';
import { DEFAULT_RADIUS_M, type AnalyticsIndex } from '../problems/analytics-index';
import type { LiveIndex } from '../problems/live-index';
import { encodePointsBinFrom, pointsBinInput, pointsBinSubset, type PointsBinInput } from './points-bin';
import { compileFilter, isFinishedCode, passes } from '../problems/problem-index';

/** Resolves grid ids into their outlines and district ids into their subdistricts (the store does). */
type Resolver = Partial<FilterResolver>;

const HOUR_MS = 3_600_000;
/** points.bin is rebuilt per problems revision and hour (its lateDays column counts from now). */
const hourOf = (nowMs: number) => Math.floor(nowMs / HOUR_MS);
const UTF8 = new TextEncoder();
/** Answers kept per problems revision (a slider or filter change asks for a new one). */
const CACHE_ENTRIES = 64;

/** One hotspot analysis: the cells with data, the weeks and the cube statistics. */
export interface Analysis {
  res: number;
  cellIds: string[];
  /** City day of the first day of the first 7-day period. */
  firstDay: number;
  weeks: number;
  counts: Float64Array;
  result: CubeResult;
}

/** Hotspot statistics, recurring sites and the binary point layer over the store's problems. */
export interface Hotspots {
  /** `GET /api/hotspots` body (UTF-8 JSON), cached by query. */
  hotspotsJson(q: HotspotQuery, nowMs: number): Promise<Uint8Array>;
  /** Weekly counts, z and state of one cell under the same query. */
  cellHistory(cell: string, q: HotspotQuery, nowMs: number): Promise<HotspotCellHistory>;
  /** `GET /api/recurring` body (UTF-8 JSON), cached by query. */
  recurringJson(q: RecurringQuery, nowMs: number): Promise<Uint8Array>;
  /**
   * `GET /api/hotspots/points.bin` body (see server/routes/hotspots/points-bin.md), cached per version;
   * with `subdistricts`, only their problems (a district account's points.bin).
   */
  pointsBin(nowMs: number, subdistricts?: readonly string[]): Promise<Uint8Array>;
  /** The version `pointsBin(nowMs)` would answer with (problems revision and hour): its ETag, without building it. */
  pointsBinVersion(nowMs: number): Promise<string>;
  /** Builds the index and the default resolution's cells now (otherwise the first request does). */
  warm(): Promise<void>;
}

/**
 * Runs the cube statistics (Gi*, FDR, trends: ~0.2 s at a million problems, 800,000 bins): the app hands
 * them to the worker pool, so the event loop only counts the cube; default in-process.
 */
export type CubeRunner = (cube: CubeInput) => Promise<CubeResult>;

const inProcessCube: CubeRunner = (cube) => Promise.resolve(analyseCube(cube));

/** Makes points.bin from its snapshot (~150 ms at a million problems): the app hands it to the pool. */
export type PointsEncoder = (input: PointsBinInput) => Promise<Uint8Array>;

const inProcessPoints: PointsEncoder = (input) => Promise.resolve(encodePointsBinFrom(input));

/**
 * Serves hotspots from the shared live index (patched by each write, services/problems/live-index.ts);
 * answers are cached by query and dropped whenever the problems revision moves (an import, a report, a
 * transition).
 */
export function createHotspots(store: Store, live: LiveIndex, runCube: CubeRunner = inProcessCube, encodePoints: PointsEncoder = inProcessPoints): Hotspots {
  let cache: { revision: number; answers: Map<string, unknown> } | null = null;
  const current = async () => {
    const { revision, index } = await live.current();
    if (!cache || cache.revision !== revision) cache = { revision, answers: new Map() };
    return { index, cache: cache.answers };
  };
  // Looked up and stored with no await between: concurrent askers of one key share one answer.
  function remember<T>({ index, cache }: Awaited<ReturnType<typeof current>>, key: string, make: (index: AnalyticsIndex) => T): T {
    if (cache.has(key)) {
      const hit = cache.get(key) as T;
      cache.delete(key); // re-insert: Map order is the LRU order
      cache.set(key, hit);
      return hit;
    }
    const value = make(index);
    cache.set(key, value);
    if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
    return value;
  }
  /** `cached` for work that finishes later: one promise per key however many ask at once, forgotten if it fails (the pool's queue was full, a worker was lost) so the next request tries again. */
  async function cached<T>(key: string, make: (index: AnalyticsIndex) => T): Promise<T> {
    return remember(await current(), key, make);
  }
  async function cachedAsync<T>(key: string, make: (index: AnalyticsIndex) => Promise<T>): Promise<T> {
    const now = await current();
    const { cache } = now;
    const pending = remember(now, key, make);
    pending.catch(() => {
      if (cache.get(key) === pending) cache.delete(key);
    });
    return pending;
  }
  // The `overdue` status filter depends on the clock; such answers are kept for a minute only.
  // A grid filter's answer also depends on the grids' outlines, named by the area's key (ids and versions).
  const keyOf = (kind: string, q: object & { status?: string[]; grid?: string[] }, nowMs: number, resolve: Resolver) =>
    `${kind}|${JSON.stringify(q)}|${q.status?.includes('overdue') ? Math.floor(nowMs / 60_000) : ''}|${q.grid?.length ? resolve.gridArea?.(q.grid).key : ''}`;

  // Counted here (a loop over the index), the statistics in `runCube`.
  // `resolve`: the query's grids and districts, when the caller has read them already.
  const analysisFor = async (q: HotspotQuery, nowMs: number, given?: Resolver): Promise<Analysis> => {
    const resolve = given ?? (await filterResolver(store, q));
    return cachedAsync(keyOf('analysis', q, nowMs, resolve), async (index) => {
      const { result, ...cube } = hotspotCube(index, q, nowMs, resolve);
      return { ...cube, result: await runCube(result) };
    });
  };

  return {
    async hotspotsJson(q, nowMs) {
      // Cached as bytes: a cached answer then costs no serialisation and no encoding.
      const resolve = await filterResolver(store, q);
      return cachedAsync(keyOf('hotspots', q, nowMs, resolve), async () => UTF8.encode(JSON.stringify(toCollection(await analysisFor(q, nowMs, resolve)))));
    },
    async cellHistory(cell, q, nowMs) {
      const a = await analysisFor(q, nowMs);
      const c = a.cellIds.indexOf(cell);
      if (c < 0) {
        throw new NotFoundError(
          `Cell ${cell} has no problems at resolution ${a.res} under these filters; take a cell from /api/hotspots with the same res and filters.`,
        );
      }
      const T = a.weeks;
      return {
        h3: cell,
        res: a.res,
        class: HOTSPOT_CLASS_NAMES[a.result.classCode[c]],
        weeks: Array.from({ length: T }, (_, t) => {
          const state = a.result.binState[c * T + t];
          return {
            start: dayDate(a.firstDay + 7 * t),
            count: a.counts[c * T + t],
            z: a.result.binZ[c * T + t],
            state: state > 0 ? ('hot' as const) : state < 0 ? ('cold' as const) : ('none' as const),
          };
        }),
      };
    },
    async recurringJson(q, nowMs) {
      const resolve = await filterResolver(store, q);
      return cached(keyOf('recurring', q, nowMs, resolve), (index) => UTF8.encode(JSON.stringify(recurringSites(index, q, nowMs, resolve))));
    },
    pointsBin(nowMs, subdistricts) {
      // The snapshot is taken now, at this revision; the body is made in the pool.
      const key = `points|${hourOf(nowMs)}|${subdistricts ? [...subdistricts].sort().join(',') : '*'}`;
      return cachedAsync(key, (index) => {
        const input = pointsBinInput(index, nowMs);
        return encodePoints(subdistricts ? pointsBinSubset(input, subdistricts) : input);
      });
    },
    // The same revision and hour give the same bytes: pointsBin caches them under that key.
    async pointsBinVersion(nowMs) {
      return `${await store.problemsRevision()}-${hourOf(nowMs)}`;
    },
    async warm() {
      (await live.current()).index.cells(H3_RES_DEFAULT);
    },
  };
}

/** Counts problems into the cell × week cube for `q` and runs the statistics (uncached; the service caches). */
export function analyseHotspots(index: AnalyticsIndex, q: HotspotQuery, nowMs: number, resolve?: Resolver): Analysis {
  const { result, ...cube } = hotspotCube(index, q, nowMs, resolve);
  return { ...cube, result: analyseCube(result) };
}

/**
 * The cube of `q` (cells with matching problems × weeks, and their neighbours), with `result` the input
 * of its statistics still to run: counting is a loop over the index, the statistics are pure and go to
 * a worker.
 */
export function hotspotCube(index: AnalyticsIndex, q: HotspotQuery, nowMs: number, resolve?: Resolver): Omit<Analysis, 'result'> & { result: CubeInput } {
  const res = q.res ?? H3_RES_DEFAULT;
  const base = index.base;
  const f = compileFilter(base, toProblemFilter(q, resolve));
  const { cellOf, ids, ringOffsets, ringTargets } = index.cells(res);
  const n = base.size;
  const day = index.day;

  // Pass 1: which cells hold a matching problem, and the days the window spans. The weeks are 7-day
  // periods counted back from the window's last day with data, so the final period is a whole week
  // (a calendar week cut short by today would look like a sudden drop and hide every new hot spot).
  const compact = new Int32Array(ids.length).fill(-1);
  const cellCodes: number[] = [];
  let firstDay = Infinity;
  let lastDay = -Infinity;
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (!passes(base, f, i, nowMs)) continue;
    keep[i] = 1;
    const cell = cellOf[i];
    if (compact[cell] < 0) {
      compact[cell] = cellCodes.length;
      cellCodes.push(cell);
    }
    if (day[i] < firstDay) firstDay = day[i];
    if (day[i] > lastDay) lastDay = day[i];
  }
  if (q.from !== undefined) firstDay = cityDay(q.from);
  const C = cellCodes.length;
  const T = C > 0 ? Math.floor((lastDay - firstDay) / 7) + 1 : 0;
  const startDay = lastDay - 7 * T + 1;

  // Pass 2: the cube.
  const counts = new Float64Array(C * T);
  for (let i = 0; i < n; i++) {
    if (keep[i] === 0) continue;
    counts[compact[cellOf[i]] * T + T - 1 - Math.floor((lastDay - day[i]) / 7)]++;
  }

  // Neighbours: the cell and its ring of six, where those cells hold matching problems.
  const offsets = new Uint32Array(C + 1);
  const scratch: number[] = [];
  for (let c = 0; c < C; c++) {
    const code = cellCodes[c];
    for (let k = ringOffsets[code]; k < ringOffsets[code + 1]; k++) {
      const nb = compact[ringTargets[k]];
      if (nb >= 0) scratch.push(nb);
    }
    offsets[c + 1] = scratch.length;
  }
  const targets = Uint32Array.from(scratch);
  const cellIds = cellCodes.map((code) => ids[code]);
  return { res, cellIds, firstDay: C > 0 ? startDay : 0, weeks: T, counts, result: { cells: C, weeks: T, counts, offsets, targets } };
}

/** A cell's outline and centre never change: kept across revisions (h3-js takes ~10 µs a cell, a hotspot answer has thousands). */
const cellShapes = new Map<string, { ring: [number, number][]; center: [number, number] }>();
const CELL_SHAPES_MAX = 500_000;

function cellShape(h: string): { ring: [number, number][]; center: [number, number] } {
  let shape = cellShapes.get(h);
  if (!shape) {
    const [lat, lng] = cellToLatLng(h);
    shape = { ring: cellToBoundary(h, true).map(([x, y]) => [round7(x), round7(y)] as [number, number]), center: [round7(lng), round7(lat)] };
    if (cellShapes.size >= CELL_SHAPES_MAX) cellShapes.clear();
    cellShapes.set(h, shape);
  }
  return shape;
}

function toCollection(a: Analysis): HotspotCollection {
  const r = a.result;
  return {
    type: 'FeatureCollection',
    res: a.res,
    weeks: a.cellIds.length > 0 ? { from: dayDate(a.firstDay), to: dayDate(a.firstDay + 7 * a.weeks - 1), count: a.weeks } : null,
    features: a.cellIds.map((h, c) => {
      const shape = cellShape(h);
      return {
        type: 'Feature' as const,
        id: h,
        geometry: { type: 'Polygon' as const, coordinates: [shape.ring] },
        properties: {
          h3: h,
          count: r.total[c],
          z: sig6(r.z[c]),
          p: sig6(r.p[c]),
          significant: r.significant[c] === 1,
          class: HOTSPOT_CLASS_NAMES[r.classCode[c]],
          hotWeeks: r.hotWeeks[c],
          coldWeeks: r.coldWeeks[c],
          trendZ: sig6(r.trendZ[c]),
          trendP: sig6(r.trendP[c]),
          center: shape.center,
        },
      };
    }),
  };
}

/** Recurring sites among the problems matching `q`, most recurrences first. */
export function recurringSites(index: AnalyticsIndex, q: RecurringQuery, nowMs: number, resolve?: Resolver): RecurringCollection {
  const base = index.base;
  const radiusM = q.radius ?? DEFAULT_RADIUS_M;
  const f = compileFilter(base, toProblemFilter(q, resolve));
  // Positions in report-time order (timeOrdered): the detection then reads its arrays in sequence.
  const picked = new Uint32Array(base.size);
  let n = 0;
  if (f.all) for (; n < base.size; n++) picked[n] = n;
  else for (let k = 0; k < base.size; k++) if (passes(base, f, index.byTime[k], nowMs)) picked[n++] = k;
  const order = picked.subarray(0, n);
  const found = findRecurringSites({ ...index.timeOrdered(), order }, radiusM);
  const minRec = q.minRecurrences ?? 1;
  const sites: number[] = [];
  for (let s = 0; s < found.siteCount; s++) if (found.siteRecurrences[s] >= minRec) sites.push(s);
  sites.sort(
    (a, b) => found.siteRecurrences[b] - found.siteRecurrences[a] || found.siteReports[b] - found.siteReports[a] || found.siteSeed[a] - found.siteSeed[b],
  );
  const top = sites.slice(0, q.limit ?? RECURRING_LIMIT_DEFAULT);

  interface Acc {
    lng: number;
    lat: number;
    units: Map<number, number>;
    places: Map<number, number>;
    subdistricts: Map<number, number>;
    dates: string[];
    firstMs: number;
    lastMs: number;
    latest: number;
    open: number;
  }
  const rank = new Int32Array(found.siteCount).fill(-1);
  const acc: Acc[] = top.map((s, k) => {
    rank[s] = k;
    return {
      lng: 0,
      lat: 0,
      units: new Map(),
      places: new Map(),
      subdistricts: new Map(),
      dates: [],
      firstMs: Infinity,
      lastMs: -Infinity,
      latest: 0,
      open: 0,
    };
  });
  const bump = (m: Map<number, number>, code: number) => m.set(code, (m.get(code) ?? 0) + 1);
  for (let o = 0; o < n; o++) {
    const t = order[o];
    const k = rank[found.siteOf[t]];
    if (k < 0) continue;
    const i = index.byTime[t];
    const a = acc[k];
    a.lng += index.lng[i];
    a.lat += index.lat[i];
    bump(a.units, base.unit[i]);
    bump(a.subdistricts, base.subdistrict[i]);
    if (index.place[i] !== 0) bump(a.places, index.place[i]);
    if (found.recurrence[t]) a.dates.push(dayDate(cityDay(base.reportedMs[i])));
    a.firstMs = Math.min(a.firstMs, base.reportedMs[i]);
    if (base.reportedMs[i] >= a.lastMs) {
      a.lastMs = base.reportedMs[i];
      a.latest = i;
    }
    if (!isFinishedCode(base.status[i])) a.open++;
  }
  const most = (m: Map<number, number>) => {
    let best = -1;
    let bestCount = 0;
    for (const [code, count] of m) if (count > bestCount) [best, bestCount] = [code, count];
    return best;
  };

  return {
    type: 'FeatureCollection',
    radiusM,
    total: sites.length,
    features: top.map((s, k) => {
      const a = acc[k];
      const reports = found.siteReports[s];
      const seed = index.byTime[found.siteSeed[s]];
      const id = `rs-${base.ids[seed]}`;
      const place = most(a.places);
      return {
        type: 'Feature' as const,
        id,
        geometry: { type: 'Point' as const, coordinates: [round7(a.lng / reports), round7(a.lat / reports)] as [number, number] },
        properties: {
          id,
          category: base.categoryNames[base.category[seed]],
          reports,
          recurrences: found.siteRecurrences[s],
          recurrenceDates: a.dates,
          meanReturnDays: found.siteReturnMsSum[s] / found.siteRecurrences[s] / DAY_MS,
          firstReportedAt: toCityIso(a.firstMs),
          lastReportedAt: toCityIso(a.lastMs),
          unitId: base.unitNames[Math.max(0, most(a.units))] ?? null,
          subdistrictId: base.subdistrictNames[Math.max(0, most(a.subdistricts))] ?? null,
          placeId: place > 0 ? index.placeNames[place] : null,
          latestProblemId: base.ids[a.latest],
          open: a.open,
        },
      };
    }),
  };
}

/** Six significant digits: the statistics' own precision is far coarser, and the JSON is a third shorter. */
function sig6(v: number): number {
  return Number(v.toPrecision(6));
}

function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}
