/**
 * Subdistricts (街道): whole arterial cells grouped into compact regions of similar area, so their
 * boundaries run along arterials as real ones do. Each region is the union of its cells' outlines,
 * clipped to the city rectangle; neighbouring cells share the exact same boundary vertices, so the
 * subdistricts tile the city without gaps or overlaps.
 */
import { featureCollection, intersect, polygon, union } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { type CityFrame, toWorld, worldToLngLat } from './frame';
import { DENSIFY_M } from './frame';
import { pointInRing } from '../../server/contract/geo';
import { type XY, clipRingToRect, signedArea } from './geometry';
import type { Cell, PointPool } from './plan';
import { SUBDISTRICT_STEMS } from './names';
import type { StreetNetwork } from './street-network';
import type { WaterPlan } from './water';

export interface Subdistrict {
  id: string;
  name: string;
  code: string;
  cells: number[];
  geometry: Polygon | MultiPolygon;
}

export interface SubdistrictPlan {
  subdistricts: Subdistrict[];
  /** Each cell inside the city, clipped to it, with its subdistrict: the demo's 网格 (a block between arterials). */
  cellShapes: { cell: number; subdistrict: number; geometry: Polygon | MultiPolygon }[];
  /** Subdistrict index per cell; -1 for cells outside the city. */
  cellSubdistrict: Int32Array;
}

/** Administrative code prefix of the invented district (not a real district's code). */
const DISTRICT_CODE = '371599';

/**
 * A cell outline in the plan, each side densified from its lower pool index to its higher one, so two
 * cells sharing a side produce the same points.
 */
function cellOutline(pool: PointPool, cell: Cell): XY[] {
  const out: XY[] = [];
  for (let i = 0; i < 4; i++) {
    const a = cell.corners[i];
    const b = cell.corners[(i + 1) % 4];
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const x0 = pool.x[lo];
    const y0 = pool.y[lo];
    const x1 = pool.x[hi];
    const y1 = pool.y[hi];
    const steps = Math.max(1, Math.floor(Math.hypot(x1 - x0, y1 - y0) / DENSIFY_M));
    const side: XY[] = [];
    for (let k = 0; k < steps; k++) side.push([x0 + ((x1 - x0) * k) / steps, y0 + ((y1 - y0) * k) / steps]);
    side.push([x1, y1]);
    if (a > b) side.reverse();
    side.pop();
    out.push(...side);
  }
  return out;
}

/** Groups the cells into subdistricts and builds their polygons. */
export function buildSubdistricts(frame: CityFrame, net: StreetNetwork, water: WaterPlan): SubdistrictPlan {
  const { pool, grid } = net;
  const cells = grid.cells;
  const outlines = cells.map((c) => cellOutline(pool, c));
  const world = outlines.map((o) => o.map(([u, v]) => toWorld(frame, u, v)));
  const area = world.map((ring) => {
    const clipped = clipRingToRect(ring, frame.worldRect);
    return clipped.length >= 3 ? Math.abs(signedArea(clipped)) : 0;
  });
  const inside = cells.filter((c) => area[c.id] > 0).map((c) => c.id);
  const centre = (id: number): XY => toWorld(frame, cells[id].center[0], cells[id].center[1]);
  const count = Math.min(inside.length, Math.max(8, Math.round(9 * frame.scale)));

  // Seeds: the old town first, then each next seed as far as possible from those chosen.
  const oldTown = inside.filter((id) => cells[id].zone === 'old').sort((p, q) => Math.hypot(...centre(p)) - Math.hypot(...centre(q)));
  const seeds: number[] = [oldTown[0] ?? inside[0]];
  while (seeds.length < count) {
    let best = -1;
    let bestD = -1;
    for (const id of inside) {
      if (seeds.includes(id) || area[id] < 0.3 * Math.max(...area)) continue;
      const d = Math.min(...seeds.map((s) => Math.hypot(centre(id)[0] - centre(s)[0], centre(id)[1] - centre(s)[1])));
      if (d > bestD) {
        bestD = d;
        best = id;
      }
    }
    if (best < 0) break;
    seeds.push(best);
  }

  // Balanced growth: the smallest region takes its nearest unassigned neighbouring cell.
  const nU = grid.uLines.length - 1;
  const cellAt = (k: number, l: number) => (k >= 0 && l >= 0 && k < nU && l < grid.vLines.length - 1 ? l * nU + k : -1);
  const owner = new Int32Array(cells.length).fill(-1);
  const regionArea = seeds.map((s) => area[s]);
  seeds.forEach((s, i) => {
    owner[s] = i;
  });
  let left = inside.length - seeds.length;
  while (left > 0) {
    const order = regionArea
      .map((a, i) => [a, i])
      .sort((p, q) => p[0] - q[0])
      .map(([, i]) => i);
    let grown = false;
    for (const r of order) {
      let best = -1;
      let bestD = Infinity;
      for (const id of inside) {
        if (owner[id] !== r) continue;
        const { k, l } = cells[id];
        for (const n of [cellAt(k + 1, l), cellAt(k - 1, l), cellAt(k, l + 1), cellAt(k, l - 1)]) {
          if (n < 0 || owner[n] !== -1 || area[n] <= 0) continue;
          const d = Math.hypot(centre(n)[0] - centre(seeds[r])[0], centre(n)[1] - centre(seeds[r])[1]);
          if (d < bestD) {
            bestD = d;
            best = n;
          }
        }
      }
      if (best >= 0) {
        owner[best] = r;
        regionArea[r] += area[best];
        left--;
        grown = true;
        break;
      }
    }
    if (!grown) {
      // A cell not touching any region by a side (only at a corner of the city): nearest seed takes it.
      for (const id of inside) {
        if (owner[id] !== -1) continue;
        let r = 0;
        seeds.forEach((s, i) => {
          if (
            Math.hypot(centre(id)[0] - centre(s)[0], centre(id)[1] - centre(s)[1]) <
            Math.hypot(centre(id)[0] - centre(seeds[r])[0], centre(id)[1] - centre(seeds[r])[1])
          )
            r = i;
        });
        owner[id] = r;
        regionArea[r] += area[id];
        left--;
      }
    }
  }

  const [w, s, e, n] = frame.bbox;
  const rect = polygon([
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ]);
  const names = nameRegions(frame, cells, seeds, owner, inside, water, pool);
  const cellShapes: SubdistrictPlan['cellShapes'] = [];
  const subdistricts: Subdistrict[] = seeds.map((_, r) => {
    const members = inside.filter((id) => owner[id] === r);
    const polys = members.map((id) => {
      const ring = world[id].map(([x, y]) => worldToLngLat(frame, x, y));
      ring.push(ring[0]);
      return polygon([ring]);
    });
    polys.forEach((p, i) => {
      const shape = intersect(featureCollection([p, rect]));
      if (shape) cellShapes.push({ cell: members[i], subdistrict: r, geometry: shape.geometry });
    });
    const merged = polys.length === 1 ? polys[0] : union(featureCollection(polys));
    const clipped = merged ? intersect(featureCollection([merged, rect])) : null;
    if (!clipped) throw new Error(`subdistrict ${names[r]} has no area inside the city; this is a generator bug`);
    return {
      id: `sd${String(r + 1).padStart(2, '0')}`,
      name: names[r],
      code: `${DISTRICT_CODE}${String(r + 1).padStart(3, '0')}`,
      cells: members,
      geometry: clipped.geometry,
    };
  });
  const cellSubdistrict = new Int32Array(cells.length).fill(-1);
  for (const id of inside) cellSubdistrict[id] = owner[id];
  return { subdistricts, cellSubdistrict, cellShapes };
}

/**
 * Names by what a region holds: the old town is 古楼, the lake's region 湖滨, the river's 运河, the
 * easternmost 东城, the northernmost 北城, the one with most new-district cells 新区; the rest from the
 * list of common subdistrict names.
 */
function nameRegions(frame: CityFrame, cells: Cell[], seeds: number[], owner: Int32Array, inside: number[], water: WaterPlan, pool: PointPool): string[] {
  const names: (string | null)[] = seeds.map(() => null);
  const taken = new Set<string>();
  const give = (r: number, stem: string) => {
    if (r < 0 || names[r] || taken.has(stem)) return;
    names[r] = `${stem}街道`;
    taken.add(stem);
  };
  give(0, '古楼');
  const lake = water.lake.center;
  const lakeCell = inside.find((id) =>
    pointInRing(
      lake[0],
      lake[1],
      cells[id].corners.map((p) => pool.get(p)),
    ),
  );
  if (lakeCell !== undefined) give(owner[lakeCell], '湖滨');
  const riverCells = seeds.map(() => 0);
  const newCells = seeds.map(() => 0);
  const cx = seeds.map(() => 0);
  const cy = seeds.map(() => 0);
  const n = seeds.map(() => 0);
  for (const id of inside) {
    const r = owner[id];
    const ring = cells[id].corners.map((p) => pool.get(p));
    if (water.river.center.some(([u, v]) => pointInRing(u, v, ring))) riverCells[r]++;
    if (cells[id].zone === 'new') newCells[r]++;
    const [x, y] = toWorld(frame, cells[id].center[0], cells[id].center[1]);
    cx[r] += x;
    cy[r] += y;
    n[r]++;
  }
  const argmax = (values: number[]) => values.reduce((best, v, i) => (names[i] === null && (best < 0 || v > values[best]) ? i : best), -1);
  give(argmax(riverCells), '运河');
  give(argmax(cx.map((v, i) => v / n[i])), '东城');
  give(argmax(cy.map((v, i) => v / n[i])), '北城');
  if (newCells.some((c) => c > 0)) give(argmax(newCells), '新区');
  let next = 0;
  return names.map((name) => {
    if (name) return name;
    while (next < SUBDISTRICT_STEMS.length && taken.has(SUBDISTRICT_STEMS[next])) next++;
    const stem = next < SUBDISTRICT_STEMS.length ? SUBDISTRICT_STEMS[next] : `第${next + 1}`;
    taken.add(stem);
    next++;
    return `${stem}街道`;
  });
}
