import { area as turfArea, bboxClip, booleanPointInPolygon, difference, feature, featureCollection, intersect, polygonize, union } from '@turf/turf';
import type { Feature, LineString, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import type { BBox } from '../../server/contract/geo';
import type { DistrictKind } from '../../server/contract/layers';
import type { OsmElement, SkipLog } from './elements';
import { districtRule, divisionCode, nameOf } from './map-tags';

/*
 * Districts (区/县/开发区) from OSM boundaries, for an extract that cuts most district relations open.
 *
 * The city bbox is split into faces by every district boundary way present (clipped to the bbox and
 * noded), then each face is given the district it lies in:
 *
 *        鼓楼区 │ 玄武区          a way is a member of the relations on its two sides; crossing it
 *     ──────────●──────           leaves one of them and enters the other. So for one district the
 *        秦淮区      ╲            faces it holds are fixed up to "this side or the other" (a parity
 *                                 walk over the faces), and the sides are chosen together so that no
 *                                 two districts share a face, with the relation's label/admin_centre
 *                                 node (or a place node of its name) inside the city as a witness.
 *
 * A complete relation simply holds the faces inside it. What no district holds is given to the
 * neighbour it shares the longest boundary with, when the districts hold at least half the city; else
 * no districts are written (the city stays one district), as with the subdistricts' boundaries.
 */

type Props = Record<string, unknown>;
type Area = Polygon | MultiPolygon;

/** Districts hold at least this share of the city, or none is written (one or two would swallow it). */
const MIN_COVER = 0.5;
/** Coordinates closer than this (degrees, ~1 mm) are on the bbox edge or the same crossing. */
const EPS = 1e-9;
/** Tied choices of sides examined at most; a city has a handful of districts. */
const MAX_SOLUTIONS = 256;

interface Candidate {
  key: string;
  ref: string;
  name: string;
  kind: DistrictKind;
  code: string;
  use: 'tile' | 'carve';
  /** The whole relation, when it closed; else null and only `lines` are known. */
  polygon: Area | null;
  lines: Position[][];
  labels: Position[];
}

interface Face {
  rings: Position[][];
  areaM2: number;
  /** Segment keys of its rings, for adjacency. */
  keys: string[];
}

/**
 * The districts of the city bbox from the district boundaries among `elements` (map-tags.ts
 * `districtRule`): they tile the bbox without overlaps, so every subdistrict inside the bbox lies in
 * them. Empty, with the reason in `skipped`, when the extract has no usable district boundary.
 */
export function buildDistricts(elements: readonly OsmElement[], bbox: BBox, makeId: (base: string) => string, skipped: SkipLog): Feature<Area, Props>[] {
  const candidates = collect(elements, skipped);
  const tiles = candidates.filter((c) => c.use === 'tile');
  const none = (reason: string, example: string) => {
    skipped.add(`${reason}: no districts.geojson, the city is one district`, example);
    return [];
  };
  if (tiles.length === 0) {
    for (const z of candidates) skipped.add('development zone without county-level districts around it: not used', z.ref);
    return none('no usable district boundary (boundary=administrative + admin_level=6, named …区/县/市) in the extract', bbox.join(','));
  }
  const { faces, owners } = facesOf(tiles, bbox);
  const owner = assignFaces(tiles, faces, owners, skipped);
  const total = faces.reduce((s, f) => s + f.areaM2, 0);
  const covered = faces.reduce((s, f, i) => s + (owner[i] >= 0 ? f.areaM2 : 0), 0);
  if (covered < MIN_COVER * total) {
    return none(
      `district boundaries cover under half the city (${Math.round((100 * covered) / total)} %)`,
      tiles.map((t) => t.name).join(', ') || bbox.join(','),
    );
  }
  fillUncovered(faces, owner, tiles, skipped);

  const out: { c: Candidate; geometry: Area }[] = [];
  tiles.forEach((c, i) => {
    const mine = faces.filter((_, f) => owner[f] === i).map((f) => feature<Polygon>({ type: 'Polygon', coordinates: f.rings }));
    if (mine.length === 0) return;
    const geometry = mine.length === 1 ? mine[0].geometry : union(featureCollection(mine))?.geometry;
    if (geometry) out.push({ c, geometry });
  });
  carveZones(out, candidates, bbox, skipped);
  return out.map(({ c, geometry }) => ({ type: 'Feature', geometry, properties: { id: makeId(`dt${c.key}`), name: c.name, code: c.code, kind: c.kind } }));
}

function collect(elements: readonly OsmElement[], skipped: SkipLog): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const e of elements) {
    const g = e.geometry;
    if (g.type === 'Point' || g.type === 'LineString') continue;
    const rule = districtRule(e.tags);
    if (!rule) continue;
    if ('skip' in rule) {
      skipped.add(rule.skip, e.ref);
      continue;
    }
    // A clipped MultiPolygon may come as several elements of one key: one candidate each is enough once merged.
    if (seen.has(e.key)) continue;
    seen.add(e.key);
    const polygon = g.type === 'MultiLineString' ? null : g;
    if (rule.use === 'carve' && !polygon) {
      skipped.add('development zone boundary incomplete in the extract: a zone is cut out of the districts only when whole', e.ref);
      continue;
    }
    const lines = polygon ? (polygon.type === 'Polygon' ? polygon.coordinates : polygon.coordinates.flat()) : (g as MultiLineString).coordinates;
    const places = elements
      .filter((p) => p.geometry.type === 'Point' && p.tags.place && nameOf(p.tags) === nameOf(e.tags))
      .map((p) => (p.geometry as { coordinates: Position }).coordinates);
    out.push({
      key: e.key,
      ref: e.ref,
      name: nameOf(e.tags)!,
      kind: rule.kind,
      code: divisionCode(e.tags),
      use: rule.use,
      polygon,
      lines,
      labels: [...(e.labels ?? []), ...places],
    });
  }
  return out;
}

const posKey = (p: Position): string => `${p[0]},${p[1]}`;
const segKey = (a: Position, b: Position): string => {
  const [ka, kb] = [posKey(a), posKey(b)];
  return ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
};

interface Segment {
  a: Position;
  b: Position;
  /** Indexes of the candidates whose boundary it is; empty for the bbox's own edge. */
  owners: Set<number>;
}

/**
 * The faces the district boundaries cut the bbox into. Boundaries are clipped to the bbox, broken into
 * segments, noded where segments cross (ways of one relation share nodes, those of two sources may not),
 * and closed by the bbox edge; `polygonize` finds the faces (dangles, such as a way ending inside the
 * city because the rest of its relation is missing, bound no face).
 */
function facesOf(tiles: readonly Candidate[], bbox: BBox): { faces: Face[]; owners: Map<string, Set<number>> } {
  const segments = new Map<string, Segment>();
  const addSegment = (a: Position, b: Position, owner: number | null) => {
    if (a[0] === b[0] && a[1] === b[1]) return;
    const k = segKey(a, b);
    const s = segments.get(k) ?? { a, b, owners: new Set<number>() };
    if (owner !== null) s.owners.add(owner);
    segments.set(k, s);
  };
  tiles.forEach((c, i) => {
    for (const line of c.lines) {
      if (line.length < 2) continue;
      const clipped = bboxClip({ type: 'LineString', coordinates: line } as LineString, bbox).geometry;
      const parts = clipped.type === 'LineString' ? [clipped.coordinates] : (clipped as MultiLineString).coordinates;
      for (const part of parts) for (let j = 1; j < part.length; j++) addSegment(part[j - 1], part[j], i);
    }
  });
  const noded = node(extendDangles(node([...segments.values()]), bbox));
  segments.clear();
  for (const s of noded) for (const o of s.owners.size ? s.owners : [null]) addSegment(s.a, s.b, o);
  for (const [a, b] of bboxRing(
    bbox,
    [...segments.values()].flatMap((s) => [s.a, s.b]),
  ))
    addSegment(a, b, null);

  const lines = [...segments.values()].map((s) => feature<LineString>({ type: 'LineString', coordinates: [s.a, s.b] }));
  const polys = polygonize(featureCollection(lines)).features.map((f) => f.geometry.coordinates[0]);
  // NOTE: turf's polygonize returns the ring around an island as a face of its own but does not cut it
  // out of the face around it (and may return it twice): holes are put back here.
  const unique = new Map<string, Position[]>();
  for (const ring of polys) {
    const keys = ringKeys(ring).sort().join(' ');
    if (!unique.has(keys)) unique.set(keys, ring);
  }
  const rings = [...unique.values()];
  const areas = rings.map((r) => turfArea({ type: 'Polygon', coordinates: [r] }));
  const holes: Position[][][] = rings.map(() => []);
  rings.forEach((r, i) => {
    let parent = -1;
    rings.forEach((o, j) => {
      if (j === i || areas[j] <= areas[i]) return;
      if (!booleanPointInPolygon(r[0], { type: 'Polygon', coordinates: [o] }, { ignoreBoundary: true })) return;
      if (parent < 0 || areas[j] < areas[parent]) parent = j;
    });
    if (parent >= 0) holes[parent].push(r.slice().reverse());
  });
  const faces = rings.map((r, i) => ({
    rings: [r, ...holes[i]],
    areaM2: areas[i] - holes[i].reduce((sum, h) => sum + turfArea({ type: 'Polygon', coordinates: [h] }), 0),
    keys: [r, ...holes[i]].flatMap(ringKeys),
  }));
  return { faces, owners: new Map([...segments].map(([k, seg]) => [k, seg.owners])) };
}

/** How far back along a boundary its direction at a loose end is read (a last vertex may zigzag). */
const DIRECTION_BASE_M = 150;

/**
 * A boundary way that ends inside the city ends where the extract lost the next member of its relation
 * (a bbox download keeps the ways that reach into the query area, the city bbox is that of the roads,
 * which reach farther). Such a loose end is carried on straight, in the direction of its last ~150 m,
 * to the first boundary or bbox edge it meets, so the faces close; the error is the size of the gap.
 */
function extendDangles(segments: Segment[], bbox: BBox): Segment[] {
  const at = new Map<string, number[]>();
  segments.forEach((s, i) => {
    for (const p of [s.a, s.b]) at.set(posKey(p), [...(at.get(posKey(p)) ?? []), i]);
  });
  const k = Math.cos((((bbox[1] + bbox[3]) / 2) * Math.PI) / 180);
  const metres = (a: Position, b: Position) => Math.hypot((a[0] - b[0]) * k, a[1] - b[1]) * 111_195;
  const onEdge = ([x, y]: Position) => x <= bbox[0] + EPS || x >= bbox[2] - EPS || y <= bbox[1] + EPS || y >= bbox[3] - EPS;
  const added: Segment[] = [];
  for (const [key, list] of at) {
    if (list.length !== 1) continue;
    const first = segments[list[0]];
    const end = posKey(first.a) === key ? first.a : first.b;
    if (onEdge(end)) continue;
    // Walk back along the chain through vertices of degree 2 for the direction.
    let back = end;
    let seg = list[0];
    for (let walked = 0; walked < DIRECTION_BASE_M;) {
      const s = segments[seg];
      const next = posKey(s.a) === posKey(back) ? s.b : s.a;
      walked += metres(back, next);
      back = next;
      const on = at.get(posKey(next))!;
      if (on.length !== 2) break;
      seg = on[0] === seg ? on[1] : on[0];
    }
    const dx = end[0] - back[0];
    const dy = end[1] - back[1];
    if (dx === 0 && dy === 0) continue;
    let hit: Position | null = null;
    let best = Infinity;
    const far: Position = [end[0] + dx * 1e6, end[1] + dy * 1e6];
    const ray: Segment = { a: end, b: far, owners: first.owners };
    for (const o of [...segments, ...bboxEdges(bbox)]) {
      if (posKey(o.a) === key || posKey(o.b) === key) continue;
      const c = crossing(ray, o);
      if (c && c.t > EPS && c.t < best) [best, hit] = [c.t, c.p];
    }
    if (hit) added.push({ a: end, b: hit, owners: first.owners });
  }
  return [...segments, ...added];
}

function bboxEdges([w, s, e, n]: BBox): Segment[] {
  const c: Position[] = [
    [w, s],
    [e, s],
    [e, n],
    [w, n],
    [w, s],
  ];
  return c.slice(1).map((b, i) => ({ a: c[i], b, owners: new Set<number>() }));
}

function ringKeys(ring: Position[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < ring.length; i++) out.push(segKey(ring[i - 1], ring[i]));
  return out;
}

/** Splits segments where they cross or one ends on another, so they meet only at their ends. */
function node(segments: Segment[]): Segment[] {
  const cuts = segments.map(() => [] as { t: number; p: Position }[]);
  const order = segments.map((_, i) => i).sort((i, j) => Math.min(segments[i].a[0], segments[i].b[0]) - Math.min(segments[j].a[0], segments[j].b[0]));
  for (let oi = 0; oi < order.length; oi++) {
    const i = order[oi];
    const s = segments[i];
    const maxX = Math.max(s.a[0], s.b[0]);
    for (let oj = oi + 1; oj < order.length; oj++) {
      const j = order[oj];
      const o = segments[j];
      if (Math.min(o.a[0], o.b[0]) > maxX + EPS) break;
      if (Math.min(o.a[1], o.b[1]) > Math.max(s.a[1], s.b[1]) + EPS || Math.min(s.a[1], s.b[1]) > Math.max(o.a[1], o.b[1]) + EPS) continue;
      const hit = crossing(s, o);
      if (!hit) continue;
      if (hit.t > EPS && hit.t < 1 - EPS) cuts[i].push({ t: hit.t, p: hit.p });
      if (hit.u > EPS && hit.u < 1 - EPS) cuts[j].push({ t: hit.u, p: hit.p });
    }
  }
  const out: Segment[] = [];
  segments.forEach((s, i) => {
    if (cuts[i].length === 0) return out.push(s);
    const points = [s.a, ...cuts[i].sort((x, y) => x.t - y.t).map((c) => c.p), s.b];
    for (let k = 1; k < points.length; k++) out.push({ a: points[k - 1], b: points[k], owners: s.owners });
  });
  return out;
}

/**
 * Where two segments meet: parameters along each (0–1) and the point — an end of one when it lies on
 * the other, so a T stays exactly on the vertex OSM shares. Parallel segments never cross here.
 */
function crossing(s: Segment, o: Segment): { t: number; u: number; p: Position } | null {
  const rx = s.b[0] - s.a[0];
  const ry = s.b[1] - s.a[1];
  const sx = o.b[0] - o.a[0];
  const sy = o.b[1] - o.a[1];
  const d = rx * sy - ry * sx;
  if (Math.abs(d) < 1e-20) return null;
  const qx = o.a[0] - s.a[0];
  const qy = o.a[1] - s.a[1];
  const t = (qx * sy - qy * sx) / d;
  const u = (qx * ry - qy * rx) / d;
  if (t < -EPS || t > 1 + EPS || u < -EPS || u > 1 + EPS) return null;
  const p = u <= EPS ? o.a : u >= 1 - EPS ? o.b : t <= EPS ? s.a : t >= 1 - EPS ? s.b : [s.a[0] + t * rx, s.a[1] + t * ry];
  return { t, u, p };
}

/** The bbox edge as segments, cut at every boundary point on it, counter-clockwise from the south-west corner. */
function bboxRing(bbox: BBox, points: Position[]): [Position, Position][] {
  const [w, s, e, n] = bbox;
  const along = ([x, y]: Position): number | null => {
    if (Math.abs(y - s) < EPS && x >= w - EPS && x <= e + EPS) return x - w;
    if (Math.abs(x - e) < EPS && y >= s - EPS && y <= n + EPS) return e - w + (y - s);
    if (Math.abs(y - n) < EPS && x >= w - EPS && x <= e + EPS) return e - w + (n - s) + (e - x);
    if (Math.abs(x - w) < EPS && y >= s - EPS && y <= n + EPS) return 2 * (e - w) + (n - s) + (n - y);
    return null;
  };
  const onEdge = new Map<string, { at: number; p: Position }>();
  for (const p of [[w, s], [e, s], [e, n], [w, n], ...points]) {
    const at = along(p);
    if (at !== null) onEdge.set(posKey(p), { at, p });
  }
  const sorted = [...onEdge.values()].sort((a, b) => a.at - b.at);
  return sorted.map((x, i) => [x.p, sorted[(i + 1) % sorted.length].p]);
}

/**
 * Which district holds each face (-1: none). A complete relation holds the faces inside it; a relation
 * cut open holds, of the two sides its present ways separate, the one its witnesses (label/admin_centre
 * or place nodes inside the city) and its neighbours leave it. Districts whose side can't be told are
 * left out and named in `skipped`.
 */
function assignFaces(tiles: readonly Candidate[], faces: readonly Face[], ownersOfKey: ReadonlyMap<string, Set<number>>, skipped: SkipLog): Int32Array {
  const facesOfKey = new Map<string, number[]>();
  faces.forEach((f, i) => {
    for (const k of f.keys) {
      const list = facesOfKey.get(k) ?? [];
      if (!list.includes(i)) list.push(i);
      facesOfKey.set(k, list);
    }
  });
  const neighbours: { face: number; key: string }[][] = faces.map(() => []);
  for (const [k, list] of facesOfKey) {
    if (list.length !== 2) continue;
    neighbours[list[0]].push({ face: list[1], key: k });
    neighbours[list[1]].push({ face: list[0], key: k });
  }

  const inside = (p: Position) => faces.findIndex((f) => booleanPointInPolygon(p, { type: 'Polygon', coordinates: f.rings }));
  const options: (Uint8Array | null)[][] = tiles.map((c, ci) => {
    const witnesses = c.labels.map(inside).filter((f) => f >= 0);
    if (c.polygon) {
      const g = c.polygon;
      return [Uint8Array.from(faces, (f) => (heldBy(f, g) ? 1 : 0)), null];
    }
    const side = parity(faces.length, neighbours, (k) => ownersOfKey.get(k)?.has(ci) ?? false);
    if (!side) {
      skipped.add('district boundary that does not close inside the city (ways of it missing inside the bbox): not used', c.ref);
      return [null];
    }
    const other = side.map((v) => 1 - v);
    // With no boundary crossing the city, it is all of it or none: all only when a witness says so.
    if (!side.includes(1) || !other.includes(1)) return witnesses.length ? [Uint8Array.from(faces, () => 1), null] : [null];
    return [side, other, null];
  });
  const witnessFaces = tiles.map((c) => c.labels.map(inside).filter((f) => f >= 0));
  const outside = tiles.map((c, i) => (witnessFaces[i].length ? [] : c.labels));

  const centroid = faces.map((f) => {
    const r = f.rings[0];
    return [r.reduce((s, p) => s + p[0], 0) / r.length, r.reduce((s, p) => s + p[1], 0) / r.length];
  });
  for (let round = 0; round < tiles.length; round++) {
    const best = solve(options, witnessFaces, faces.length);
    if (best.length === 0) break;
    // Among equally good choices, a label outside the city pulls its district to the side nearer it.
    const pull = (choice: number[]) =>
      choice.reduce((sum, o, ci) => {
        const held = options[ci][o];
        if (!held || outside[ci].length === 0) return sum;
        let d = Infinity;
        for (let f = 0; f < faces.length; f++)
          if (held[f]) for (const p of outside[ci]) d = Math.min(d, Math.hypot(p[0] - centroid[f][0], p[1] - centroid[f][1]));
        return sum + d;
      }, 0);
    const ranked = best.map((choice) => ({ choice, pull: pull(choice) })).sort((a, b) => a.pull - b.pull);
    const tied = ranked.filter((r) => r.pull - ranked[0].pull < 1e-12);
    const unsure = tiles.map((_, ci) => tied.some((r) => !sameFaces(options[ci][r.choice[ci]], options[ci][tied[0].choice[ci]], faces.length)));
    if (!unsure.includes(true)) {
      const owner = new Int32Array(faces.length).fill(-1);
      tied[0].choice.forEach((o, ci) => {
        const held = options[ci][o];
        if (!held) {
          if (options[ci].length > 1) skipped.add('district boundary not used: its side overlaps the districts around it', tiles[ci].ref);
          return;
        }
        for (let f = 0; f < faces.length; f++) if (held[f]) owner[f] = ci;
      });
      return owner;
    }
    unsure.forEach((u, ci) => {
      if (!u) return;
      skipped.add('district boundary whose side can not be told (no label, admin_centre or place node of it in the city): not used', tiles[ci].ref);
      options[ci] = [null];
    });
  }
  return new Int32Array(faces.length).fill(-1);
}

function sameFaces(a: Uint8Array | null, b: Uint8Array | null, n: number): boolean {
  for (let f = 0; f < n; f++) if ((a?.[f] ?? 0) !== (b?.[f] ?? 0)) return false;
  return true;
}

/** 1 for the faces on one side of a district's boundary, 0 on the other; null when they contradict (the boundary is open inside the city). */
function parity(n: number, neighbours: readonly { face: number; key: string }[][], crosses: (key: string) => boolean): Uint8Array | null {
  const side = new Uint8Array(n);
  const seen = new Uint8Array(n);
  for (let start = 0; start < n; start++) {
    if (seen[start]) continue;
    seen[start] = 1;
    const queue = [start];
    while (queue.length) {
      const f = queue.pop()!;
      for (const { face, key } of neighbours[f]) {
        const v = side[f] ^ (crosses(key) ? 1 : 0);
        if (seen[face]) {
          if (side[face] !== v) return null;
          continue;
        }
        seen[face] = 1;
        side[face] = v;
        queue.push(face);
      }
    }
  }
  return side;
}

/** True when most of the face lies inside the complete relation (faces are whole on one side of its ring). */
function heldBy(f: Face, g: Area): boolean {
  const shape = intersect(featureCollection([feature<Polygon>({ type: 'Polygon', coordinates: f.rings }), feature(g)]));
  return shape !== null && turfArea(shape) > 0.5 * f.areaM2;
}

/**
 * All choices of one option per district (an option: the faces it holds, or null: left out) that put no
 * face in two districts and are best by (witnesses contradicted, districts left out).
 */
function solve(options: (Uint8Array | null)[][], witnesses: number[][], n: number): number[][] {
  const owner = new Int32Array(n).fill(-1);
  const choice: number[] = [];
  let best = [Infinity, Infinity];
  let found: number[][] = [];
  const better = (a: number[], b: number[]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const walk = (ci: number, missed: number, dropped: number) => {
    const score = [missed, dropped];
    if (better(best, score)) return;
    if (ci === options.length) {
      if (better(score, best)) [best, found] = [score, []];
      if (found.length < MAX_SOLUTIONS) found.push(choice.slice());
      return;
    }
    options[ci].forEach((held, o) => {
      if (held && held.some((v, f) => v && owner[f] >= 0)) return;
      if (held) for (let f = 0; f < n; f++) if (held[f]) owner[f] = ci;
      choice.push(o);
      const miss = witnesses[ci].filter((f) => !held?.[f]).length;
      walk(ci + 1, missed + miss, dropped + (held || options[ci].length === 1 ? 0 : 1));
      choice.pop();
      if (held) for (let f = 0; f < n; f++) if (held[f]) owner[f] = -1;
    });
  };
  walk(0, 0, 0);
  return found;
}

/**
 * Faces no district holds go to the neighbour they share the longest boundary with (repeatedly, so a
 * run of them fills from its edge); one touching no district goes to the district of the nearest face.
 */
function fillUncovered(faces: readonly Face[], owner: Int32Array, tiles: readonly Candidate[], skipped: SkipLog): void {
  const byKey = new Map<string, number[]>();
  faces.forEach((f, i) => {
    for (const k of f.keys) byKey.set(k, [...(byKey.get(k) ?? []), i]);
  });
  const given = new Map<number, number>();
  for (let changed = true; changed;) {
    changed = false;
    faces.forEach((f, i) => {
      if (owner[i] >= 0) return;
      const shared = new Map<number, number>();
      for (const k of f.keys) {
        const other = byKey.get(k)!.find((j) => j !== i);
        if (other === undefined || owner[other] < 0) continue;
        const [a, b] = k.split('|').map((p) => p.split(',').map(Number));
        shared.set(owner[other], (shared.get(owner[other]) ?? 0) + Math.hypot(a[0] - b[0], a[1] - b[1]));
      }
      const best = [...shared].sort((x, y) => y[1] - x[1])[0];
      if (!best) return;
      owner[i] = best[0];
      given.set(best[0], (given.get(best[0]) ?? 0) + f.areaM2);
      changed = true;
    });
  }
  faces.forEach((f, i) => {
    if (owner[i] >= 0) return;
    const c = f.rings[0][0];
    let best = -1;
    let bestD = Infinity;
    faces.forEach((g, j) => {
      if (owner[j] < 0) return;
      const d = Math.hypot(g.rings[0][0][0] - c[0], g.rings[0][0][1] - c[1]);
      if (d < bestD) [bestD, best] = [d, owner[j]];
    });
    if (best >= 0) {
      owner[i] = best;
      given.set(best, (given.get(best) ?? 0) + f.areaM2);
    }
  });
  for (const [ci, m2] of given) {
    skipped.add(
      'part of the city inside no district boundary of the extract: given to the neighbouring district',
      `${tiles[ci].name} +${(m2 / 1e6).toFixed(2)} km²`,
    );
  }
}

/** Zones mapped apart from the level-6 districts (whole relations only) are cut out of the districts they lie in. */
function carveZones(out: { c: Candidate; geometry: Area }[], candidates: readonly Candidate[], bbox: BBox, skipped: SkipLog): void {
  for (const z of candidates) {
    if (z.use !== 'carve' || !z.polygon) continue;
    let shape: Area | null = clip(z.polygon, bbox);
    for (const d of out) {
      if (!shape) break;
      if (d.c.use === 'carve') shape = difference(featureCollection([feature(shape), feature(d.geometry)]))?.geometry ?? null;
    }
    if (!shape || turfArea(shape) < 1) {
      skipped.add('development zone outside the city (or inside another zone): not used', z.ref);
      continue;
    }
    for (let i = out.length - 1; i >= 0; i--) {
      const d = out[i];
      if (d.c.use === 'carve') continue;
      const rest = difference(featureCollection([feature(d.geometry), feature(shape)]))?.geometry ?? null;
      if (rest && turfArea(rest) >= 1) d.geometry = rest;
      else {
        skipped.add('district wholly inside a development zone: the zone takes its place', d.c.ref);
        out.splice(i, 1);
      }
    }
    out.push({ c: z, geometry: shape });
  }
}

function clip(g: Area, bbox: BBox): Area | null {
  const c = bboxClip(g, bbox).geometry as Area;
  const polys = (c.type === 'Polygon' ? [c.coordinates] : c.coordinates).filter((p) => p.length && p[0].length >= 4);
  if (polys.length === 0) return null;
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}
