/**
 * Response types of the HTTP API, taken from the server's zod schemas (type-only imports: no zod
 * code enters the bundle, and a changed response shape fails the client's type check).
 */
export type {
  Category,
  Meta,
  PlaceDetail,
  PlaceKind,
  ProblemDetail,
  ProblemStatus,
  RouteFeature,
} from '../../../server/schemas';

export type { Profile } from '../../../server/graph/profiles';

export type { BBox, LngLat } from '../../../server/geo/bbox';

/** Totals of the problems matching a filter (same meaning as a place's `problemCounts`). */
export interface ProblemCount {
  total: number;
  /** Not closed: reported, assigned or rectified. */
  open: number;
  overdue: number;
}
