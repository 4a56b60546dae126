import {
  area as turfArea,
  bboxClip,
  booleanPointInPolygon,
  circle,
  distance,
  featureCollection,
  length as turfLength,
  lineSliceAlong,
  point,
  pointOnFeature,
  pointToLineDistance,
  voronoi,
} from '@turf/turf';
import type { Feature, LineString, MultiLineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import KDBush from 'kdbush';
import { buildDistricts } from './build-districts';
import type { OsmElement, SkipLog } from './elements';
import {
  COMMUNITY_POINT_RADIUS_M,
  backStreetRule,
  isBridge,
  isCommercialStreet,
  isCommunityArea,
  isCommunityPoint,
  isMarket,
  MAIN_ROAD_CLASSES,
  pointTypeOf,
  UNNAMED_POINT,
  isSubdistrictBoundary,
  isSubdistrictSeed,
  isTunnel,
  maxspeedKmh,
  nameOf,
  onewayOf,
  roadClass,
  waterKind,
} from './map-tags';
import type { Tags } from './osm-store';
import type { BBox } from '../../server/contract/geo';
import { PROFILES } from '../../server/contract/profiles';
import { accessLevel, profileSpeedKmh, roadClassIndex } from '../../server/graph/profiles';

type Props = Record<string, unknown>;
type Area = Polygon | MultiPolygon;

/** The normalized layers (data/README.md) as features in memory. */
export interface Layers {
  city: {
    name: string;
    nameEn: string;
    center: [number, number];
    bbox: BBox;
    source: string;
    attribution: string;
    createdAt: string;
  };
  roads: Feature<LineString, Props>[];
  water: Feature<Area, Props>[];
  /** 区/县/开发区 tiling the city bbox (build-districts.ts); empty when the extract has none: the city is one district. */
  districts: Feature<Area, Props>[];
  subdistricts: Feature<Area, Props>[];
  units: Feature<Point, Props>[];
  markets: Feature<Point, Props>[];
  communities: Feature<Area, Props>[];
  backStreets: Feature<LineString | MultiLineString, Props>[];
  /** The other 实地考察 point types (kind = a catalog point type id): bus stops, toilets, parks, main road segments … */
  points: Feature<Point | LineString | Area, Props>[];
}

export interface BuildOptions {
  name: string;
  nameEn?: string;
  bbox?: BBox;
  source: string;
  attribution: string;
  /** ISO time for city.json createdAt (passed in so a build is reproducible). */
  createdAt: string;
}

export const OSM_ATTRIBUTION = '© OpenStreetMap contributors';

/**
 * Maps OSM elements to the normalized layers with the rules of map-tags.ts: clips to `bbox`, splits
 * roads at every vertex shared with another road (and closed loops in two) so a graph can be noded by
 * coordinates, derives districts (区/县 boundaries, cut-outs included: build-districts.ts) and subdistricts
 * (boundaries, else a nearest-centre partition of seeds, else one subdistrict for the whole area), one
 * 街道办事处 unit each, and places each market/community/back
 * street in the subdistrict containing its representative point (the nearest one when outside all).
 */
export function buildLayers(input: OsmElement[], opts: BuildOptions, skipped: SkipLog): Layers {
  const elements = opts.bbox ? clipElements(input, opts.bbox, skipped) : input;
  const lines = elements.filter((e) => e.geometry.type === 'LineString') as (OsmElement & { geometry: LineString })[];
  const areas = elements.filter((e) => e.geometry.type === 'Polygon' || e.geometry.type === 'MultiPolygon') as (OsmElement & { geometry: Area })[];
  const points = elements.filter((e) => e.geometry.type === 'Point') as (OsmElement & { geometry: Point })[];

  const roadLines: (OsmElement & { geometry: LineString })[] = [];
  for (const l of lines) {
    const c = roadClass(l.tags);
    if ('cls' in c) roadLines.push(l);
    else if (l.tags.highway) skipped.add(c.skip, l.ref);
  }
  const roads = splitRoads(roadLines);
  const bbox =
    opts.bbox ??
    bboxOf(
      roads.flatMap((r) => r.geometry.coordinates),
      elements,
    );
  const ids = new UniqueIds();

  const water: Feature<Area, Props>[] = [];
  for (const a of areas) {
    const kind = waterKind(a.tags, turfArea(a.geometry));
    if (kind) water.push(feature(a.geometry, { id: ids.make(`w${a.key}`), name: nameOf(a.tags), kind }));
  }

  const subdistricts = buildSubdistricts(areas, points, bbox, opts.name, ids, skipped);
  const units = buildUnits(subdistricts, elements, roads, ids, skipped);
  const locate = locator(subdistricts, units);

  const markets: Feature<Point, Props>[] = [];
  for (const e of [...areas, ...points]) {
    if (!isMarket(e.tags) || (e.tags.highway && e.geometry.type !== 'Point')) continue;
    const at = e.geometry.type === 'Point' ? e.geometry.coordinates : pointOnFeature(e.geometry).geometry.coordinates;
    const name = nameOf(e.tags) ?? `未命名市场（${e.ref}）`;
    const dup = markets.find((m) => m.properties.name === name && distance(m.geometry.coordinates, at) < 0.3);
    if (dup) {
      skipped.add('market mapped twice (same name within 300 m): kept the first', e.ref);
      continue;
    }
    markets.push(feature({ type: 'Point', coordinates: at }, { id: ids.make(`mk${e.key}`), name, kind: 'market', ...locate(at), address: addressOf(e.tags) }));
  }

  const communities: Feature<Area, Props>[] = [];
  const entranceOf = entranceFinder(roads);
  for (const a of areas) {
    if (!isCommunityArea(a.tags) || isMarket(a.tags)) continue;
    const at = pointOnFeature(a.geometry).geometry.coordinates;
    const name = nameOf(a.tags) ?? `未命名小区（${a.ref}）`;
    const entrance = entranceOf(a.geometry);
    communities.push(feature(a.geometry, { id: ids.make(`cm${a.key}`), name, kind: 'community', ...locate(at), entrance }));
  }
  const mappedAreas = communities.slice();
  for (const p of points) {
    if (!isCommunityPoint(p.tags)) continue;
    const name = nameOf(p.tags);
    if (!name) {
      skipped.add('unnamed place=neighbourhood|quarter node', p.ref);
      continue;
    }
    const at = p.geometry.coordinates;
    if (mappedAreas.some((c) => booleanPointInPolygon(at, c.geometry))) {
      skipped.add('place node inside a community area already mapped', p.ref);
      continue;
    }
    const geometry = circle(at, COMMUNITY_POINT_RADIUS_M / 1000, { steps: 24 }).geometry;
    communities.push(feature(geometry, { id: ids.make(`cm${p.key}`), name, kind: 'community', ...locate(at), entrance: at }));
  }

  const backStreets: Feature<LineString, Props>[] = [];
  for (const l of roadLines) {
    const rule = backStreetRule(l.tags);
    if (!rule) continue;
    const name = nameOf(l.tags);
    if (!name) {
      skipped.add(`unnamed back street candidate (${rule}): an inspection point needs a name`, l.ref);
      continue;
    }
    const coords = l.geometry.coordinates;
    const lengthM = Math.round(turfLength(feature(l.geometry, {})) * 1000 * 10) / 10;
    const mid = coords[Math.floor(coords.length / 2)];
    backStreets.push(feature(l.geometry, { id: ids.make(`bs${l.key}`), name, kind: 'back-street', ...locate(mid), lengthM }));
  }

  const inspectionPoints = buildInspectionPoints([...areas, ...points], roadLines, roads, { locate, entranceOf, ids, skipped });
  // Last, so the report keeps listing the layers' own skips first; districts depend on nothing above.
  const districts = buildDistricts(elements, bbox, (base) => ids.make(base), skipped);

  const center: [number, number] = [round7((bbox[0] + bbox[2]) / 2), round7((bbox[1] + bbox[3]) / 2)];
  return {
    city: {
      name: opts.name,
      nameEn: opts.nameEn ?? opts.name,
      center,
      bbox: bbox.map(round7) as BBox,
      source: opts.source,
      attribution: opts.attribution,
      createdAt: opts.createdAt,
    },
    roads,
    water,
    districts,
    subdistricts,
    units,
    markets,
    communities,
    backStreets,
    points: inspectionPoints,
  };
}

const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;

function feature<G extends Feature['geometry']>(geometry: G, properties: Props): Feature<G, Props> {
  return { type: 'Feature', geometry, properties };
}

function addressOf(tags: Tags): string | null {
  if (tags['addr:full']) return tags['addr:full'];
  const street = [tags['addr:city'], tags['addr:street'], tags['addr:housenumber']].filter(Boolean).join('');
  return street || null;
}

/** Appends -2, -3 … to an id already used (the same OSM object can yield several features). */
export class UniqueIds {
  private used = new Set<string>();
  make(base: string): string {
    let id = base;
    for (let i = 2; this.used.has(id); i++) id = `${base}-${i}`;
    this.used.add(id);
    return id;
  }
}

function clipElements(input: OsmElement[], bbox: BBox, skipped: SkipLog): OsmElement[] {
  const [w, s, e, n] = bbox;
  const inside = ([x, y]: Position) => x >= w && x <= e && y >= s && y <= n;
  const out: OsmElement[] = [];
  for (const el of input) {
    const g = el.geometry;
    // A district cut open is clipped with the city bbox by build-districts.ts, which needs its ends outside.
    if (g.type === 'MultiLineString') {
      out.push(el);
      continue;
    }
    if (g.type === 'Point') {
      if (inside(g.coordinates)) out.push(el);
      continue;
    }
    const coords = g.type === 'LineString' ? g.coordinates : g.type === 'Polygon' ? g.coordinates[0] : g.coordinates.flatMap((p) => p[0]);
    if (coords.every(inside)) {
      out.push(el);
      continue;
    }
    const clipped = bboxClip(g, bbox).geometry;
    if (clipped.type === 'MultiLineString') {
      for (const part of clipped.coordinates) if (part.length >= 2) out.push({ ...el, geometry: { type: 'LineString', coordinates: part } });
    } else if (clipped.type === 'LineString') {
      if (clipped.coordinates.length >= 2) out.push({ ...el, geometry: clipped });
    } else {
      const polys = (clipped.type === 'Polygon' ? [clipped.coordinates] : clipped.coordinates).filter((p) => p.length && p[0].length >= 4);
      if (polys.length === 0) continue;
      out.push({ ...el, geometry: polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys } });
    }
  }
  if (out.length === 0) skipped.add('nothing inside --bbox', bbox.join(','));
  return out;
}

const posKey = (p: Position): string => `${p[0]},${p[1]}`;

/**
 * Splits road lines so each output LineString runs between junctions: at every interior vertex used
 * more than once over all roads (another road, or the same way passing twice); a piece that still
 * starts and ends at one point (a roundabout alone, X→B→X) is cut at its middle vertex, since an edge
 * from a node to itself is useless to a graph.
 */
function splitRoads(lines: (OsmElement & { geometry: LineString })[]): Feature<LineString, Props>[] {
  const uses = new Map<string, number>();
  const cleaned = lines.map((l) => {
    const c = l.geometry.coordinates.filter((p, i, a) => i === 0 || p[0] !== a[i - 1][0] || p[1] !== a[i - 1][1]);
    for (const p of c) uses.set(posKey(p), (uses.get(posKey(p)) ?? 0) + 1);
    return c;
  });
  const ids = new UniqueIds();
  const out: Feature<LineString, Props>[] = [];
  lines.forEach((l, li) => {
    const c = cleaned[li];
    if (c.length < 2) return;
    const cuts: number[] = [];
    for (let i = 1; i < c.length - 1; i++) if ((uses.get(posKey(c[i])) ?? 0) > 1) cuts.push(i);
    const t = l.tags;
    const props = {
      name: nameOf(t),
      class: t.highway,
      oneway: onewayOf(t),
      maxspeedKmh: maxspeedKmh(t),
      access: t.access ?? null,
      bridge: isBridge(t),
      tunnel: isTunnel(t),
    };
    let start = 0;
    for (const end of [...cuts, c.length - 1]) {
      // A piece that comes back to where it started (X→B→X between two cuts at X) is halved as well.
      const pieces =
        posKey(c[start]) === posKey(c[end]) && end - start >= 2
          ? [c.slice(start, start + Math.floor((end - start) / 2) + 1), c.slice(start + Math.floor((end - start) / 2), end + 1)]
          : [c.slice(start, end + 1)];
      for (const coordinates of pieces) out.push(feature({ type: 'LineString', coordinates }, { id: ids.make(`r${l.key}`), ...props }));
      start = end;
    }
  });
  return out;
}

function bboxOf(coords: Position[], all: OsmElement[]): BBox {
  let pts = coords;
  if (pts.length === 0) pts = all.flatMap((e) => (e.geometry.type === 'Point' ? [e.geometry.coordinates] : []));
  if (pts.length === 0) return [0, 0, 0, 0];
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of pts) {
    if (x < b[0]) b[0] = x;
    if (y < b[1]) b[1] = y;
    if (x > b[2]) b[2] = x;
    if (y > b[3]) b[3] = y;
  }
  return b;
}

function buildSubdistricts(
  areas: (OsmElement & { geometry: Area })[],
  points: (OsmElement & { geometry: Point })[],
  bbox: BBox,
  cityName: string,
  ids: UniqueIds,
  skipped: SkipLog,
): Feature<Area, Props>[] {
  const [w, s, e, n] = bbox;
  const whole: Polygon = {
    type: 'Polygon',
    coordinates: [
      [
        [w, s],
        [e, s],
        [e, n],
        [w, n],
        [w, s],
      ],
    ],
  };
  // Boundaries are used when the complete ones cover at least half the city; in a cut-out most 街道
  // relations lose members and the one or two left would swallow the whole city by nearest-assignment.
  const boundaries = areas
    .filter((a) => isSubdistrictBoundary(a.tags))
    .map((a) => ({ a, g: clipArea(a.geometry, bbox) }))
    .filter((x): x is { a: (typeof areas)[number]; g: Area } => x.g !== null);
  const covered = boundaries.reduce((sum, x) => sum + turfArea(x.g), 0);
  if (boundaries.length && covered >= BOUNDARY_MIN_COVER * turfArea(whole)) {
    return boundaries.map(({ a, g }) => feature(g, { id: ids.make(`sd${a.key}`), name: nameOf(a.tags)!, code: a.tags['ref:cn'] ?? a.tags.ref ?? '' }));
  }
  for (const x of boundaries) skipped.add('subdistrict boundary not used: the complete boundaries cover less than half the city', x.a.ref);
  const seeds: { name: string; at: Position; key: string }[] = [];
  for (const el of [...points, ...areas]) {
    if (!isSubdistrictSeed(el.tags)) continue;
    const at = el.geometry.type === 'Point' ? el.geometry.coordinates : pointOnFeature(el.geometry).geometry.coordinates;
    const name = nameOf(el.tags)!;
    if (at[0] < w || at[0] > e || at[1] < s || at[1] > n) {
      skipped.add('subdistrict seed outside the city bbox', el.ref);
      continue;
    }
    if (seeds.some((x) => x.name === name || (x.at[0] === at[0] && x.at[1] === at[1]))) {
      skipped.add('subdistrict seed repeated (same name or place)', el.ref);
      continue;
    }
    seeds.push({ name, at, key: el.key });
  }
  if (seeds.length <= 1) {
    const name = seeds[0]?.name ?? cityName;
    return [feature(whole, { id: ids.make(seeds[0] ? `sd${seeds[0].key}` : 'sd1'), name, code: '' })];
  }
  // Nearest-centre (Voronoi) partition: each seed gets the part of the bbox closer to it than to any other.
  const cells = voronoi(featureCollection(seeds.map((x) => point(x.at))), { bbox });
  return seeds.map((x, i) => feature(cells.features[i]?.geometry ?? whole, { id: ids.make(`sd${x.key}`), name: x.name, code: '' }));
}

const BOUNDARY_MIN_COVER = 0.5;
/** Roads a pedestrian can't reach a gate from. */
const NO_GATE_CLASSES = new Set(['motorway', 'motorway_link', 'trunk', 'trunk_link']);
const ENTRANCE_SEARCH_DEG = [0.0005, 0.002, 0.008];

/**
 * The entrance of a compound: the vertex of its outer boundary closest to a street vertex (not a
 * motorway/trunk), found with a KD index over the street vertices; null with no street within ~900 m.
 */
function entranceFinder(roads: Feature<LineString, Props>[]): (g: Area) => [number, number] | null {
  const pts: Position[] = [];
  for (const r of roads) if (!NO_GATE_CLASSES.has(String(r.properties.class))) pts.push(...r.geometry.coordinates);
  if (pts.length === 0) return () => null;
  const k = Math.cos(((pts[0][1] ?? 0) * Math.PI) / 180);
  const index = new KDBush(pts.length);
  for (const [x, y] of pts) index.add(x * k, y);
  index.finish();
  return (g) => {
    const ring = g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0][0];
    for (const r of ENTRANCE_SEARCH_DEG) {
      let best: Position | null = null;
      let bestD = Infinity;
      for (const v of ring) {
        for (const i of index.within(v[0] * k, v[1], r)) {
          const d = Math.hypot(pts[i][0] * k - v[0] * k, pts[i][1] - v[1]);
          if (d < bestD) [bestD, best] = [d, v];
        }
      }
      if (best) return [best[0], best[1]];
    }
    return null;
  };
}

function clipArea(g: Area, bbox: BBox): Area | null {
  const c = bboxClip(g, bbox).geometry as Area;
  const polys = (c.type === 'Polygon' ? [c.coordinates] : c.coordinates).filter((p) => p.length && p[0].length >= 4);
  if (polys.length === 0) return null;
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}

function officeName(sd: string): string {
  if (/街道$/.test(sd)) return `${sd}办事处`;
  if (/(镇|乡)$/.test(sd)) return `${sd}人民政府`;
  return `${sd}街道办事处`;
}

/** An office farther than this from every road all profiles may use cannot start a plan (the planner snaps within 500 m). */
const OFFICE_ROAD_LIMIT_M = 500;

/** A road every profile (walking, e-bike, car) may use, open to all: where a team can set off from. */
function usableByAll(r: Feature<LineString, Props>): boolean {
  const cls = roadClassIndex(String(r.properties.class));
  const access = accessLevel(r.properties.access as string | null);
  return PROFILES.every((p) => profileSpeedKmh(p, cls, 0, access) > 0);
}

/**
 * One subdistrict office per subdistrict, at the mapped office (…办事处/…人民政府) when the data has it,
 * else on the nearest road every profile may use inside the subdistrict: the office is where plans start,
 * and the middle of an area may be a lake or a campus. A mapped office too far from such a road is kept
 * where it is mapped and named in the report.
 */
function buildUnits(
  subdistricts: Feature<Area, Props>[],
  elements: OsmElement[],
  roads: Feature<LineString, Props>[],
  ids: UniqueIds,
  skipped: SkipLog,
): Feature<Point, Props>[] {
  const usable = roads.filter(usableByAll);
  return subdistricts.map((sd) => {
    const name = officeName(String(sd.properties.name));
    const mapped = elements.find((e) => e.tags.name === name);
    let at: Position;
    if (mapped) {
      at = mapped.geometry.type === 'Point' ? mapped.geometry.coordinates : pointOnFeature(mapped.geometry).geometry.coordinates;
      const d = nearestOnRoads(at, usable, null).distanceM;
      if (d > OFFICE_ROAD_LIMIT_M) {
        skipped.add(
          `office more than ${OFFICE_ROAD_LIMIT_M} m from a road every profile may use: plans cannot start there; move it next to a street in units.geojson`,
          `${name} (${Math.round(d)} m)`,
        );
      }
    } else {
      const centre = pointOnFeature(sd.geometry).geometry.coordinates;
      at = nearestOnRoads(centre, usable, sd.geometry).at ?? nearestOnRoads(centre, usable, null).at ?? centre;
    }
    return feature(
      { type: 'Point', coordinates: [round7(at[0]), round7(at[1])] },
      {
        id: ids.make(`u${String(sd.properties.id).slice(2)}`),
        name,
        type: 'subdistrict-office',
        subdistrictId: sd.properties.id,
        phone: null,
      },
    );
  });
}

/** The point of `roads` nearest `p` (inside `within` when given) and its distance in metres; at null when none qualifies. */
function nearestOnRoads(p: Position, roads: Feature<LineString, Props>[], within: Area | null): { at: Position | null; distanceM: number } {
  const k = Math.cos((p[1] * Math.PI) / 180);
  let best: { at: Position | null; d2: number } = { at: null, d2: Infinity };
  for (const r of roads) {
    const c = r.geometry.coordinates;
    for (let i = 1; i < c.length; i++) {
      const ax = (c[i - 1][0] - p[0]) * k;
      const ay = c[i - 1][1] - p[1];
      const dx = (c[i][0] - c[i - 1][0]) * k;
      const dy = c[i][1] - c[i - 1][1];
      const len2 = dx * dx + dy * dy;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
      const d2 = (ax + t * dx) ** 2 + (ay + t * dy) ** 2;
      if (d2 >= best.d2) continue;
      const at = [c[i - 1][0] + t * (c[i][0] - c[i - 1][0]), c[i - 1][1] + t * (c[i][1] - c[i - 1][1])];
      if (within && !booleanPointInPolygon(at, within)) continue;
      best = { at, d2 };
    }
  }
  return { at: best.at, distanceM: Math.sqrt(best.d2) * 111_195 };
}

/** subdistrictId/unitId for a point: the subdistrict containing it, else the one whose centre is nearest. */
export function locator(
  subdistricts: Feature<Area, Props>[],
  units: Feature<Point, Props>[],
): (at: Position) => { subdistrictId: string | null; unitId: string | null } {
  const centres = subdistricts.map((sd) => pointOnFeature(sd.geometry).geometry.coordinates);
  return (at) => {
    let i = subdistricts.findIndex((sd) => booleanPointInPolygon(at, sd.geometry));
    if (i < 0 && subdistricts.length) {
      let best = Infinity;
      centres.forEach((c, j) => {
        const d = distance(c, at);
        if (d < best) [best, i] = [d, j];
      });
    }
    if (i < 0) return { subdistrictId: null, unitId: null };
    const sdId = String(subdistricts[i].properties.id);
    const unit = units.find((u) => u.properties.subdistrictId === sdId && u.properties.type === 'subdistrict-office');
    return { subdistrictId: sdId, unitId: unit ? String(unit.properties.id) : null };
  };
}

/** Longest stretch of a main road one inspection point covers (the catalog walks 300–500 m of it). */
export const MAIN_ROAD_SEGMENT_M = 500;
/** Longest commercial street kept as one point. */
const COMMERCIAL_STREET_MAX_M = 800;
/** The same type and name this close is the same thing mapped twice (a stop node and its platform). */
const SAME_POINT_KM = 0.1;
/** A carriageway this close to a kept one of the same road is its other direction. */
const TWIN_CARRIAGEWAY_KM = 0.06;
/** Junction nodes of the same two roads this close are one junction (dual carriageways meet in four nodes). */
const JUNCTION_CLUSTER_KM = 0.08;

interface PointContext {
  locate: (at: Position) => { subdistrictId: string | null; unitId: string | null };
  entranceOf: (g: Area) => [number, number] | null;
  ids: UniqueIds;
  skipped: SkipLog;
}

/**
 * The point types of map-tags.ts `pointTypeOf` from tagged objects, plus main road segments, junctions
 * and commercial streets from the roads. Unnamed objects are named by their kind and the nearest named
 * street (公共厕所（中山路）), since a point must be findable by name.
 */
function buildInspectionPoints(
  objects: OsmElement[],
  roadLines: (OsmElement & { geometry: LineString })[],
  roads: Feature<LineString, Props>[],
  ctx: PointContext,
): Feature<Point | LineString | Area, Props>[] {
  const out: Feature<Point | LineString | Area, Props>[] = [];
  const nearStreet = nearestStreetName(roads);
  const seen: { kind: string; name: string; at: Position }[] = [];
  for (const e of objects) {
    const kind = pointTypeOf(e.tags);
    if (!kind || (e.tags.highway && e.geometry.type === 'LineString')) continue;
    const area = e.geometry.type === 'Polygon' || e.geometry.type === 'MultiPolygon' ? (e.geometry as Area) : null;
    const at = e.geometry.type === 'Point' ? (e.geometry as Point).coordinates : pointOnFeature(e.geometry).geometry.coordinates;
    const street = nearStreet(at);
    const name = nameOf(e.tags) ?? (street ? `${UNNAMED_POINT[kind]}（${street}）` : `${UNNAMED_POINT[kind]}（${e.ref}）`);
    if (seen.some((s) => s.kind === kind && s.name === name && distance(s.at, at) < SAME_POINT_KM)) {
      ctx.skipped.add(`${kind} mapped twice (same name within 100 m): kept the first`, e.ref);
      continue;
    }
    seen.push({ kind, name, at });
    const entrance = area ? ctx.entranceOf(area) : null;
    out.push(
      feature(area ?? { type: 'Point', coordinates: at }, {
        id: ctx.ids.make(`pt${e.key}`),
        name,
        kind,
        ...ctx.locate(at),
        ...(area ? { entrance: entrance ?? at } : {}),
        address: addressOf(e.tags),
      }),
    );
  }
  out.push(...roadInspectionPoints(roadLines, roads, ctx));
  return out;
}

/**
 * The points the roads give: main road segments, commercial streets and junctions (the rules above).
 * `roadLines` are whole named ways, `roads` the network split at junctions. The demo city uses it too.
 */
export function roadInspectionPoints(
  roadLines: readonly { key: string; tags: Tags; geometry: LineString }[],
  roads: readonly Feature<LineString, Props>[],
  ctx: Pick<PointContext, 'locate' | 'ids'>,
): Feature<Point | LineString, Props>[] {
  const out: Feature<Point | LineString, Props>[] = [];
  const lineFeature = (kind: string, name: string, key: string, coords: Position[]) => {
    const lengthM = Math.round(turfLength(feature({ type: 'LineString', coordinates: coords }, {})) * 10_000) / 10;
    return feature({ type: 'LineString', coordinates: coords } as LineString, {
      id: ctx.ids.make(key),
      name,
      kind,
      ...ctx.locate(coords[Math.floor(coords.length / 2)]),
      lengthM,
    });
  };
  const main = roadLines.filter((l) => MAIN_ROAD_CLASSES.has(String(l.tags.highway)) && nameOf(l.tags));
  for (const [name, chains] of chainsByName(main)) {
    const kept: Position[][] = [];
    for (const chain of chains)
      for (const piece of cut(chain.coords, MAIN_ROAD_SEGMENT_M)) {
        const mid = piece[Math.floor(piece.length / 2)];
        if (kept.some((k) => pointToLineDistance(mid, { type: 'LineString', coordinates: k }) < TWIN_CARRIAGEWAY_KM)) continue;
        kept.push(piece);
      }
    kept.forEach((piece, i) =>
      out.push(lineFeature('main-road', kept.length > 1 ? `${name}（第${i + 1}段）` : name, `pt-road-${chains[0].key}-${i + 1}`, piece)),
    );
  }
  for (const [name, chains] of chainsByName(roadLines.filter((l) => isCommercialStreet(l.tags)))) {
    const pieces = chains.flatMap((c) => cut(c.coords, COMMERCIAL_STREET_MAX_M));
    pieces.forEach((piece, i) =>
      out.push(lineFeature('commercial-street', pieces.length > 1 ? `${name}（第${i + 1}段）` : name, `pt-street-${chains[0].key}-${i + 1}`, piece)),
    );
  }
  out.push(...junctions(roads, ctx));
  return out;
}

/** Ways of the same name joined end to end (either direction) into chains, by name. */
function chainsByName(ways: readonly { key: string; tags: Tags; geometry: LineString }[]): Map<string, { key: string; coords: Position[] }[]> {
  const byName = new Map<string, { key: string; tags: Tags; geometry: LineString }[]>();
  for (const w of ways) {
    const name = nameOf(w.tags)!;
    const list = byName.get(name);
    if (list) list.push(w);
    else byName.set(name, [w]);
  }
  const out = new Map<string, { key: string; coords: Position[] }[]>();
  for (const [name, list] of byName) {
    const left = list.map((w) => ({ key: w.key, coords: w.geometry.coordinates.slice() }));
    const chains: { key: string; coords: Position[] }[] = [];
    while (left.length > 0) {
      const chain = left.shift()!;
      for (let grew = true; grew;) {
        grew = false;
        for (let i = 0; i < left.length; i++) {
          const c = left[i].coords;
          const [head, tail] = [posKey(chain.coords[0]), posKey(chain.coords[chain.coords.length - 1])];
          if (posKey(c[0]) === tail) chain.coords.push(...c.slice(1));
          else if (posKey(c[c.length - 1]) === tail) chain.coords.push(...c.slice(0, -1).reverse());
          else if (posKey(c[c.length - 1]) === head) chain.coords.unshift(...c.slice(0, -1));
          else if (posKey(c[0]) === head) chain.coords.unshift(...c.slice(1).reverse());
          else continue;
          left.splice(i, 1);
          grew = true;
          break;
        }
      }
      chains.push(chain);
    }
    out.set(name, chains);
  }
  return out;
}

/** A line cut into equal pieces of at most `maxM`. */
function cut(coords: Position[], maxM: number): Position[][] {
  const line = feature({ type: 'LineString', coordinates: coords } as LineString, {});
  const km = turfLength(line);
  const n = Math.max(1, Math.ceil((km * 1000) / maxM));
  if (n === 1) return [coords];
  const step = km / n;
  const pieces: Position[][] = [];
  for (let i = 0; i < n; i++) pieces.push(lineSliceAlong(line, i * step, i === n - 1 ? km : (i + 1) * step).geometry.coordinates);
  return pieces;
}

/** Where two named main roads meet: one point per pair of names and place, named 甲路与乙路交叉口. */
function junctions(roads: readonly Feature<LineString, Props>[], ctx: Pick<PointContext, 'locate' | 'ids'>): Feature<Point, Props>[] {
  const names = new Map<string, { at: Position; names: Set<string> }>();
  for (const r of roads) {
    const name = r.properties.name as string | null;
    if (!name || !MAIN_ROAD_CLASSES.has(String(r.properties.class))) continue;
    const c = r.geometry.coordinates;
    for (const p of [c[0], c[c.length - 1]]) {
      const k = posKey(p);
      const entry = names.get(k) ?? { at: p, names: new Set<string>() };
      entry.names.add(name);
      names.set(k, entry);
    }
  }
  const found: { pair: string; at: Position; names: string[] }[] = [];
  for (const { at, names: set } of names.values()) {
    if (set.size < 2) continue;
    const pairNames = [...set].sort().slice(0, 2);
    const pair = pairNames.join('\u0000');
    if (found.some((f) => f.pair === pair && distance(f.at, at) < JUNCTION_CLUSTER_KM)) continue;
    found.push({ pair, at, names: pairNames });
  }
  return found.map((f, i) =>
    feature(
      { type: 'Point', coordinates: f.at },
      { id: ctx.ids.make(`pt-junction-${i + 1}`), name: `${f.names[0]}与${f.names[1]}交叉口`, kind: 'junction', ...ctx.locate(f.at) },
    ),
  );
}

/** The name of the nearest named street within ~200 m of a point, or null. */
function nearestStreetName(roads: Feature<LineString, Props>[]): (at: Position) => string | null {
  const pts: { p: Position; name: string }[] = [];
  for (const r of roads) if (r.properties.name) for (const p of r.geometry.coordinates) pts.push({ p, name: String(r.properties.name) });
  if (pts.length === 0) return () => null;
  const k = Math.cos((pts[0].p[1] * Math.PI) / 180);
  const index = new KDBush(pts.length);
  for (const { p } of pts) index.add(p[0] * k, p[1]);
  index.finish();
  return (at) => {
    let best: string | null = null;
    let bestD = Infinity;
    for (const i of index.within(at[0] * k, at[1], 0.002)) {
      const d = Math.hypot((pts[i].p[0] - at[0]) * k, pts[i].p[1] - at[1]);
      if (d < bestD) [bestD, best] = [d, pts[i].name];
    }
    return best;
  };
}
