/**
 * The other 实地考察 points of the demo city, placed the way a city has them: schools, hospitals, banks,
 * the 政务服务中心 and the bus station, culture venues and building sites in free blocks next to a street
 * (SitePicker, after markets and compounds took theirs), parks on the park blocks, a toilet at each
 * park and by every third market, an urban village (城中村) per village cell; main road segments and
 * junctions from the roads by the importer's own rules (scripts/import/build-layers.ts), with a bus
 * stop by each junction. Each answers to the department that keeps it.
 */
import type { Feature, LineString, Point, Polygon } from 'geojson';
import { roadInspectionPoints, UniqueIds, locator } from '../import/build-layers';
import { type CityFrame, planToLngLat, warpPolyline, worldToLngLat } from './frame';
import { centroid, type XY } from './geometry';
import type { NameBook } from './names';
import { SEAT_DISTRICT } from './districts';
import type { Market, SitePicker } from './places';
import type { Zone } from './plan';
import { type Rng, shuffle } from './random';
import type { RoadFeature } from './road-features';
import type { StreetNetwork } from './street-network';
import type { Subdistrict } from './subdistricts';
import { departmentsOf, type UnitPlan, type UnitType } from './units';

type Props = Record<string, unknown>;

/** What the city and each subdistrict's district are called (东昌区 for both in a one-district city). */
export interface Naming {
  city: string;
  /** Per subdistrict. */
  districtNames: readonly string[];
}

/** A point in plan space, before it is bent into the world. */
interface PlanPoint {
  kind: string;
  name: string;
  at: XY;
  ring?: XY[];
  subdistrict: number;
  unit: UnitType | null;
}

/** What a scale unit of the city holds of each block-placed type (a county district's order of things). */
const PER_SCALE = { school: 16, hospital: 4, bank: 8, culture: 4, construction: 6 };
const SCHOOL_KINDS = ['小学', '中学', '幼儿园', '小学'] as const;
const HOSPITALS = ['东昌区人民医院', '东昌区中医医院', '东昌区妇幼保健院', '东昌区第二人民医院', '东昌区口腔医院', '东昌区骨科医院'];
const BANKS = ['中国工商银行', '中国农业银行', '中国银行', '中国建设银行', '东昌农村商业银行', '邮储银行'];
const CULTURE = ['东昌区图书馆', '东昌区文化馆', '东昌博物馆', '人民剧院', '东昌区科技馆', '青少年宫'];
const PROJECTS = ['安置房项目', '商住楼项目', '学校扩建项目', '道路改造项目', '棚户区改造项目', '医院新院区项目'];
const DEPARTMENT: Record<string, UnitType | null> = {
  'bus-stop': 'transport',
  'public-toilet': 'sanitation',
  'park-square': 'greening',
  'construction-site': 'housing',
  'main-road': 'urban-management',
  junction: 'traffic-police',
};

/** A street a place is called after: a 路, 大道 or 街, never a numbered lane (六巷 names no school). */
const street = (road: string | null) => (road && /(路|大道|街)$/.test(road) && !road.includes('巷') ? road : null);
const stem = (road: string | null) => street(road)?.replace(/(大道|路|街)$/, '') ?? null;

/** Places the block-bound types in plan space. */
function placeInBlocks(
  rng: Rng,
  frame: CityFrame,
  sites: SitePicker,
  names: NameBook,
  net: StreetNetwork,
  markets: readonly Market[],
  subdistrictNames: readonly string[],
  { city, districtNames }: Naming,
): PlanPoint[] {
  const out: PlanPoint[] = [];
  const unique = (name: string) => {
    let n = name;
    for (let i = 2; out.some((p) => p.name === n); i++) n = `${name}（${i}）`;
    return n;
  };
  const inZones = (zones: readonly Zone[]) => (b: number) => zones.includes(net.blocks[b].zone);
  const place = (
    count: number,
    zones: readonly Zone[],
    make: (i: number, road: string | null, area: string, district: string) => { kind: string; name: string },
  ) => {
    const order = shuffle(
      rng,
      sites.eligible.filter((b) => !sites.used.has(b) && inZones(zones)(b)),
    );
    let i = 0;
    for (const b of order) {
      if (i >= count) break;
      const site = sites.siteIn(rng, b);
      if (!site) continue;
      sites.used.add(b);
      const area = (subdistrictNames[sites.subdistrictOf(b)] ?? '东昌').replace(/(街道|镇|乡)$/, '');
      const { kind, name } = make(i++, site.roadName, area, districtNames[sites.subdistrictOf(b)] ?? city);
      out.push({ kind, name: unique(name), at: site.at, subdistrict: sites.subdistrictOf(b), unit: DEPARTMENT[kind] ?? null });
    }
  };
  const s = frame.scale;
  const homes: Zone[] = ['residential', 'new', 'mixed', 'old'];
  place(Math.round(PER_SCALE.school * s), homes, (i, road, area, district) => ({
    kind: 'school-area',
    name: street(road) ? `${street(road)}${SCHOOL_KINDS[i % SCHOOL_KINDS.length]}` : `${district}${area}${SCHOOL_KINDS[i % SCHOOL_KINDS.length]}`,
  }));
  // Hospitals, culture venues and the 政务服务中心 are the city's: 东昌市人民医院 in a multi-district city.
  place(Math.max(1, Math.round(PER_SCALE.hospital * s)), ['mixed', 'old', 'new'], (i) => ({
    kind: 'hospital',
    name: HOSPITALS[i % HOSPITALS.length].replace(SEAT_DISTRICT, city),
  }));
  place(Math.round(PER_SCALE.bank * s), ['old', 'mixed'], (i, road, area) => ({
    kind: 'service-window',
    name: `${BANKS[i % BANKS.length]}${stem(road) ?? area}支行`,
  }));
  place(1, ['mixed', 'new'], () => ({ kind: 'service-window', name: `${city}政务服务中心` }));
  place(1, ['new', 'mixed'], () => ({ kind: 'service-window', name: '东昌汽车站' }));
  place(Math.max(1, Math.round(PER_SCALE.culture * s)), ['old', 'mixed'], (i) => ({
    kind: 'culture-venue',
    name: CULTURE[i % CULTURE.length].replace(SEAT_DISTRICT, city),
  }));
  place(Math.round(PER_SCALE.construction * s), ['new', 'mixed'], (i, road, area) => ({
    kind: 'construction-site',
    name: `${stem(road) ?? area}${PROJECTS[i % PROJECTS.length]}工地`,
  }));

  // Parks: the park blocks, biggest first named 人民公园, the rest after their street; a toilet at each.
  net.blocks.forEach((block, b) => {
    const sd = sites.subdistrictOf(b);
    if (block.zone !== 'park' || sd < 0) return;
    const ring = net.pool.line(block.ring);
    const c = centroid(ring);
    if (sites.inWater(c[0], c[1])) return;
    const road = block.edgeRoads.map((r) => (r >= 0 ? net.roads[r].name : null)).find((n) => n) ?? null;
    const first = !out.some((p) => p.kind === 'park-square');
    out.push({ kind: 'park-square', name: unique(first ? '人民公园' : `${stem(road) ?? '东昌'}公园`), at: ring[0], ring, subdistrict: sd, unit: 'greening' });
    out.push({ kind: 'public-toilet', name: unique(`${first ? '人民公园' : `${stem(road) ?? '东昌'}公园`}公厕`), at: c, subdistrict: sd, unit: 'sanitation' });
  });
  markets.forEach((m, i) => {
    if (i % 3 === 0)
      out.push({
        kind: 'public-toilet',
        name: unique(`${m.name.replace(/农贸市场$|市场$/, '')}市场公厕`),
        at: [m.at[0] + 25, m.at[1]],
        subdistrict: m.subdistrict,
        unit: 'sanitation',
      });
  });
  // An urban village per village cell, at its centre, named after a family (张庄, 李家村).
  net.grid.cells.forEach((cell, k) => {
    if (cell.zone !== 'village') return;
    // An eligible block: inside the city rectangle with a margin, out of the water.
    const block = sites.eligible.find((b) => net.blocks[b].cell === k) ?? -1;
    if (block < 0) return;
    const surname = names.person().slice(0, 1);
    out.push({
      kind: 'urban-village',
      name: unique(`${surname}${k % 2 === 0 ? '庄' : '家村'}`),
      at: centroid(net.pool.line(net.blocks[block].ring)),
      subdistrict: sites.subdistrictOf(block),
      unit: null,
    });
  });
  return out;
}

/**
 * Every other inspection point of the demo city as points.geojson features, ids `pt…`, each with its
 * subdistrict and the unit that keeps it (a department for bus stops, toilets, parks, sites, roads and
 * junctions; the subdistrict office for the rest).
 */
export function demoPoints(
  rng: Rng,
  frame: CityFrame,
  sites: SitePicker,
  names: NameBook,
  net: StreetNetwork,
  markets: readonly Market[],
  roads: readonly RoadFeature[],
  subdistricts: readonly Subdistrict[],
  units: UnitPlan,
  naming: Naming,
): Feature<Point | LineString | Polygon, Props>[] {
  const unitOf = (kind: string, subdistrict: number) => {
    const dept = DEPARTMENT[kind];
    return (dept && departmentsOf(units, subdistrict)[dept]) || units.officeOf[subdistrict] || null;
  };
  const out: Feature<Point | LineString | Polygon, Props>[] = [];
  placeInBlocks(
    rng,
    frame,
    sites,
    names,
    net,
    markets,
    subdistricts.map((sd) => sd.name),
    naming,
  ).forEach((p, i) => {
    const at = planToLngLat(frame, p.at[0], p.at[1]);
    const geometry: Point | Polygon = p.ring
      ? { type: 'Polygon', coordinates: [warpPolyline(frame, [...p.ring, p.ring[0]]).map(([x, y]) => worldToLngLat(frame, x, y))] }
      : { type: 'Point', coordinates: at };
    out.push({
      type: 'Feature',
      geometry,
      properties: {
        id: `pt${String(i + 1).padStart(4, '0')}`,
        name: p.name,
        kind: p.kind,
        subdistrictId: subdistricts[p.subdistrict].id,
        unitId: unitOf(p.kind, p.subdistrict),
        address: null,
        entrance: p.ring ? at : null,
        lengthM: null,
      },
    });
  });

  // The roads' points by the importer's rules, over the demo roads as if they were mapped ways.
  const sdFeatures = subdistricts.map((sd) => ({ type: 'Feature' as const, geometry: sd.geometry, properties: { id: sd.id } as Props }));
  const offices = units.officeOf.map((id, s) => ({
    type: 'Feature' as const,
    geometry: { type: 'Point' as const, coordinates: [0, 0] },
    properties: { id, type: 'subdistrict-office', subdistrictId: subdistricts[s].id } as Props,
  }));
  const locate = locator(sdFeatures, offices);
  const named = roads.filter((r) => r.name);
  const lines = named.map((r) => ({ key: r.id, tags: { highway: r.cls, name: r.name! }, geometry: { type: 'LineString' as const, coordinates: r.coords } }));
  const split = named.map((r) => ({
    type: 'Feature' as const,
    geometry: { type: 'LineString' as const, coordinates: r.coords },
    properties: { id: r.id, name: r.name, class: r.cls } as Props,
  }));
  const fromRoads = roadInspectionPoints(lines, split, { locate, ids: new UniqueIds() });
  const sdIndex = new Map(subdistricts.map((sd, i) => [sd.id, i]));
  let stops = 0;
  for (const f of fromRoads) {
    const p = f.properties;
    const sd = sdIndex.get(String(p.subdistrictId)) ?? 0;
    out.push({
      ...f,
      properties: {
        ...p,
        id: `pt-${String(p.id).replace(/^pt-/, '')}`,
        unitId: unitOf(String(p.kind), sd),
        address: null,
        entrance: null,
        lengthM: p.lengthM ?? null,
      },
    });
    if (p.kind !== 'junction') continue;
    // A bus stop 30 m east of each junction, named after the cross street.
    const [lng, lat] = (f.geometry as Point).coordinates;
    const cross =
      String(p.name)
        .replace(/交叉口$/, '')
        .split('与')[1] ?? String(p.name);
    const at = [Math.round((lng + 0.00034) * 1e7) / 1e7, lat];
    // Its own subdistrict: a junction's roads are often the line between two.
    const { subdistrictId } = locate(at);
    out.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: at },
      properties: {
        id: `pt-stop-${++stops}`,
        name: `${cross}站`,
        kind: 'bus-stop',
        subdistrictId,
        unitId: unitOf('bus-stop', sdIndex.get(String(subdistrictId)) ?? sd),
        address: null,
        entrance: null,
        lengthM: null,
      },
    });
  }
  return out;
}
