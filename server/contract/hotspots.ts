import { z } from 'zod';
import { errorResponses, LngLatSchema } from './common';
import { PointGeometry, PolygonGeometry } from './geojson';
import { ProblemTileQuery } from './problems';
import { endpoints } from './endpoint';
import { HOTSPOT_CLASS_NAMES } from './hotspot-classes';
import { ANALYSTS } from './roles';
import { POINTS_REVISION_HEADER, POINTS_REVISION_PATTERN } from './points-bin';

export { HOTSPOT_CLASS_NAMES };

/** H3 resolutions `/api/hotspots` offers: 7 (about 5 km² a cell) … 10 (about 0.015 km²). */
export const H3_RES_MIN = 7;
export const H3_RES_MAX = 10;
export const H3_RES_DEFAULT = 9;
export const RECURRING_LIMIT_DEFAULT = 100;
export const RECURRING_LIMIT_MAX = 1000;

export const HotspotClassName = z.enum(HOTSPOT_CLASS_NAMES);
export type HotspotClassName = z.infer<typeof HotspotClassName>;

const intParam = (name: string, min: number, max: number, description: string, example: string) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`))
    .meta({ description, example });

/** `GET /api/hotspots` query: the map's filters plus the H3 resolution. */
export const HotspotQuery = ProblemTileQuery.safeExtend({
  res: intParam('res', H3_RES_MIN, H3_RES_MAX, `H3 resolution ${H3_RES_MIN}–${H3_RES_MAX}, default ${H3_RES_DEFAULT} (cells about 0.1 km²)`, '9').optional(),
});
export type HotspotQuery = z.output<typeof HotspotQuery>;

export const HotspotCellParams = z.object({
  cell: z
    .string()
    .regex(/^[0-9a-f]{15}$/, 'cell must be an H3 cell index such as 8930e1d8a6bffff')
    .meta({ description: 'H3 cell index' }),
});

/** `GET /api/hotspots/points.delta` query: the points revision the caller's buffer is at. */
export const PointsDeltaQuery = z.object({
  since: z
    .string()
    .regex(POINTS_REVISION_PATTERN, `since must be a points revision, as the ${POINTS_REVISION_HEADER} header of points.bin or a delta's dictionary gives it`)
    .meta({
      description: `the points revision of the caller's buffer (the ${POINTS_REVISION_HEADER} header of points.bin, or the last delta's revision)`,
      example: 'k3x9a1.12',
    }),
});
export type PointsDeltaQuery = z.output<typeof PointsDeltaQuery>;

/** `GET /api/recurring` query: the map's filters plus the site radius, the minimum recurrences and a limit. */
export const RecurringQuery = ProblemTileQuery.safeExtend({
  radius: intParam('radius', 5, 200, 'metres within which same-category reports are one site, default 30', '30').optional(),
  minRecurrences: intParam('minRecurrences', 1, 1000, 'keep sites that came back at least this often, default 1', '2').optional(),
  limit: intParam('limit', 1, RECURRING_LIMIT_MAX, `most sites to return (most recurrences first), default ${RECURRING_LIMIT_DEFAULT}`, '20').optional(),
});
export type RecurringQuery = z.output<typeof RecurringQuery>;

export const HotspotCellProps = z.object({
  h3: z.string(),
  count: z.number().int().meta({ description: 'problems in the cell in the period' }),
  z: z.number().meta({ description: 'Getis-Ord Gi* z-score of the cell’s count over the period (neighbours: the cell and its ring of 6)' }),
  p: z.number().meta({ description: 'two-sided p-value of z' }),
  significant: z.boolean().meta({ description: 'significant after Benjamini-Hochberg at 0.05 over all cells' }),
  class: HotspotClassName.meta({ description: 'emerging hot-spot class over the weeks of the period' }),
  hotWeeks: z.number().int(),
  coldWeeks: z.number().int(),
  trendZ: z.number().meta({ description: 'Mann-Kendall z of the weekly counts (positive: rising)' }),
  trendP: z.number(),
  center: LngLatSchema,
});
export type HotspotCellProps = z.infer<typeof HotspotCellProps>;

export const HotspotCollection = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.object({ type: z.literal('Feature'), id: z.string(), geometry: PolygonGeometry, properties: HotspotCellProps })),
    res: z.number().int(),
    weeks: z
      .object({
        from: z.string().meta({ description: 'first day of the first 7-day period, YYYY-MM-DD (city time)' }),
        to: z.string().meta({ description: 'last day of the last period: the last day of the window with a matching report' }),
        count: z.number().int().meta({ description: 'number of 7-day periods, counted back from `to`' }),
      })
      .nullable(),
  })
  .meta({ id: 'HotspotCollection' });
export type HotspotCollection = z.infer<typeof HotspotCollection>;

export const HotspotCellHistory = z
  .object({
    h3: z.string(),
    res: z.number().int(),
    class: HotspotClassName,
    weeks: z.array(
      z.object({
        start: z.string().meta({ description: 'first day of the 7-day period, YYYY-MM-DD' }),
        count: z.number().int(),
        z: z.number(),
        state: z.enum(['hot', 'cold', 'none']),
      }),
    ),
  })
  .meta({ id: 'HotspotCellHistory' });
export type HotspotCellHistory = z.infer<typeof HotspotCellHistory>;

export const RecurringSiteProps = z.object({
  id: z.string().meta({ description: '"rs-" + the id of the site’s first problem; stable while that problem exists' }),
  category: z.string(),
  reports: z.number().int(),
  recurrences: z.number().int().meta({ description: 'reports that came after every earlier report of the site was closed' }),
  recurrenceDates: z.array(z.string()).meta({ description: 'report day of each recurrence, YYYY-MM-DD, oldest first' }),
  meanReturnDays: z.number().meta({ description: 'mean days from the last close to the recurrence' }),
  firstReportedAt: z.string(),
  lastReportedAt: z.string(),
  unitId: z.string().nullable().meta({ description: 'the unit most of the site’s problems went to' }),
  subdistrictId: z.string().nullable(),
  placeId: z.string().nullable().meta({ description: 'the inspection point most of the site’s problems are linked to' }),
  latestProblemId: z.string(),
  open: z.number().int().meta({ description: 'problems of the site not closed yet' }),
});
export type RecurringSiteProps = z.infer<typeof RecurringSiteProps>;

export const RecurringCollection = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(z.object({ type: z.literal('Feature'), id: z.string(), geometry: PointGeometry, properties: RecurringSiteProps })),
    radiusM: z.number(),
    total: z.number().int().meta({ description: 'sites that match, before the limit' }),
  })
  .meta({ id: 'RecurringCollection' });
export type RecurringCollection = z.infer<typeof RecurringCollection>;

const FILTERS_NOTE =
  'Filters as /api/problems (from, to, category, status incl. overdue, subdistrict, unit). Answers are cached ' +
  'per query and recomputed when problems change.';

/** Hotspot statistics, the GPU's point columns and the recurring sites: city-wide analysis. */
export const HOTSPOTS_API = endpoints({
  'GET /api/hotspots': {
    tag: 'hotspots',
    summary: 'H3 cells with problem counts, Getis-Ord Gi* z and p, and the emerging hot-spot class',
    description:
      'Cells with at least one matching problem at resolution res. z/p: Gi* of each cell’s count over the period ' +
      '(neighbours: the cell and its ring), significant after Benjamini-Hochberg at 0.05. class: emerging hot-spot ' +
      'class from weekly Gi* over 7-day periods counted back from the last day with data (space-time neighbours: ring × ' +
      'this and the previous period; BH over all cell-periods) and a Mann-Kendall trend on the weekly z-scores; the rules ' +
      'are in server/analytics/emerging.ts. ' +
      FILTERS_NOTE,
    access: ANALYSTS,
    query: HotspotQuery,
    responses: {
      200: { description: 'GeoJSON FeatureCollection of cell polygons', schema: HotspotCollection },
      ...errorResponses(400),
    },
  },
  'GET /api/hotspots/cells/:cell': {
    tag: 'hotspots',
    summary: 'One cell’s weeks: count, Gi* z and state (hot, cold, none), under the same filters',
    access: ANALYSTS,
    params: HotspotCellParams,
    query: HotspotQuery,
    responses: {
      200: { description: 'The cell’s weekly history', schema: HotspotCellHistory },
      ...errorResponses(400, 404),
    },
  },
  'GET /api/hotspots/points.bin': {
    tag: 'hotspots',
    summary: 'Every problem as binary columns for the GPU (layout: server/routes/hotspots/points-bin.md)',
    description:
      'Magic "XCPB", version 1, a JSON dictionary, then float32 [lng, lat] pairs and uint16/uint8 columns: ' +
      'day, category, subdistrict, unit, lateDays, status (overdue = 4), recurrence. 20 bytes per problem.',
    access: ANALYSTS,
    responses: {
      200: {
        description: `points.bin version 1, with an ETag of the problems revision and the body's points revision in ${POINTS_REVISION_HEADER}`,
        contentType: 'application/octet-stream',
      },
      304: { description: 'Not modified: the If-None-Match tag is still current (no new report, transition or import since)' },
      ...errorResponses(401, 403),
    },
  },
  'GET /api/hotspots/points.delta': {
    tag: 'hotspots',
    summary: 'The rows of points.bin that changed since a points revision, with their slots (layout: points-bin.md, "Deltas")',
    description:
      'Magic "XCPD", version 1: the header and columns of points.bin for the changed rows only, then a uint32 slot a row ' +
      '(update the row at that slot, or append when it is the next one). The dictionary says the revision the delta brings the ' +
      'caller to, the names appended to the code lists, or reload: true when the caller must fetch points.bin whole (an ' +
      'import, a server restart, a revision too old, or most rows changed). 24 bytes a changed row.',
    access: ANALYSTS,
    query: PointsDeltaQuery,
    responses: {
      200: { description: 'a points delta version 1 (never cached)', contentType: 'application/octet-stream' },
      ...errorResponses(400, 401, 403),
    },
  },
  'GET /api/recurring': {
    tag: 'hotspots',
    summary: 'Recurring sites: same-category reports within radius metres that came back after being closed',
    description:
      'Sites are found by leader clustering in report order (a site is at most 2 × radius across). A recurrence is a ' +
      'report made when every earlier report of the site had been closed. Most recurrences first. ' +
      FILTERS_NOTE,
    access: ANALYSTS,
    query: RecurringQuery,
    responses: {
      200: { description: 'GeoJSON FeatureCollection of site points', schema: RecurringCollection },
      ...errorResponses(400),
    },
  },
});
