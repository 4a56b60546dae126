/**
 * What a problem filter means, written once for every place that applies one: the store's SQL
 * (store/problems.ts `problemFilterSql`, also under the ledger), the tile and hotspot index
 * (services/problems/problem-index.ts) and the browser's points.bin mask (client/src/map/deck/points-bin.ts).
 * Pure and zod-free, so the client may import values from it.
 *
 * - **Statuses.** A problem passes when its stored status is listed, or when `overdue` is asked for and
 *   it is overdue (assigned and past its deadline now: `isOverdue`). So `assigned` includes the overdue
 *   ones and `overdue` alone keeps only them. No list: every status passes; an empty list without
 *   `overdue`: none does.
 * - **Time.** `fromMs` and `toMs` are inclusive bounds on the report time.
 * - **Lists** (categories, subdistricts, units): the problem's id is listed. A problem without a
 *   subdistrict or unit (null) passes no list. No list: everything passes.
 * - **bbox**: west ≤ lng ≤ east and south ≤ lat ≤ north.
 */
import type { BBox } from './geo';
import type { PROBLEM_STATUSES, StatusFilter } from './problem-status';

type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

/** A validated filter, as the store, the tile index and the hotspot analysis take it. */
export interface ProblemFilter {
  bbox?: BBox;
  fromMs?: number;
  toMs?: number;
  categories?: string[];
  /** Stored statuses to keep; undefined keeps every status (unless `overdue` narrows it). */
  statuses?: ProblemStatus[];
  /** Also keep assigned problems past their deadline (the `overdue` status filter). */
  overdue?: boolean;
  subdistricts?: string[];
  units?: string[];
}

/** A filter as a query or a page writes it: lists with the derived `overdue` among the statuses. */
export interface ProblemFilterQuery {
  bbox?: BBox;
  from?: number;
  to?: number;
  category?: readonly string[];
  status?: readonly StatusFilter[];
  subdistrict?: readonly string[];
  unit?: readonly string[];
}

const listOrAll = (list: readonly string[] | undefined) => (list?.length ? [...list] : undefined);

/** Turns a query's lists into the filter: an empty list filters nothing, `overdue` becomes its own flag. */
export function toProblemFilter(q: ProblemFilterQuery): ProblemFilter {
  const statuses = q.status?.filter((s): s is ProblemStatus => s !== 'overdue');
  return {
    bbox: q.bbox,
    fromMs: q.from,
    toMs: q.to,
    categories: listOrAll(q.category),
    statuses: q.status?.length ? statuses : undefined,
    overdue: q.status?.includes('overdue') ?? false,
    subdistricts: listOrAll(q.subdistrict),
    units: listOrAll(q.unit),
  };
}

/** Overdue: assigned, and its deadline is before `nowMs`. */
export function isOverdue(status: string, deadlineMs: number | null, nowMs: number): boolean {
  return status === 'assigned' && deadlineMs !== null && deadlineMs < nowMs;
}

/** Does a problem whose status reads `status` (a stored one, or `overdue` for an overdue one) pass? */
function statusPasses(f: Pick<ProblemFilter, 'statuses' | 'overdue'>, status: string): boolean {
  if (status === 'overdue') return (f.overdue ?? false) || (f.statuses?.includes('assigned') ?? false);
  return f.statuses?.includes(status as ProblemStatus) ?? false;
}

/**
 * The status filter as a mask over a status column's codes (`codes[c]` names code c: a stored status,
 * or `overdue` for the problems overdue now), for loops that only read arrays. Null: every status passes.
 */
export function statusMask(codes: readonly string[], f: Pick<ProblemFilter, 'statuses' | 'overdue'>): Uint8Array | null {
  if (!f.statuses && !f.overdue) return null;
  return Uint8Array.from(codes, (s) => (statusPasses(f, s) ? 1 : 0));
}

/** A list filter as a mask over a column's dictionary (`names[c]` names code c). Null: no list, all pass. */
export function listMask(names: readonly (string | null)[], wanted: readonly string[] | undefined): Uint8Array | null {
  if (!wanted) return null;
  const set = new Set(wanted);
  return Uint8Array.from(names, (name) => (name !== null && set.has(name) ? 1 : 0));
}
