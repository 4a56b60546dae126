import { area, featureCollection, feature, intersect } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { coordsBBox } from './bbox';
import type { BBox } from '../contract/geo';

/** An area to check: a district or a subdistrict, as the import reads it. */
export interface Area {
  id: string;
  name: string;
  geometry: Polygon | MultiPolygon;
}

/**
 * What two districts may share without it being an overlap: a boundary drawn twice from two sources
 * (a district from OSM, its neighbour from a sheet's union of subdistricts) differs by a sliver.
 */
const OVERLAP_TOLERANCE_M2 = 1_000;
const OVERLAP_TOLERANCE_SHARE = 0.001;
/** A subdistrict may stick out of the districts this much (a shoreline, a boundary redrawn): 0.5 %. */
const OUTSIDE_TOLERANCE_SHARE = 0.005;

const bboxesMeet = (a: BBox, b: BBox) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

function overlapM2(a: Area, b: Area): number {
  const shape = intersect(featureCollection([feature(a.geometry), feature(b.geometry)]));
  return shape ? area(shape) : 0;
}

const km2 = (m2: number) => (m2 >= 100_000 ? `${(m2 / 1e6).toFixed(2)} km²` : `${Math.round(m2).toLocaleString('en')} m²`);
const pct = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`;

/**
 * Checks that districts tile the subdistricts and says which district holds each subdistrict (the one
 * holding most of its area). Problems are sentences naming the areas and how much, in the order found;
 * the caller refuses the whole import when there is any, so nothing is half applied.
 */
export function assignDistricts(districts: readonly Area[], subdistricts: readonly Area[]): { districtOf: Map<string, string>; problems: string[] } {
  const problems: string[] = [];
  const boxes = new Map(districts.map((d) => [d.id, coordsBBox(d.geometry.coordinates)!]));
  const areas = new Map(districts.map((d) => [d.id, area(d.geometry)]));
  for (let i = 0; i < districts.length; i++) {
    for (let j = i + 1; j < districts.length; j++) {
      const [a, b] = [districts[i], districts[j]];
      if (!bboxesMeet(boxes.get(a.id)!, boxes.get(b.id)!)) continue;
      const shared = overlapM2(a, b);
      const share = shared / Math.min(areas.get(a.id)!, areas.get(b.id)!);
      if (shared > OVERLAP_TOLERANCE_M2 && share > OVERLAP_TOLERANCE_SHARE) {
        problems.push(`districts ${a.name} (${a.id}) and ${b.name} (${b.id}) overlap by ${km2(shared)} (${pct(share)} of the smaller)`);
      }
    }
  }
  const districtOf = new Map<string, string>();
  for (const sd of subdistricts) {
    const box = coordsBBox(sd.geometry.coordinates)!;
    const whole = area(sd.geometry);
    let inside = 0;
    let best: { id: string; m2: number } | null = null;
    for (const d of districts) {
      if (!bboxesMeet(box, boxes.get(d.id)!)) continue;
      const m2 = overlapM2(sd, d);
      inside += m2;
      if (m2 > 0 && (!best || m2 > best.m2)) best = { id: d.id, m2 };
    }
    const outside = Math.max(0, whole - inside);
    if (whole > 0 && outside / whole > OUTSIDE_TOLERANCE_SHARE) {
      problems.push(
        best
          ? `subdistrict ${sd.name} (${sd.id}) lies ${pct(outside / whole)} (${km2(outside)}) outside every district`
          : `subdistrict ${sd.name} (${sd.id}) lies outside every district`,
      );
    }
    if (best) districtOf.set(sd.id, best.id);
  }
  return { districtOf, problems };
}
