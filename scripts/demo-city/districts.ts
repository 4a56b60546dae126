/**
 * Districts (区/开发区) of a multi-district demo city: whole subdistricts grouped into contiguous
 * districts of similar area, the way subdistricts.ts groups arterial cells: seeds far apart (the old
 * town's first), then the smallest district takes the unassigned neighbouring subdistrict nearest its
 * seed. Each district is the union of its subdistricts, which share their boundary vertices exactly, so
 * the districts tile the city as the subdistricts do.
 *
 * A one-district city is 东昌区 itself: no districts.geojson is written (the import makes the one
 * district from city.json), and its subdistricts keep their 9-digit codes, so its files stay as they were.
 */
import { area, feature, featureCollection, union } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import type { DistrictKind } from '../../server/contract/layers';
import { type CityFrame, toWorld } from './frame';
import type { XY } from './geometry';
import { DISTRICT_STEMS } from './names';
import type { ArterialGrid } from './grid';
import type { Subdistrict } from './subdistricts';

export interface District {
  id: string;
  name: string;
  /** 12-digit 统计用区划代码 style. */
  code: string;
  kind: DistrictKind;
  /** Subdistrict indices, ascending. */
  subdistricts: number[];
  /** Null for a one-district city, whose one district the import makes. */
  geometry: Polygon | MultiPolygon | null;
}

export interface DistrictPlan {
  districts: District[];
  /** District index per subdistrict. */
  districtOf: Int32Array;
}

/** The old town's district, and the whole demo city when it has only one. */
export const SEAT_DISTRICT = '东昌区';
const ZONE_NAMES = ['东昌经济技术开发区', '东昌高新技术产业开发区'];
/**
 * Codes `3715dd000000`: 3715 is the prefix of the real prefecture the demo sits in (聊城市), whose real
 * districts and counties use dd = 02, 03, 21–26, 71–73 and 81; the demo's districts take 41 onward,
 * which no real one has. The one-district city keeps the invented 371599 of its subdistrict codes.
 */
const CODE_PREFIX = '3715';
const FIRST_CODE = 41;
const ONE_DISTRICT_CODE = '371599000000';

/**
 * Groups the subdistricts into `count` districts, names them and, when there are several, rewrites each
 * subdistrict's code as its district's 6 digits + a 3-digit township number (街道 use 001–099) + 000.
 * @throws when `count` exceeds the number of subdistricts
 */
export function buildDistricts(frame: CityFrame, grid: ArterialGrid, subdistricts: Subdistrict[], cellSubdistrict: Int32Array, count: number): DistrictPlan {
  if (count > subdistricts.length) {
    throw new Error(`districts must be at most the number of subdistricts (${subdistricts.length} at this scale); use fewer districts or a larger scale`);
  }
  const districtOf = new Int32Array(subdistricts.length);
  if (count === 1) {
    const all = subdistricts.map((_, s) => s);
    return { districts: [{ id: 'dt01', name: SEAT_DISTRICT, code: ONE_DISTRICT_CODE, kind: 'district', subdistricts: all, geometry: null }], districtOf };
  }
  const { cells } = grid;
  const centre: XY[] = subdistricts.map((sd) => {
    let x = 0;
    let y = 0;
    for (const c of sd.cells) {
      const [wx, wy] = toWorld(frame, cells[c].center[0], cells[c].center[1]);
      x += wx / sd.cells.length;
      y += wy / sd.cells.length;
    }
    return [x, y];
  });
  const size = subdistricts.map((sd) => area(sd.geometry));
  const dist = (a: number, b: number) => Math.hypot(centre[a][0] - centre[b][0], centre[a][1] - centre[b][1]);

  // Neighbours: subdistricts owning two cells that share a side.
  const nU = grid.uLines.length - 1;
  const nV = grid.vLines.length - 1;
  const neighbours = subdistricts.map(() => new Set<number>());
  for (const cell of cells) {
    const a = cellSubdistrict[cell.id];
    if (a < 0) continue;
    for (const [k, l] of [
      [cell.k + 1, cell.l],
      [cell.k, cell.l + 1],
    ]) {
      if (k >= nU || l >= nV) continue;
      const b = cellSubdistrict[l * nU + k];
      if (b < 0 || b === a) continue;
      neighbours[a].add(b);
      neighbours[b].add(a);
    }
  }

  // Seeds: the old town's subdistrict (sd01), then each next one as far as possible from those chosen.
  const seeds = [0];
  while (seeds.length < count) {
    let best = -1;
    let bestD = -1;
    for (let s = 0; s < subdistricts.length; s++) {
      if (seeds.includes(s)) continue;
      const d = Math.min(...seeds.map((t) => dist(s, t)));
      if (d > bestD) {
        bestD = d;
        best = s;
      }
    }
    seeds.push(best);
  }
  districtOf.fill(-1);
  const regionSize = seeds.map((s) => size[s]);
  seeds.forEach((s, r) => {
    districtOf[s] = r;
  });
  let left = subdistricts.length - count;
  while (left > 0) {
    const order = regionSize
      .map((a, r) => [a, r])
      .sort((p, q) => p[0] - q[0] || p[1] - q[1])
      .map(([, r]) => r);
    let taken = -1;
    let region = -1;
    for (const r of order) {
      let bestD = Infinity;
      for (let s = 0; s < subdistricts.length; s++) {
        if (districtOf[s] !== r) continue;
        for (const n of neighbours[s]) {
          if (districtOf[n] !== -1 || dist(n, seeds[r]) >= bestD) continue;
          bestD = dist(n, seeds[r]);
          taken = n;
        }
      }
      if (taken >= 0) {
        region = r;
        break;
      }
    }
    if (taken < 0) {
      // A subdistrict touching no district by a side (the cells' grid is connected, so only a generator
      // bug leaves one): the nearest seed takes it, which keeps the tiling if not the contiguity.
      taken = districtOf.indexOf(-1);
      region = seeds.reduce((best, s, r) => (dist(taken, s) < dist(taken, seeds[best]) ? r : best), 0);
    }
    districtOf[taken] = region;
    regionSize[region] += size[taken];
    left--;
  }
  balance(districtOf, regionSize, size, neighbours, seeds);

  const members = seeds.map((_, r) => subdistricts.map((_, s) => s).filter((s) => districtOf[s] === r));
  const names = nameDistricts(grid, cellSubdistrict, districtOf, members, count);
  const districts: District[] = members.map((own, r) => {
    const merged = own.length === 1 ? feature(subdistricts[own[0]].geometry) : union(featureCollection(own.map((s) => feature(subdistricts[s].geometry))));
    if (!merged) throw new Error(`district ${names[r].name} has no area; this is a generator bug`);
    const code = `${CODE_PREFIX}${FIRST_CODE + r}`;
    own.forEach((s, i) => {
      subdistricts[s].code = `${code}${String(i + 1).padStart(3, '0')}000`;
    });
    return { id: `dt${String(r + 1).padStart(2, '0')}`, ...names[r], code: `${code}000000`, subdistricts: own, geometry: merged.geometry };
  });
  // The union may not lose or add area: a gap or sliver between districts would leave a subdistrict
  // partly outside them all, which the import refuses.
  const whole = size.reduce((a, b) => a + b, 0);
  const covered = districts.reduce((a, d) => a + area(d.geometry!), 0);
  if (Math.abs(covered - whole) > whole * 1e-4) {
    throw new Error(`the districts cover ${covered.toFixed(0)} m² of the subdistricts' ${whole.toFixed(0)} m²; this is a generator bug`);
  }
  return { districts, districtOf };
}

/**
 * Growth can box a district in among others before it has its share. Then move a subdistrict on the
 * boundary from a larger district to a smaller neighbour while that brings their areas closer (the sum
 * of squared district areas falls with every move, so this ends), keeping each district in one piece
 * and each seed (the old town's subdistrict first) in its own district.
 */
function balance(districtOf: Int32Array, regionSize: number[], size: number[], neighbours: Set<number>[], seeds: number[]): void {
  const connectedWithout = (r: number, gone: number): boolean => {
    const own = [...districtOf.keys()].filter((s) => districtOf[s] === r && s !== gone);
    const seen = new Set([own[0]]);
    const stack = [own[0]];
    while (stack.length > 0) {
      for (const n of neighbours[stack.pop()!]) {
        if (n === gone || districtOf[n] !== r || seen.has(n)) continue;
        seen.add(n);
        stack.push(n);
      }
    }
    return seen.size === own.length;
  };
  for (;;) {
    let best: { s: number; to: number; gain: number } | null = null;
    for (let s = 0; s < districtOf.length; s++) {
      const from = districtOf[s];
      if (seeds[from] === s) continue;
      for (const n of neighbours[s]) {
        const to = districtOf[n];
        if (to === from) continue;
        // (A − x)² + (B + x)² < A² + B²  ⇔  x < A − B
        const gain = 2 * size[s] * (regionSize[from] - regionSize[to] - size[s]);
        if (gain <= 0 || (best && gain <= best.gain)) continue;
        if (connectedWithout(from, s)) best = { s, to, gain };
      }
    }
    if (!best) return;
    regionSize[districtOf[best.s]] -= size[best.s];
    regionSize[best.to] += size[best.s];
    districtOf[best.s] = best.to;
  }
}

/**
 * The old town's district is 东昌区; from three districts on, the one with most new-district and
 * industrial cells is the 经济技术开发区 (a 开发区 grows on the edge of town), from six on the next one
 * the 高新技术产业开发区; the lake's district is 湖滨区; the rest take the list of invented stems.
 */
function nameDistricts(
  grid: ArterialGrid,
  cellSubdistrict: Int32Array,
  districtOf: Int32Array,
  members: number[][],
  count: number,
): { name: string; kind: DistrictKind }[] {
  const names: ({ name: string; kind: DistrictKind } | null)[] = members.map(() => null);
  names[0] = { name: SEAT_DISTRICT, kind: 'district' };
  const edgeCells = members.map(() => 0);
  let lake = -1;
  for (const cell of grid.cells) {
    const s = cellSubdistrict[cell.id];
    if (s < 0) continue;
    if (cell.zone === 'new' || cell.zone === 'industrial') edgeCells[districtOf[s]]++;
    // The lake's cell is the one park cell (grid.ts).
    if (cell.zone === 'park') lake = districtOf[s];
  }
  const zones = count >= 6 ? 2 : count >= 3 ? 1 : 0;
  for (let z = 0; z < zones; z++) {
    const r = edgeCells.reduce((best, n, i) => (names[i] === null && (best < 0 || n > edgeCells[best]) ? i : best), -1);
    names[r] = { name: ZONE_NAMES[z], kind: 'zone' };
  }
  if (lake >= 0 && names[lake] === null) names[lake] = { name: '湖滨区', kind: 'district' };
  let next = 0;
  return names.map((n) => n ?? { name: `${DISTRICT_STEMS[next++] ?? `第${next}`}区`, kind: 'district' });
}
