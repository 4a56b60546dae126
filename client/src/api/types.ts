/**
 * Response types of the HTTP API, taken from the server's zod schemas (type-only imports: no zod
 * code enters the bundle, and a changed response shape fails the client's type check).
 */
export type { Category, Meta, PlaceDetail, PlaceKind, ProblemDetail, ProblemStatus, RouteFeature } from '../../../server/contract';

export type { Profile } from '../../../server/contract/profiles';
export type { Role, UserRole } from '../../../server/contract/roles';

/** Who is signed in (GET /api/auth/me). */
export type Me = import('zod').infer<typeof import('../../../server/contract/auth').MeResponse>;

export type { BBox, LngLat } from '../../../server/contract/geo';

/** Totals of the problems matching a filter (same meaning as a place's `problemCounts`). */
export interface ProblemCount {
  total: number;
  /** Not closed: reported, assigned or rectified. */
  open: number;
  overdue: number;
}
