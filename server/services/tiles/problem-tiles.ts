import { encodeMvt, type MvtFeature } from '../../geo/mvt';
import { PROBLEM_STATUSES, type ProblemFilter } from '../../contract/problems';
import { PROBLEM_TILE_LAYER, PROBLEMS_POINT_ZOOM, TILE_EXTENT } from '../../contract/tiles';
import type { LiveIndex } from '../problems/live-index';
import { compileFilter, lowerBoundX, passes, type CompiledFilter, type ProblemIndex, STATUS_ASSIGNED } from '../problems/problem-index';

/**
 * Problem tiles: below PROBLEMS_POINT_ZOOM a grid of GRID × GRID cells per tile (64 px cells on a 512 px
 * tile), one point per non-empty cell at the mean position of its problems with `{ count, open, overdue }`;
 * a cell holding a single problem is sent as that problem. From PROBLEMS_POINT_ZOOM on, one point per
 * problem with `{ id, category, status, overdue (0|1) }` — unless the tile holds more than `pointLimit`
 * problems (a market street at a million problems): then the same clustering on a finer grid
 * (DENSE_GRID, 16 px cells), whose small cells also carry the ids of their problems (`ids`, comma-separated,
 * up to CLUSTER_IDS) so a click can list them where zooming in no longer separates them.
 *
 * ```
 *   window (grid + 2)²: the tile plus one ring of cells from its neighbours
 *   +--+--+--+ … +--+
 *   |  |  tile cells |     cells are aligned to the zoom's global grid, so a cell near an edge
 *   +--+--+--+ … +--+     looks the same in both tiles; neighbour cells whose centre of mass lies
 *   |  |  …          |     within half a cell of the edge are sent too, so circles are not cut
 * ```
 * A cell's centre of mass lies inside the cell, so inside exactly one tile: counting the features that
 * lie inside each tile's own extent counts every problem once, at every zoom.
 */
export const GRID = 8;
export const DENSE_GRID = 32;
/** Above this many problems in a tile (with its buffer) at z ≥ PROBLEMS_POINT_ZOOM, it is clustered on DENSE_GRID. */
export const TILE_POINT_LIMIT = 3000;
/** A dense cluster of at most this many problems lists their ids. */
export const CLUSTER_IDS = 12;
const POINT_BUFFER = 64;
const MAX_WIN = DENSE_GRID + 2;

/** Problem tiles over the loaded city. */
export interface ProblemTiles {
  /** MVT bytes of tile z/x/y with layer `problems` for the problems matching `filter` (bbox ignored), or null when empty. */
  getTile(z: number, x: number, y: number, filter: ProblemFilter, nowMs: number): Promise<Uint8Array | null>;
  /** Builds the in-memory index now (otherwise the first tile request does). */
  warm(): Promise<void>;
}

/**
 * Serves problem tiles from the in-memory index of every problem that the hotspots share
 * (services/problems/live-index.ts: built once, patched by each report and transition).
 */
export function createProblemTiles(live: LiveIndex, opts: { pointLimit?: number } = {}): ProblemTiles {
  const current = async (): Promise<ProblemIndex> => (await live.current()).index.base;
  const pointLimit = opts.pointLimit ?? TILE_POINT_LIMIT;

  // Scratch cells, allocated once (kdbush STACK style): tiles are encoded one at a time.
  const cellCount = new Uint32Array(MAX_WIN * MAX_WIN);
  const cellOpen = new Uint32Array(MAX_WIN * MAX_WIN);
  const cellOverdue = new Uint32Array(MAX_WIN * MAX_WIN);
  const cellSumX = new Float64Array(MAX_WIN * MAX_WIN);
  const cellSumY = new Float64Array(MAX_WIN * MAX_WIN);
  const cellFirst = new Uint32Array(MAX_WIN * MAX_WIN);

  function pointFeature(index: ProblemIndex, i: number, tx: number, ty: number, nowMs: number): MvtFeature {
    const s = index.status[i];
    return {
      type: 1,
      id: index.rid[i],
      geometry: [[tx, ty]],
      tags: {
        id: index.ids[i],
        category: index.categoryNames[index.category[i]],
        status: PROBLEM_STATUSES[s],
        overdue: s === STATUS_ASSIGNED && index.deadlineMs[i] < nowMs ? 1 : 0,
      },
    };
  }

  /**
   * The positions [from, end) of the x order between world x `minX` and `maxX`, narrowed to a grid filter's
   * box when there is one (a grid is a sliver of the city: the loop then skips the rest of it).
   */
  function slab(index: ProblemIndex, f: CompiledFilter, minX: number, maxX: number): [number, number] {
    // The box's own edges are in: a point on them may lie on the outline.
    const lo = f.area ? Math.max(minX, f.area.x0 - 1e-12) : minX;
    const hi = f.area ? Math.min(maxX, f.area.x1 + 1e-12) : maxX;
    return lo < hi ? [lowerBoundX(index, lo), lowerBoundX(index, hi)] : [0, 0];
  }

  /** One feature per problem, or null when there are more than `pointLimit` (cluster them instead). */
  function points(index: ProblemIndex, z: number, x: number, y: number, filter: ProblemFilter, nowMs: number): MvtFeature[] | null {
    const f = compileFilter(index, filter);
    const scale = 2 ** z;
    const b = POINT_BUFFER / TILE_EXTENT;
    const minY = (y - b) / scale;
    const maxY = (y + 1 + b) / scale;
    const [from, end] = slab(index, f, (x - b) / scale, (x + 1 + b) / scale);
    const out: MvtFeature[] = [];
    const ys = index.sortedY;
    for (let k = from; k < end; k++) {
      const py = ys[k];
      const i = index.byX[k];
      if (py < minY || py > maxY || !passes(index, f, i, nowMs)) continue;
      if (out.length === pointLimit) return null;
      out.push(pointFeature(index, i, (index.x[i] * scale - x) * TILE_EXTENT, (py * scale - y) * TILE_EXTENT, nowMs));
    }
    return out;
  }

  function clusters(index: ProblemIndex, z: number, x: number, y: number, filter: ProblemFilter, nowMs: number, grid: number): MvtFeature[] {
    const f = compileFilter(index, filter);
    const scale = 2 ** z;
    const WIN = grid + 2;
    const cellWorld = 1 / (scale * grid);
    const buffer = TILE_EXTENT / grid / 2;
    const minX = (x * grid - 1) * cellWorld;
    const minY = (y * grid - 1) * cellWorld;
    const maxX = ((x + 1) * grid + 1) * cellWorld;
    const maxY = ((y + 1) * grid + 1) * cellWorld;
    cellCount.fill(0);
    cellOpen.fill(0);
    cellOverdue.fill(0);
    cellSumX.fill(0);
    cellSumY.fill(0);

    // The tile's slab of the x order, read in sequence; y first, then the problem's slot for the rest.
    const xs = index.sortedX;
    const ys = index.sortedY;
    const slots = index.byX;
    const open = index.sortedOpen;
    const due = index.sortedDue;
    const [from, end] = slab(index, f, minX, maxX);
    for (let k = from; k < end; k++) {
      const py = ys[k];
      if (py < minY || py >= maxY) continue;
      if (!f.all && !passes(index, f, slots[k], nowMs)) continue;
      const px = xs[k];
      const cx = Math.floor((px - minX) / cellWorld);
      const cy = Math.floor((py - minY) / cellWorld);
      // Rounding can put a point on the window's far edge into a cell past the end.
      if (cx < 0 || cy < 0 || cx >= WIN || cy >= WIN) continue;
      const c = cy * WIN + cx;
      if (cellCount[c] === 0) cellFirst[c] = k;
      cellCount[c]++;
      cellSumX[c] += px;
      cellSumY[c] += py;
      cellOpen[c] += open[k];
      if (due[k] < nowMs) cellOverdue[c]++;
    }

    // Dense tiles: the ids of the small clusters, from a second pass over the same slab.
    const ids = grid === DENSE_GRID ? new Map<number, string[]>() : null;
    if (ids) {
      for (let c = 0; c < WIN * WIN; c++) if (cellCount[c] > 1 && cellCount[c] <= CLUSTER_IDS) ids.set(c, []);
      for (let k = from; ids.size > 0 && k < end; k++) {
        const py = ys[k];
        if (py < minY || py >= maxY) continue;
        const i = slots[k];
        if (!f.all && !passes(index, f, i, nowMs)) continue;
        const cx = Math.floor((xs[k] - minX) / cellWorld);
        const cy = Math.floor((py - minY) / cellWorld);
        if (cx < 0 || cy < 0 || cx >= WIN || cy >= WIN) continue;
        ids.get(cy * WIN + cx)?.push(index.ids[i]);
      }
    }

    const out: MvtFeature[] = [];
    for (let c = 0; c < WIN * WIN; c++) {
      const n = cellCount[c];
      if (n === 0) continue;
      const tx = ((cellSumX[c] / n) * scale - x) * TILE_EXTENT;
      const ty = ((cellSumY[c] / n) * scale - y) * TILE_EXTENT;
      if (tx < -buffer || ty < -buffer || tx > TILE_EXTENT + buffer || ty > TILE_EXTENT + buffer) continue;
      if (n === 1) {
        const i = slots[cellFirst[c]];
        out.push(pointFeature(index, i, (index.x[i] * scale - x) * TILE_EXTENT, (index.y[i] * scale - y) * TILE_EXTENT, nowMs));
      } else {
        const listed = ids?.get(c);
        const tags: MvtFeature['tags'] = { count: n, open: cellOpen[c], overdue: cellOverdue[c] };
        if (listed) tags.ids = listed.join(',');
        out.push({ type: 1, geometry: [[tx, ty]], tags });
      }
    }
    return out;
  }

  return {
    async getTile(z, x, y, filter, nowMs) {
      const index = await current();
      if (index.size === 0) return null;
      const features =
        (z >= PROBLEMS_POINT_ZOOM && points(index, z, x, y, filter, nowMs)) ||
        clusters(index, z, x, y, filter, nowMs, z >= PROBLEMS_POINT_ZOOM ? DENSE_GRID : GRID);
      if (features.length === 0) return null;
      return encodeMvt([{ name: PROBLEM_TILE_LAYER, features, extent: TILE_EXTENT }]);
    },
    async warm() {
      await current();
    },
  };
}
