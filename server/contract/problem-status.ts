/** The problem's workflow states and origins as plain values (no zod), so a page can list them without the schemas. */

/** Where a problem is in the workflow; `overdue` is derived (assigned and past its deadline). */
export const PROBLEM_STATUSES = ['reported', 'assigned', 'rectified', 'closed'] as const;

/** Statuses a filter accepts: the stored four plus the derived `overdue`. */
export const STATUS_FILTERS = [...PROBLEM_STATUSES, 'overdue'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** Who reported a problem. */
export const PROBLEM_SOURCES = ['inspection', 'public', 'assessment', 'unannounced'] as const;
