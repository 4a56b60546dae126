/**
 * Response shapes of the HTTP API, as the shared contract describes them (common brief, "HTTP API").
 * NOTE: written against the contract while server/schemas did not exist yet; once the server exports
 * its zod-inferred types these should become type-only imports from there.
 */

export type LngLat = [lng: number, lat: number];
export type BBox = [west: number, south: number, east: number, north: number];

/** Workflow statuses stored on a problem; "overdue" is derived (assigned and past its deadline). */
export type ProblemStatus = 'reported' | 'assigned' | 'rectified' | 'closed';
export type PlaceKind = 'market' | 'community' | 'back-street';

export interface Category {
  id: string;
  zh: string;
  en: string;
  kinds: string[];
  deadlineDays: number;
  color: string;
}

export interface Meta {
  city: { name: string; nameEn: string; center: LngLat; bbox: BBox; source: string; attribution: string };
  counts: Record<string, number>;
  categories: Category[];
  statuses: ProblemStatus[];
  subdistricts: { id: string; name: string; code: string }[];
  units: { id: string; name: string; type: string; subdistrictId: string | null }[];
  problemTimeRange: { from: string; to: string } | null;
}

export interface ProblemProperties {
  id: string;
  category: string;
  description: string;
  status: ProblemStatus;
  reportedAt: string;
  assignedAt: string | null;
  deadline: string | null;
  rectifiedAt: string | null;
  closedAt: string | null;
  subdistrictId: string;
  unitId: string;
  placeId: string | null;
  recurrenceOf: string | null;
  noticeNo: string | null;
  source: string;
  reporter: string;
  overdue: boolean;
}

export interface ProblemDetailProperties extends ProblemProperties {
  categoryName: { zh: string; en: string };
  subdistrictName: string | null;
  unitName: string | null;
  place: { id: string; kind: PlaceKind; name: string } | null;
}

export interface PlaceDetailProperties {
  id: string;
  name: string;
  kind: PlaceKind;
  subdistrictId: string;
  unitId: string;
  address?: string | null;
  lengthM?: number;
  entrance?: LngLat;
  subdistrictName: string | null;
  unitName: string | null;
  problemCounts: { total: number; open: number; overdue: number };
}

export interface Feature<P, G extends GeoJSON.Geometry = GeoJSON.Geometry> {
  type: 'Feature';
  id?: string;
  geometry: G;
  properties: P;
}

export type ProblemDetail = Feature<ProblemDetailProperties, GeoJSON.Point>;
export type PlaceDetail = Feature<PlaceDetailProperties>;

/** Totals of the problems matching a filter. */
export interface ProblemCount {
  total: number;
  open: number;
  overdue: number;
}
