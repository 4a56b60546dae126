import { encodeMvt, type MvtFeature } from '../../geo/mvt';
import { PROBLEM_STATUSES, type ProblemFilter } from '../../contract/problems';
import { PROBLEM_TILE_LAYER, PROBLEMS_POINT_ZOOM, TILE_EXTENT } from '../../contract/tiles';
import type { Store } from '../../store/index';
import { buildProblemIndex, compileFilter, lowerBoundX, passes, type ProblemIndex, STATUS_ASSIGNED, STATUS_CLOSED } from '../problems/problem-index';

/**
 * Problem tiles: below PROBLEMS_POINT_ZOOM a grid of GRID × GRID cells per tile (64 px cells on a 512 px
 * tile), one point per non-empty cell at the mean position of its problems with `{ count, open, overdue }`;
 * a cell holding a single problem is sent as that problem. From PROBLEMS_POINT_ZOOM on, one point per
 * problem with `{ id, category, status, overdue (0|1) }`.
 *
 * ```
 *   window (GRID + 2)²: the tile plus one ring of cells from its neighbours
 *   +--+--+--+ … +--+
 *   |  |  tile cells |     cells are aligned to the zoom's global grid, so a cell near an edge
 *   +--+--+--+ … +--+     looks the same in both tiles; neighbour cells whose centre of mass lies
 *   |  |  …          |     within CLUSTER_BUFFER of the edge are sent too, so circles are not cut
 * ```
 */
export const GRID = 8;
const CELL_EXTENT = TILE_EXTENT / GRID;
const CLUSTER_BUFFER = CELL_EXTENT / 2;
const POINT_BUFFER = 64;
const WIN = GRID + 2;

/** Problem tiles over the loaded city. */
export interface ProblemTiles {
  /** MVT bytes of tile z/x/y with layer `problems` for the problems matching `filter` (bbox ignored), or null when empty. */
  getTile(z: number, x: number, y: number, filter: ProblemFilter, nowMs: number): Uint8Array | null;
  /** Builds the in-memory index now (otherwise the first tile request does). */
  warm(): void;
}

/**
 * Serves problem tiles from an in-memory index of every problem, built from the store once and rebuilt
 * whenever problems change (the store's problems revision moves: an import, a report, a transition).
 */
export function createProblemTiles(store: Store): ProblemTiles {
  let built: { revision: number; index: ProblemIndex } | null = null;
  const current = (): ProblemIndex => {
    const revision = store.problemsRevision();
    if (!built || built.revision !== revision) built = { revision, index: buildProblemIndex(store) };
    return built.index;
  };

  // Scratch cells, allocated once (kdbush STACK style): tiles are encoded one at a time.
  const cellCount = new Uint32Array(WIN * WIN);
  const cellOpen = new Uint32Array(WIN * WIN);
  const cellOverdue = new Uint32Array(WIN * WIN);
  const cellSumX = new Float64Array(WIN * WIN);
  const cellSumY = new Float64Array(WIN * WIN);
  const cellFirst = new Uint32Array(WIN * WIN);

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

  function points(index: ProblemIndex, z: number, x: number, y: number, filter: ProblemFilter, nowMs: number): MvtFeature[] {
    const f = compileFilter(index, filter);
    const scale = 2 ** z;
    const b = POINT_BUFFER / TILE_EXTENT;
    const minY = (y - b) / scale;
    const maxY = (y + 1 + b) / scale;
    const end = lowerBoundX(index, (x + 1 + b) / scale);
    const out: MvtFeature[] = [];
    for (let i = lowerBoundX(index, (x - b) / scale); i < end; i++) {
      const py = index.y[i];
      if (py < minY || py > maxY || !passes(index, f, i, nowMs)) continue;
      out.push(pointFeature(index, i, (index.x[i] * scale - x) * TILE_EXTENT, (py * scale - y) * TILE_EXTENT, nowMs));
    }
    return out;
  }

  function clusters(index: ProblemIndex, z: number, x: number, y: number, filter: ProblemFilter, nowMs: number): MvtFeature[] {
    const f = compileFilter(index, filter);
    const scale = 2 ** z;
    const cellWorld = 1 / (scale * GRID);
    const minX = (x * GRID - 1) * cellWorld;
    const minY = (y * GRID - 1) * cellWorld;
    const maxX = ((x + 1) * GRID + 1) * cellWorld;
    const maxY = ((y + 1) * GRID + 1) * cellWorld;
    cellCount.fill(0);
    cellOpen.fill(0);
    cellOverdue.fill(0);
    cellSumX.fill(0);
    cellSumY.fill(0);

    // The tile's slab of the x-sorted index; y and the filters are checked per problem.
    const xs = index.x;
    const ys = index.y;
    const statuses = index.status;
    const deadlines = index.deadlineMs;
    const end = lowerBoundX(index, maxX);
    for (let i = lowerBoundX(index, minX); i < end; i++) {
      const py = ys[i];
      if (py < minY || py >= maxY) continue;
      if (!f.all && !passes(index, f, i, nowMs)) continue;
      const px = xs[i];
      const cx = Math.floor((px - minX) / cellWorld);
      const cy = Math.floor((py - minY) / cellWorld);
      // Rounding can put a point on the window's far edge into a cell past the end.
      if (cx < 0 || cy < 0 || cx >= WIN || cy >= WIN) continue;
      const c = cy * WIN + cx;
      if (cellCount[c] === 0) cellFirst[c] = i;
      cellCount[c]++;
      cellSumX[c] += px;
      cellSumY[c] += py;
      const s = statuses[i];
      if (s !== STATUS_CLOSED) cellOpen[c]++;
      if (s === STATUS_ASSIGNED && deadlines[i] < nowMs) cellOverdue[c]++;
    }

    const out: MvtFeature[] = [];
    for (let c = 0; c < WIN * WIN; c++) {
      const n = cellCount[c];
      if (n === 0) continue;
      const tx = ((cellSumX[c] / n) * scale - x) * TILE_EXTENT;
      const ty = ((cellSumY[c] / n) * scale - y) * TILE_EXTENT;
      if (tx < -CLUSTER_BUFFER || ty < -CLUSTER_BUFFER || tx > TILE_EXTENT + CLUSTER_BUFFER || ty > TILE_EXTENT + CLUSTER_BUFFER) continue;
      if (n === 1) {
        const i = cellFirst[c];
        out.push(pointFeature(index, i, (index.x[i] * scale - x) * TILE_EXTENT, (index.y[i] * scale - y) * TILE_EXTENT, nowMs));
      } else {
        out.push({ type: 1, geometry: [[tx, ty]], tags: { count: n, open: cellOpen[c], overdue: cellOverdue[c] } });
      }
    }
    return out;
  }

  return {
    getTile(z, x, y, filter, nowMs) {
      const index = current();
      if (index.size === 0) return null;
      const features = z >= PROBLEMS_POINT_ZOOM ? points(index, z, x, y, filter, nowMs) : clusters(index, z, x, y, filter, nowMs);
      if (features.length === 0) return null;
      return encodeMvt([{ name: PROBLEM_TILE_LAYER, features, extent: TILE_EXTENT }]);
    },
    warm() {
      current();
    },
  };
}
