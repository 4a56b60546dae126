import { z } from 'zod';
import { CategoryCode, DeadlineLimit } from './catalog';
import { BBoxParam, errorResponses, IsoTime, IsoTimeOrNull, listParam, timeParam } from './common';
import { featureOf, PointGeometry } from './geojson';
import { PlaceOrPointKind } from './layers';
import { PROBLEM_SOURCES, PROBLEM_STATUSES, STATUS_FILTERS } from './problem-status';
import { endpoints } from './endpoint';
import { READERS } from './roles';

export { PROBLEM_SOURCES, PROBLEM_STATUSES, STATUS_FILTERS, type StatusFilter } from './problem-status';
export { toProblemFilter, type ProblemFilter } from './problem-filter';

export const ProblemStatus = z.enum(PROBLEM_STATUSES);
export type ProblemStatus = z.infer<typeof ProblemStatus>;

export const LIMIT_DEFAULT = 5000;
export const LIMIT_MAX = 50_000;

/** Problem properties as a layers folder holds them (data/README.md). */
export const ProblemProps = z
  .object({
    id: z.string().min(1),
    category: z.string().min(1),
    description: z.string(),
    status: ProblemStatus,
    reportedAt: IsoTime,
    assignedAt: IsoTimeOrNull,
    deadline: IsoTimeOrNull,
    rectifiedAt: IsoTimeOrNull,
    closedAt: IsoTimeOrNull,
    subdistrictId: z.string().nullable(),
    unitId: z.string().nullable(),
    placeId: z.string().nullable(),
    recurrenceOf: z.string().nullable(),
    noticeNo: z.string().nullable(),
    source: z.enum(PROBLEM_SOURCES),
    reporter: z.string(),
  })
  .superRefine((p, ctx) => {
    // Overdue is derived from the deadline, so an assigned problem without one could never be overdue.
    if (p.status === 'assigned' && p.deadline === null) {
      ctx.addIssue({ code: 'custom', path: ['deadline'], message: 'an assigned problem needs a deadline' });
    }
  });
export type ProblemProps = z.infer<typeof ProblemProps>;

/** One line of problems.ndjson. */
export const ProblemLine = featureOf(PointGeometry, ProblemProps);

/** Problem properties as the API returns them. */
export const ProblemOutProps = ProblemProps.safeExtend({
  overdue: z.boolean().meta({ description: 'assigned and past its deadline now' }),
});
export type ProblemOutProps = z.infer<typeof ProblemOutProps>;

export const ProblemFeature = z
  .object({
    type: z.literal('Feature'),
    id: z.string(),
    geometry: PointGeometry,
    properties: ProblemOutProps,
  })
  .meta({ id: 'ProblemFeature' });
export type ProblemFeature = z.infer<typeof ProblemFeature>;

/** `GET /api/problems` response: newest first (reportedAt desc, id desc), one page. */
export const ProblemCollection = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(ProblemFeature),
    nextCursor: z.string().nullable().meta({ description: 'pass as `cursor` for the next page; null on the last page' }),
  })
  .meta({ id: 'ProblemCollection' });
export type ProblemCollection = z.infer<typeof ProblemCollection>;

/** `GET /api/problems/:id` response. */
export const ProblemDetail = z
  .object({
    type: z.literal('Feature'),
    id: z.string(),
    geometry: PointGeometry,
    properties: ProblemOutProps.safeExtend({
      categoryName: z.object({ zh: z.string(), en: z.string() }),
      limit: DeadlineLimit.nullable().meta({ description: 'the category’s 处置时限 (null: the category is not in the catalog)' }),
      codes: z.array(CategoryCode).meta({ description: 'the category’s 数字城管 codes, each with its standard' }),
      subdistrictName: z.string().nullable(),
      unitName: z.string().nullable(),
      place: z.object({ id: z.string(), kind: PlaceOrPointKind, name: z.string() }).nullable(),
    }),
  })
  .meta({ id: 'ProblemDetail' });
export type ProblemDetail = z.infer<typeof ProblemDetail>;

/** A keyset position in the (reportedAt desc, id desc) order. */
export interface ProblemCursor {
  reportedMs: number;
  id: string;
}

/** Encodes a cursor as an opaque URL-safe string. */
export function encodeCursor(c: ProblemCursor): string {
  const text = `${c.reportedMs}|${c.id}`;
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** Decodes a cursor made by `encodeCursor`; null when it is not one. */
export function decodeCursor(s: string): ProblemCursor | null {
  if (!/^[A-Za-z0-9_-]+$/.test(s)) return null;
  let text: string;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    text = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0)));
  } catch (err) {
    // atob and the fatal decoder throw on malformed input, which is exactly "not our cursor".
    if (err instanceof Error) return null;
    throw err;
  }
  const bar = text.indexOf('|');
  if (bar < 1) return null;
  const reportedMs = Number(text.slice(0, bar));
  const id = text.slice(bar + 1);
  if (!Number.isSafeInteger(reportedMs) || id === '') return null;
  return { reportedMs, id };
}

const filterShape = {
  from: timeParam('start', 'reported at or after: a date (a day in city time, +08:00) or an ISO time', '2026-01-01').optional(),
  to: timeParam('end', 'reported at or before: a date (the whole day is included) or an ISO time', '2026-03-31').optional(),
  category: listParam('category ids, comma-separated', 'occupy-road,exposed-garbage').optional(),
  status: listParam('reported, assigned, rectified, closed, overdue (assigned past deadline); comma-separated', 'assigned,overdue')
    .pipe(z.array(z.enum(STATUS_FILTERS, { error: () => `status must be among ${STATUS_FILTERS.join(', ')}` })))
    .optional(),
  district: listParam('district (区/县) ids, comma-separated: problems in their subdistricts', 'dt01').optional(),
  subdistrict: listParam('subdistrict ids, comma-separated', 'sd01').optional(),
  unit: listParam('unit ids, comma-separated', 'u01').optional(),
  grid: listParam('网格 ids, comma-separated (GET /api/grids): problems inside their outlines', 'grid-1a2b3c4d').optional(),
};

function checkRange(q: { from?: number; to?: number }, ctx: z.RefinementCtx) {
  if (q.from !== undefined && q.to !== undefined && q.from > q.to) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must not be after to' });
  }
}

/** `limit` query parameter: 1…50000, default 5000. */
const LimitParam = z
  .string()
  .regex(/^\d+$/, 'limit must be a whole number')
  .transform(Number)
  .pipe(z.number().int().min(1, 'limit must be at least 1').max(LIMIT_MAX, `limit must be at most ${LIMIT_MAX}; page through more with cursor`))
  .meta({ description: `page size, default ${LIMIT_DEFAULT}, at most ${LIMIT_MAX}`, example: '5000' });

const CursorParam = z
  .string()
  .transform((s, ctx): ProblemCursor => {
    const c = decodeCursor(s);
    if (!c) {
      ctx.addIssue({ code: 'custom', message: 'cursor is not one this server gave out; leave it out to start from the first page' });
      return z.NEVER;
    }
    return c;
  })
  .meta({ description: 'nextCursor of the previous page' });

/** `GET /api/problems` query. */
export const ProblemQuery = z
  .object({ bbox: BBoxParam.optional(), ...filterShape, limit: LimitParam.optional(), cursor: CursorParam.optional() })
  .superRefine(checkRange);
export type ProblemQuery = z.output<typeof ProblemQuery>;

/** `GET /tiles/problems/{z}/{x}/{y}.pbf` query: the same filters, no bbox or paging. */
export const ProblemTileQuery = z.object(filterShape).superRefine(checkRange);
export type ProblemTileQuery = z.output<typeof ProblemTileQuery>;

export const ProblemParams = z.object({ id: z.string().min(1).meta({ description: 'problem id, e.g. p000123' }) });

/** Reading problems (the workflow's endpoints on them are in problem-workflow.ts). */
export const PROBLEMS_API = endpoints({
  'GET /api/problems': {
    tag: 'problems',
    summary: 'Problems matching the filters, newest first, one page at a time',
    description:
      'Ordered by reportedAt desc, id desc. Pass nextCursor back as cursor for the next page; the pages ' +
      'together hold every matching problem exactly once.',
    access: READERS,
    query: ProblemQuery,
    responses: {
      200: { description: 'A page of problems (GeoJSON FeatureCollection plus nextCursor)', schema: ProblemCollection },
      ...errorResponses(400),
    },
  },
  'GET /api/problems/:id': {
    tag: 'problems',
    summary: 'One problem with category, subdistrict, unit and place names',
    access: READERS,
    params: ProblemParams,
    responses: { 200: { description: 'The problem', schema: ProblemDetail }, ...errorResponses(404) },
  },
});
