/**
 * The deterministic demo city: `generateDemoCity` writes the normalized layers folder (data/README.md)
 * for an invented district, 东昌区, placed at 36.45°N 115.98°E, or with several districts for an
 * invented prefecture-level city, 东昌市, whose old-town district is 东昌区. The same seed, scale,
 * districts and end date give byte-identical files.
 *
 *   frame (rotation, warp) → water → street network (plan) → road features (world)
 *   → subdistricts → districts → markets → units → communities → back streets → unit rules
 *   → other points → problems → check results
 */
import { area, featureCollection, intersect, polygon } from '@turf/turf';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadAssessmentCatalogs, loadCategories, pointTypeCategories } from './catalog';
import { type CheckPlace, generateChecks, type PlaceProblem, problemSpan } from './checks';
import { CITY_CENTER, type CityFrame, createFrame, insideWorldRect, planToLngLat, setOldTownWobble, toWorld, warpPolyline, worldToLngLat } from './frame';
import type { XY } from './geometry';
import { pointMarker } from '../../server/contract/geo';
import { DISTRICTS_FILE } from '../../server/contract/layers';
import { NameBook } from './names';
import { placeBackStreets, placeCommunities, placeMarkets, SitePicker } from './places';
import { demoPoints } from './points';
import { HALF_WIDTH_M, type RoadClass } from './plan';
import { CellLocator, SegmentIndex } from './plan-index';
import { buildDistricts } from './districts';
import { generateProblems, type PointSite, type RoadLine } from './problems';
import { forkRng } from './random';
import { type RoadFeature, roadFeatures } from './road-features';
import { buildStreetNetwork, type StreetNetwork } from './street-network';
import { buildSubdistricts } from './subdistricts';
import { formatLocal, parseLocalDate, defaultEnd } from './time';
import { assignPlaceUnits, fakePhone, placeUnits } from './units';
import { planWater, type WaterPlan } from './water';
import { LineWriter, feature, writeCollection } from './write-layers';

export interface DemoCityOptions {
  /** Seed of every random choice (integer, default 1). */
  seed?: number;
  /** Area multiplier (default 1 ≈ 6 × 5 km; 3 gives a road graph of 50,000+ vertices). */
  scale?: number;
  /**
   * Number of districts (区/开发区) the subdistricts are grouped into (default: 1 below scale 3, else
   * `max(3, round(scale))`). With 1 the city is one district and no districts.geojson is written.
   */
  districts?: number;
  /** Last day of the problem history, YYYY-MM-DD (default: yesterday in the city, UTC+8, so no report lies in the future). */
  end?: string;
  /** Folder to write the layers into (created if missing). */
  outDir: string;
  onProgress?: (msg: string) => void;
}

export const CITY_NAME = '东昌区';
export const CITY_NAME_EN = 'Dongchang District';
/** A multi-district demo city: an invented prefecture-level city (地级市) named after its old town. */
export const MULTI_CITY_NAME = '东昌市';
export const MULTI_CITY_NAME_EN = 'Dongchang City';
const MIN_SCALE = 0.3;
const MAX_SCALE = 20;
const MAX_DISTRICTS = 20;

/**
 * Below scale 3 the city is one district, as it always was (so the demo cities made so far, at scale 1,
 * stay the same). From scale 3 on it has 27 or more subdistricts over 90 km² and more, beyond what one
 * urban 区 usually holds (some 8–15 街道): a built-up area that size is a 地级市 of several districts, so
 * about one per scale unit (~9 subdistricts each, today's 东昌区), at least three so that the mix of 区
 * and a 开发区 shows.
 */
export function defaultDistricts(scale: number): number {
  return scale < 3 ? 1 : Math.max(3, Math.round(scale));
}
const ROAD_PROBLEM_CLASSES = new Set<RoadClass>(['trunk', 'primary', 'secondary', 'tertiary']);

function checkDistricts(districts: number): void {
  if (!Number.isInteger(districts) || districts < 1 || districts > MAX_DISTRICTS) {
    throw new Error(`districts must be an integer between 1 and ${MAX_DISTRICTS} (got ${districts}); 1 is the one-district city 东昌区`);
  }
}

function checkOptions(seed: number, scale: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`seed must be an integer between 0 and 4294967295 (got ${seed})`);
  }
  if (!Number.isFinite(scale) || scale < MIN_SCALE || scale > MAX_SCALE) {
    throw new Error(`scale must be a number between ${MIN_SCALE} and ${MAX_SCALE} (got ${scale}); 1 is a 6 × 5 km district`);
  }
}

interface Streets {
  frame: CityFrame;
  water: WaterPlan;
  names: NameBook;
  net: StreetNetwork;
  roads: RoadFeature[];
}

function buildStreets(seed: number, scale: number): Streets {
  const frame = createFrame(forkRng(seed, 'frame'), scale);
  const water = planWater(forkRng(seed, 'water'), frame);
  const names = new NameBook(forkRng(seed, 'names'));
  const net = buildStreetNetwork(forkRng(seed, 'streets'), frame, water, names);
  const old = net.grid.cells.filter((c) => c.zone === 'old').map((c) => net.pool.line(c.corners));
  setOldTownWobble(frame, forkRng(seed, 'wobble'), old);
  return { frame, water, names, net, roads: roadFeatures(frame, net) };
}

/**
 * Only the road network of the demo city (for tests and benchmarks that need a large graph without
 * writing files). Same roads as `generateDemoCity` writes for the same seed and scale.
 */
export function generateRoads(opts: { seed?: number; scale?: number } = {}): { roads: RoadFeature[]; bbox: [number, number, number, number] } {
  const seed = opts.seed ?? 1;
  const scale = opts.scale ?? 1;
  checkOptions(seed, scale);
  const { roads, frame } = buildStreets(seed, scale);
  return { roads, bbox: frame.bbox };
}

function ringToLngLat(frame: CityFrame, ring: readonly XY[]): XY[] {
  const closed = [...ring, ring[0]];
  return warpPolyline(frame, closed).map(([x, y]) => worldToLngLat(frame, x, y));
}

function lineToLngLat(frame: CityFrame, line: readonly XY[]): { coords: XY[]; lengthM: number } {
  const world = warpPolyline(frame, line);
  let lengthM = 0;
  for (let i = 1; i < world.length; i++) lengthM += Math.hypot(world[i][0] - world[i - 1][0], world[i][1] - world[i - 1][1]);
  return { coords: world.map(([x, y]) => worldToLngLat(frame, x, y)), lengthM };
}

/**
 * Generates the demo city and writes its layers into `outDir`.
 * @returns feature counts per layer (roads, water, subdistricts, units, markets, communities,
 *   backStreets, problems)
 * @example await generateDemoCity({ seed: 1, scale: 1, end: '2026-11-25', outDir: 'var/layers' });
 */
export async function generateDemoCity(opts: DemoCityOptions): Promise<{ counts: Record<string, number> }> {
  const seed = opts.seed ?? 1;
  const scale = opts.scale ?? 1;
  const end = opts.end ?? defaultEnd(Date.now());
  checkOptions(seed, scale);
  const districtCount = opts.districts ?? defaultDistricts(scale);
  checkDistricts(districtCount);
  parseLocalDate(end);
  if (!opts.outDir) throw new Error('outDir is required: the folder to write the layers into');
  const progress = opts.onProgress ?? (() => {});
  const categories = loadCategories();
  mkdirSync(opts.outDir, { recursive: true });

  const { frame, water, names, net, roads } = buildStreets(seed, scale);
  progress(`streets: ${roads.length} road segments`);
  const { subdistricts, cellSubdistrict, cellShapes } = buildSubdistricts(frame, net, water);
  progress(`subdistricts: ${subdistricts.length}`);
  const districtPlan = buildDistricts(frame, net.grid, subdistricts, cellSubdistrict, districtCount);
  const { districts } = districtPlan;
  const multi = districts.length > 1;
  if (multi) progress(`districts: ${districts.map((d) => `${d.name} (${d.subdistricts.length})`).join(', ')}`);
  const cityName = multi ? MULTI_CITY_NAME : CITY_NAME;
  const districtNames = subdistricts.map((_, s) => districts[districtPlan.districtOf[s]].name);
  // Each district's 创城办; a one-district city's is just 区创城办, as its files always said.
  const offices = districtNames.map((name) => (multi ? `${name}创城办` : '区创城办'));

  const index = new SegmentIndex();
  for (const edges of net.roadEdges) {
    for (const e of edges) index.addLine(net.pool.line(e.pts), HALF_WIDTH_M[net.roads[e.road].cls]);
  }
  const sites = new SitePicker(frame, net, index, water, cellSubdistrict);
  const markets = placeMarkets(forkRng(seed, 'markets'), frame, sites, names, net);
  const units = placeUnits(forkRng(seed, 'units'), sites, subdistricts, districtPlan, net.grid.cells, markets, names);
  const communities = placeCommunities(forkRng(seed, 'communities'), sites, names, net, index);
  const backStreets = placeBackStreets(forkRng(seed, 'back-streets'), frame, net, cellSubdistrict);
  assignPlaceUnits(forkRng(seed, 'assign'), units, markets, communities, backStreets);
  progress(`places: ${markets.length} markets, ${communities.length} communities, ${backStreets.length} back streets, ${units.units.length} units`);

  const out = (name: string) => join(opts.outDir, name);
  const counts: Record<string, number> = {};
  const [w, s, e, n] = frame.bbox;
  const cityRect = polygon([
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ]);

  counts.roads = await writeCollection(
    out('roads.geojson'),
    roads.map((r) =>
      feature(
        { id: r.id, name: r.name, class: r.cls, oneway: r.oneway, maxspeedKmh: r.maxspeedKmh, bridge: r.bridge, tunnel: false },
        { type: 'LineString', coordinates: r.coords },
      ),
    ),
  );

  const waterFeatures = [
    { id: 'w1', name: water.river.name, kind: 'river', ring: water.river.polygon },
    { id: 'w2', name: water.lake.name, kind: 'lake', ring: water.lake.polygon },
  ].flatMap((wf) => {
    const clipped = intersect(featureCollection([polygon([ringToLngLat(frame, wf.ring)]), cityRect]));
    if (!clipped) return [];
    // The layer format promises Polygons: should a meander leave and re-enter the city, keep the main part.
    const geometry =
      clipped.geometry.type === 'Polygon'
        ? clipped.geometry
        : {
            type: 'Polygon' as const,
            coordinates: clipped.geometry.coordinates.reduce((best, rings) => (area(polygon(rings)) > area(polygon(best)) ? rings : best)),
          };
    return [feature({ id: wf.id, name: wf.name, kind: wf.kind }, geometry)];
  });
  counts.water = await writeCollection(out('water.geojson'), waterFeatures);

  // A one-district city writes none: the import makes its district from city.json, as for any city
  // without the file, so the one-district files stay what they were.
  if (multi) {
    counts.districts = await writeCollection(
      out(DISTRICTS_FILE),
      districts.map((d) => feature({ id: d.id, name: d.name, code: d.code, kind: d.kind }, d.geometry!)),
    );
  }

  counts.subdistricts = await writeCollection(
    out('subdistricts.geojson'),
    subdistricts.map((sd) => feature({ id: sd.id, name: sd.name, code: sd.code }, sd.geometry)),
  );

  // 网格: one per block between arterials, numbered within its subdistrict, each with its 网格员. Their
  // own random streams, so adding them changed nothing else the generator makes.
  const gridNames = new NameBook(forkRng(seed, 'grid-names'));
  const gridRng = forkRng(seed, 'grids');
  const gridNo = subdistricts.map(() => 0);
  counts.grids = await writeCollection(
    out('grids.geojson'),
    cellShapes.map(({ cell, subdistrict, geometry }) => {
      const sd = subdistricts[subdistrict];
      const no = ++gridNo[subdistrict];
      return feature(
        { id: `grid-c${cell}`, name: `${sd.name}第${no}网格`, member: gridNames.person(), phone: fakePhone(gridRng), subdistrictId: sd.id },
        geometry,
      );
    }),
  );

  counts.units = await writeCollection(
    out('units.geojson'),
    units.units.map((u) =>
      feature(
        { id: u.id, name: u.name, type: u.type, subdistrictId: u.subdistrict >= 0 ? subdistricts[u.subdistrict].id : null, phone: u.phone },
        { type: 'Point', coordinates: planToLngLat(frame, u.at[0], u.at[1]) },
      ),
    ),
  );

  counts.markets = await writeCollection(
    out('markets.geojson'),
    markets.map((m) =>
      feature(
        { id: m.id, name: m.name, kind: 'market', subdistrictId: subdistricts[m.subdistrict].id, unitId: m.unitId, address: m.address },
        { type: 'Point', coordinates: planToLngLat(frame, m.at[0], m.at[1]) },
      ),
    ),
  );

  counts.communities = await writeCollection(
    out('communities.geojson'),
    communities.map((c) =>
      feature(
        {
          id: c.id,
          name: c.name,
          kind: 'community',
          subdistrictId: subdistricts[c.subdistrict].id,
          unitId: c.unitId,
          entrance: planToLngLat(frame, c.entrance[0], c.entrance[1]),
        },
        { type: 'Polygon', coordinates: [ringToLngLat(frame, c.ring)] },
      ),
    ),
  );

  counts.backStreets = await writeCollection(
    out('back-streets.geojson'),
    backStreets.map((b) => {
      const { coords, lengthM } = lineToLngLat(frame, b.line);
      return feature(
        {
          id: b.id,
          name: b.name,
          kind: 'back-street',
          subdistrictId: subdistricts[b.subdistrict].id,
          unitId: b.unitId,
          lengthM: Math.round(lengthM * 10) / 10,
        },
        { type: 'LineString', coordinates: coords },
      );
    }),
  );

  const roadLines: RoadLine[] = [];
  for (const edges of net.roadEdges) {
    for (const e of edges) {
      const road = net.roads[e.road];
      if (!road.name || !ROAD_PROBLEM_CLASSES.has(road.cls) || e.bridge) continue;
      const line = net.pool.line(e.pts);
      const mid = line[Math.floor(line.length / 2)];
      const [x, y] = toWorld(frame, (line[0][0] + mid[0]) / 2, (line[0][1] + mid[1]) / 2);
      if (insideWorldRect(frame, x, y)) roadLines.push({ line, name: road.name });
    }
  }
  // The other points before the problems, which they draw reports too.
  const pointFeatures = demoPoints(forkRng(seed, 'points'), frame, sites, names, net, markets, roads, subdistricts, units, { city: cityName, districtNames });
  counts.points = await writeCollection(
    out('points.geojson'),
    pointFeatures.map((f) => feature(f.properties as Record<string, unknown> & { id: string }, f.geometry)),
  );
  progress(`points: ${counts.points} of the other inspection point types`);
  const sdIndex = new Map(subdistricts.map((sd, i) => [sd.id, i]));
  const points: PointSite[] = pointFeatures.map((f) => ({
    id: String(f.properties.id),
    kind: String(f.properties.kind),
    name: String(f.properties.name),
    unitId: (f.properties.unitId as string | null) ?? null,
    subdistrict: sdIndex.get(String(f.properties.subdistrictId)) ?? 0,
    geometry: f.geometry,
  }));
  const catalogs = loadAssessmentCatalogs();

  const problems = LineWriter.open(out('problems.ndjson'));
  const byPlace = new Map<string, PlaceProblem[]>();
  let from: string | null = null;
  let to: string | null = null;
  for (const p of generateProblems({
    rng: forkRng(seed, 'problems'),
    frame,
    end,
    categories,
    markets,
    communities,
    backStreets,
    points,
    pointTypeCategories: pointTypeCategories(catalogs),
    roads: roadLines,
    units,
    locator: new CellLocator(net.pool, net.grid.cells),
    cellSubdistrict,
    subdistricts,
    offices,
    names,
  })) {
    const { at, ...properties } = p;
    from ??= p.reportedAt;
    to = p.reportedAt;
    if (p.placeId) {
      const list = byPlace.get(p.placeId) ?? [];
      list.push({ id: p.id, category: p.category, ...problemSpan(p.reportedAt, p.closedAt) });
      byPlace.set(p.placeId, list);
    }
    await problems.line(JSON.stringify({ type: 'Feature', id: p.id, properties, geometry: { type: 'Point', coordinates: at } }));
  }
  counts.problems = await problems.close();
  progress(`problems: ${counts.problems} reported ${from} … ${to}`);

  const checkPlaces: CheckPlace[] = [
    ...markets.map((m) => ({ id: m.id, kind: 'market', subdistrict: m.subdistrict, at: planToLngLat(frame, m.at[0], m.at[1]) })),
    ...communities.map((c) => ({ id: c.id, kind: 'community', subdistrict: c.subdistrict, at: planToLngLat(frame, c.entrance[0], c.entrance[1]) })),
    ...backStreets.map((b) => {
      const mid = b.line[Math.floor(b.line.length / 2)];
      return { id: b.id, kind: 'back-street', subdistrict: b.subdistrict, at: planToLngLat(frame, mid[0], mid[1]) };
    }),
    ...points.map((p) => ({ id: p.id, kind: p.kind, subdistrict: p.subdistrict, at: pointMarker(p.geometry) as XY })),
  ];
  // Each subdistrict's inspectors, and its district office's groups who go everywhere in the district.
  const inspectors = subdistricts.map((sd, s) => [
    ...Array.from({ length: 3 }, () => `${sd.name}巡查员${names.person()}`),
    `${offices[s]}督查一组`,
    `${offices[s]}督查二组`,
  ]);
  const checks = LineWriter.open(out('checks.ndjson'));
  for (const c of generateChecks({ rng: forkRng(seed, 'checks'), end, places: checkPlaces, catalogs, problems: byPlace, inspectors })) {
    await checks.line(JSON.stringify(c));
  }
  counts.checks = await checks.close();
  progress(`checks: ${counts.checks} check results since ${catalogs[0]?.effectiveFrom ?? end}`);

  const city = {
    name: cityName,
    nameEn: multi ? MULTI_CITY_NAME_EN : CITY_NAME_EN,
    center: CITY_CENTER,
    bbox: frame.bbox,
    source: 'generated',
    attribution: `${cityName}示范城市由 Xuncha 演示数据生成器生成（MIT），地名与数据均为虚构 · Demo city generated by Xuncha (MIT); places and data are invented`,
    // `districts` only where there are several, so a one-district city.json stays as it was.
    generator: { name: 'xuncha-demo-city', seed, scale, ...(multi ? { districts: districts.length } : {}), end },
    // The end date rather than the wall clock, so the same options give byte-identical files.
    createdAt: formatLocal(parseLocalDate(end)),
  };
  const cityFile = LineWriter.open(out('city.json'));
  await cityFile.line(JSON.stringify(city, null, 2));
  await cityFile.close();
  return { counts };
}
