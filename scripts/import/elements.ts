import type { LineString, MultiLineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { pointInRing } from '../../server/contract/geo';
import { districtRule } from './map-tags';
import type { OsmStore, Tags } from './osm-store';

/**
 * One OSM object with its geometry resolved: the common shape every reader (XML, PBF, GeoJSON)
 * produces and the tag mapping consumes. `ref` is how a message names it ("way 123").
 */
export interface OsmElement {
  ref: string;
  /** Short stable id: n123, w123, r123 (used in output ids). */
  key: string;
  tags: Tags;
  /**
   * A district relation cut open by the extract is its member ways that are present, as a MultiLineString
   * (build-districts.ts tells the sides apart); no other rule reads one.
   */
  geometry: Point | LineString | Polygon | MultiPolygon | MultiLineString;
  /** A boundary relation's `label` and `admin_centre` member nodes present in the file: points inside it. */
  labels?: Position[];
}

/** Skipped things by reason, with a few examples each, for the import report. */
export class SkipLog {
  readonly reasons = new Map<string, { count: number; examples: string[] }>();
  add(reason: string, example: string): void {
    const r = this.reasons.get(reason) ?? { count: 0, examples: [] };
    r.count++;
    if (r.examples.length < 5) r.examples.push(example);
    this.reasons.set(reason, r);
  }
  toJSON(): { reason: string; count: number; examples: string[] }[] {
    return [...this.reasons].map(([reason, r]) => ({ reason, ...r }));
  }
}

/** Tags that make a closed way an area rather than a line (highway closed ways stay lines unless area=yes). */
export function isAreaTags(tags: Tags): boolean {
  if (tags.area === 'yes') return true;
  if (tags.area === 'no') return false;
  return Boolean(
    tags.landuse ||
    tags.natural === 'water' ||
    tags.waterway === 'riverbank' ||
    tags.amenity ||
    tags.building ||
    tags.place ||
    tags.boundary ||
    tags.leisure ||
    tags.shop,
  );
}

/**
 * Turns the kept elements of an OsmStore into OsmElements: tagged nodes → Points, tagged ways → LineStrings
 * and/or Polygons, multipolygon/boundary relations → (Multi)Polygons assembled from their member ways.
 * Missing members (normal in a cut-out) leave rings open; open rings are dropped and logged, and a
 * relation with no closed outer ring is skipped.
 */
export function resolveElements(store: OsmStore, skipped: SkipLog): OsmElement[] {
  const out: OsmElement[] = [];
  for (const n of store.taggedNodes) {
    out.push({ ref: `node ${n.id}`, key: `n${n.id}`, tags: n.tags, geometry: { type: 'Point', coordinates: [n.lng, n.lat] } });
  }
  for (const w of store.taggedWays) {
    const { coords, missing, gaps } = store.wayCoords(w.row);
    const ref = `way ${w.id}`;
    const closed = coords.length >= 4 && missing === 0 && samePos(coords[0], coords[coords.length - 1]);
    const asArea = closed && isAreaTags(w.tags);
    const asLine = Boolean(w.tags.highway) && w.tags.area !== 'yes';
    if (w.tags.highway && !asLine) skipped.add('highway area (area=yes): a square, not a street', ref);
    if (asArea) out.push({ ref, key: `w${w.id}`, tags: w.tags, geometry: { type: 'Polygon', coordinates: [coords] } });
    else if (isAreaTags(w.tags) && !w.tags.highway && missing > 0) skipped.add('area way with nodes missing from the extract (cut off at its edge)', ref);
    if (asLine) {
      // Where nodes are missing (cut off by the extract) the line breaks instead of jumping across.
      const runs: [number, number][][] = [];
      let from = 0;
      for (const g of [...gaps, coords.length]) {
        if (g - from >= 2) runs.push(coords.slice(from, g));
        from = g;
      }
      if (runs.length === 0) skipped.add('way with fewer than 2 consecutive nodes present in the extract', ref);
      for (const run of runs) out.push({ ref, key: `w${w.id}`, tags: w.tags, geometry: { type: 'LineString', coordinates: run } });
    }
  }
  for (const r of store.relations) {
    const ref = `relation ${r.id}`;
    const outer: Position[][] = [];
    const inner: Position[][] = [];
    let missingWays = 0;
    for (const m of r.members) {
      if (m.type !== 'way') continue;
      const row = store.wayRow(m.ref);
      if (row < 0) {
        missingWays++;
        continue;
      }
      const { coords } = store.wayCoords(row);
      if (coords.length >= 2) (m.role === 'inner' ? inner : outer).push(coords);
    }
    const outerRings = joinRings(outer);
    const innerRings = joinRings(inner);
    const rule = districtRule(r.tags);
    const labels: Position[] = [];
    if (rule && 'use' in rule) {
      for (const m of r.members) {
        const at = m.type === 'node' && (m.role === 'label' || m.role === 'admin_centre') ? store.nodeCoord(m.ref) : null;
        if (at) labels.push(at);
      }
    }
    if (rule && 'skip' in rule && outerRings.closed.length === 0) skipped.add(rule.skip, ref);
    if (rule && 'use' in rule && (outerRings.closed.length === 0 || outerRings.open > 0 || innerRings.open > 0)) {
      // A district cut open by the extract still says where its boundary runs: its present ways, broken where nodes are missing.
      const lines: Position[][] = [];
      for (const m of r.members) {
        const row = m.type === 'way' ? store.wayRow(m.ref) : -1;
        if (row < 0) continue;
        const { coords, gaps } = store.wayCoords(row);
        let from = 0;
        for (const g of [...gaps, coords.length]) {
          if (g - from >= 2) lines.push(coords.slice(from, g));
          from = g;
        }
      }
      if (lines.length) out.push({ ref, key: `r${r.id}`, tags: r.tags, geometry: { type: 'MultiLineString', coordinates: lines }, labels });
      else skipped.add('district relation with none of its member ways in the extract', ref);
      continue;
    }
    if (outerRings.closed.length === 0) {
      skipped.add(
        missingWays > 0 || outerRings.open > 0 ? 'relation whose outer ring is incomplete (members missing from the extract)' : 'relation without outer ways',
        ref,
      );
      continue;
    }
    if (outerRings.open > 0) skipped.add('open ring dropped from a relation (members missing from the extract)', ref);
    const polygons: Position[][][] = outerRings.closed.map((ring) => [ring]);
    for (const hole of innerRings.closed) {
      const host = polygons.find((p) => pointInRing(hole[0][0], hole[0][1], p[0]));
      if (host) host.push(hole);
    }
    out.push({
      ref,
      key: `r${r.id}`,
      tags: r.tags,
      geometry: polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons },
      ...(labels.length ? { labels } : {}),
    });
  }
  return out;
}

function samePos(a: Position, b: Position): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** Joins way pieces end to end into closed rings (pieces may be reversed). */
export function joinRings(pieces: Position[][]): { closed: Position[][]; open: number } {
  const left = pieces.map((p) => p.slice());
  const closed: Position[][] = [];
  let open = 0;
  while (left.length) {
    let ring = left.pop()!;
    let grown = true;
    while (!samePos(ring[0], ring[ring.length - 1]) && grown) {
      grown = false;
      const end = ring[ring.length - 1];
      for (let i = 0; i < left.length; i++) {
        const p = left[i];
        if (samePos(p[0], end)) ring = ring.concat(p.slice(1));
        else if (samePos(p[p.length - 1], end)) ring = ring.concat(p.slice(0, -1).reverse());
        else continue;
        left.splice(i, 1);
        grown = true;
        break;
      }
    }
    if (ring.length >= 4 && samePos(ring[0], ring[ring.length - 1])) closed.push(ring);
    else open++;
  }
  return { closed, open };
}
