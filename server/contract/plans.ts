import { z } from 'zod';
import { errorResponses, LngLatSchema } from './common';
import { LineStringGeometry } from './geojson';
import { ProfileSchema } from './routing';
import { CheckItem } from './catalog';
import { endpoints } from './endpoint';
import { PLANNERS, type Role } from './roles';

/**
 * The route planner's requests and answers (`/api/plans`). A plan's clock is the city's wall clock on
 * the plan's date: `HH:MM` in requests, ISO times with +08:00 in answers.
 */

/** Most stops one plan may hold (the solver's range). */
export const PLAN_MAX_STOPS = 500;
/** Most teams one plan may have. */
export const PLAN_MAX_TEAMS = 20;
/** Most vertices a drawn selection polygon may have. */
export const POLYGON_MAX_VERTICES = 1000;

/** The kinds of stop every city has: the three place kinds with layers of their own, and a problem (its point). */
export const STOP_KINDS = ['market', 'community', 'back-street', 'problem'] as const;
/** What a stop is: one of STOP_KINDS, or a point type id of the assessment catalog (bus-stop, main-road …). */
export const StopKind = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/)
  .meta({ description: 'market, community, back-street, problem, or a point type id of the assessment catalog (bus-stop, main-road …)' });
export type StopKind = z.infer<typeof StopKind>;

/** A place kind or catalog point type id, as a selection names it. */
const PointKindName = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a kind is market, community, back-street or a point type id of the catalog, e.g. bus-stop');

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date `YYYY-MM-DD` that exists. */
export const PlanDate = z
  .string()
  .refine((s) => DATE_RE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s, {
    message: 'must be a date like 2026-03-20',
  })
  .meta({ description: 'the day of the inspection, YYYY-MM-DD (city time)', example: '2026-03-20' });

/** Wall-clock time `HH:MM` (24 h) on the plan's date. */
export const ClockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day like 08:30 (24-hour HH:MM)')
  .meta({ example: '08:30' });

export const TimeWindowInput = z
  .object({ start: ClockTime, end: ClockTime })
  .refine((w) => w.start < w.end, { message: 'a window must end after it starts (e.g. 06:00 to 09:00)' })
  .meta({ description: 'service must start between start and end' });
export type TimeWindowInput = z.infer<typeof TimeWindowInput>;

const Seconds = (max: number) => z.number().int().min(0).max(max);

const SpotLabel = z.string().trim().max(80).nullable().optional();

export const TeamInput = z
  .object({
    name: z.string().trim().min(1, 'give the team a name').max(40),
    start: LngLatSchema.meta({ description: 'where the team sets off, [lng, lat]' }),
    end: LngLatSchema.nullable().optional().meta({ description: 'where the day ends; absent or null = the route ends at its last stop' }),
    startName: SpotLabel.meta({
      description: 'what the start is called (创文办, a unit office, a market); absent, it is named by what is there (GET /api/places/spot-name)',
    }),
    endName: SpotLabel.meta({ description: 'what the end is called; as startName' }),
    shiftStart: ClockTime.default('08:30'),
    budgetS: z.number().int().min(1).max(86_400).meta({ description: 'longest route duration, seconds (from shiftStart to arrival at the end)' }),
    skills: z.array(z.string().min(1).max(40)).max(20).optional(),
  })
  .meta({ id: 'PlanTeamInput' });
export type TeamInput = z.infer<typeof TeamInput>;

export const PolygonInput = z
  .object({
    type: z.literal('Polygon'),
    coordinates: z.array(z.array(LngLatSchema).min(4, 'a polygon ring needs at least 4 positions (first = last)')).min(1).max(1, 'draw one ring without holes'),
  })
  .meta({ description: `a GeoJSON Polygon, one ring, at most ${POLYGON_MAX_VERTICES} vertices, not self-intersecting` });
export type PolygonInput = z.infer<typeof PolygonInput>;

/**
 * How stops are picked. `ids` are always included. The pools (`kinds`, `openProblems`,
 * `recurringHotspots`, `lookBacks`, `longestUnvisited`; all places when only filters or `sample` are
 * given) are narrowed by `subdistricts` and `polygon`, then `sample` draws from them.
 */
export const StopSelection = z
  .object({
    ids: z.array(z.string().min(1)).max(PLAN_MAX_STOPS).optional().meta({ description: 'places (mk…, cm…, bs…) and problems (p…), always included' }),
    kinds: z
      .array(PointKindName)
      .optional()
      .meta({ description: 'every place of these kinds (market, community, back-street, or catalog point types: bus-stop …)' }),
    districts: z.array(z.string().min(1)).optional().meta({ description: 'keep only pool stops in these districts (区/县 ids)' }),
    subdistricts: z.array(z.string().min(1)).optional().meta({ description: 'keep only pool stops in these subdistricts' }),
    polygon: PolygonInput.optional().meta({ description: 'keep only pool stops inside this drawn polygon' }),
    grids: z.array(z.string().min(1).max(100)).max(200).optional().meta({ description: 'keep only pool stops inside these 网格 (GET /api/grids ids)' }),
    openProblems: z
      .union([z.boolean(), z.literal('overdue')])
      .optional()
      .meta({ description: 'true: every problem not closed (reported, assigned, rectified → look-back); "overdue": only assigned past the deadline' }),
    recurringHotspots: z.number().int().min(1).max(PLAN_MAX_STOPS).optional().meta({ description: 'the N places whose problems came back most often' }),
    lookBacks: z.boolean().optional().meta({ description: 'every rectified problem waiting for its look-back (复查), longest waiting first' }),
    longestUnvisited: z.number().int().min(1).max(PLAN_MAX_STOPS).optional().meta({
      description:
        'the N places (of `kinds`, or all; in the area) whose latest check result is oldest, never-checked first, taking the kinds in turn so each is covered',
    }),
    sample: z
      .object({ n: z.number().int().min(1).max(PLAN_MAX_STOPS), seed: z.number().int().optional() })
      .optional()
      .meta({ description: 'draw N stops at random from the pool, stratified by kind and subdistrict (暗访); the same seed gives the same sample' }),
  })
  .meta({ id: 'StopSelection' });
export type StopSelection = z.infer<typeof StopSelection>;

export const DwellInput = z
  .object({ market: Seconds(14_400), community: Seconds(14_400), problem: Seconds(14_400) })
  .partial()
  .meta({
    description: 'seconds spent at a stop of each kind (defaults: market 900, community 1200, problem 300); a back street takes its length at 4.5 km/h',
  });
export type DwellInput = z.infer<typeof DwellInput>;

export const WindowsInput = z
  .object({
    market: z.array(TimeWindowInput).max(4),
    community: z.array(TimeWindowInput).max(4),
    'back-street': z.array(TimeWindowInput).max(4),
    problem: z.array(TimeWindowInput).max(4),
  })
  .partial()
  .meta({ description: 'time windows per stop kind, e.g. markets while busy: { "market": [{ "start": "06:00", "end": "09:00" }] }' });
export type WindowsInput = z.infer<typeof WindowsInput>;

export const PlanRequest = z
  .object({
    name: z.string().trim().max(80).optional(),
    date: PlanDate,
    profile: ProfileSchema.default('walk'),
    teams: z.array(TeamInput).min(1, 'give at least one team').max(PLAN_MAX_TEAMS, `at most ${PLAN_MAX_TEAMS} teams`),
    stops: StopSelection,
    dwell: DwellInput.optional(),
    windows: WindowsInput.optional(),
    stopWindows: z.record(z.string().min(1), z.array(TimeWindowInput).max(4)).optional().meta({
      description:
        'time windows of single stops by id, over the per-kind ones (e.g. a school gate: { "p000123": [{ "start": "16:15", "end": "16:45" }] }); ids not selected are ignored',
    }),
    balance: z
      .boolean()
      .optional()
      .meta({ description: 'also keep the longest working day short (travel, dwell and waiting): teams finish at about the same time' }),
    seed: z.number().int().optional().meta({ description: 'solver seed (default 1): the same request and seed give the same plan' }),
    timeLimitMs: z.number().int().min(50).max(30_000).optional().meta({ description: 'solver time limit, ms (default: by size, at most 1500)' }),
  })
  .meta({ id: 'PlanRequest' });
export type PlanRequest = z.infer<typeof PlanRequest>;

export const DropReasonCode = z.enum([
  'no-skilled-team',
  'window-unreachable',
  'over-budget',
  'over-capacity',
  'lower-priority',
  'lock-conflict',
  'unsnappable',
  'unreachable',
  'removed',
]);
export type DropReasonCode = z.infer<typeof DropReasonCode>;

const Text = z.object({ zh: z.string(), en: z.string() });

/** A stop as the plan keeps it (enough to re-time and re-optimise without the store). */
export const PlanStopBase = z.object({
  id: z.string(),
  kind: StopKind,
  name: z.string(),
  address: z.string().nullable(),
  subdistrictId: z.string().nullable(),
  subdistrictName: z.string().nullable(),
  unitName: z.string().nullable(),
  category: z.string().nullable().meta({ description: 'problems only: category id' }),
  lngLat: LngLatSchema.meta({ description: 'where the team goes (market point, community entrance, problem point, back street first end)' }),
  otherEnd: LngLatSchema.nullable().meta({ description: 'back streets: the other end' }),
  line: z.array(LngLatSchema).nullable().meta({ description: 'back streets: the street as walked from lngLat to otherEnd' }),
  dwellS: z.number().int().meta({ description: 'dwell, or walking time for a back street, seconds' }),
  priority: z.number().int().positive(),
  windows: z.array(TimeWindowInput),
});
export type PlanStopBase = z.infer<typeof PlanStopBase>;

export const PlannedStopOut = PlanStopBase.extend({
  seq: z.number().int().meta({ description: '1-based position in the team route' }),
  locked: z.boolean(),
  reversed: z.boolean().meta({ description: 'back streets: walked from otherEnd to lngLat' }),
  arrival: z.string(),
  start: z.string().meta({ description: 'service start (after waiting for a window to open)' }),
  departure: z.string(),
  travelS: z.number().int().meta({ description: 'from the previous stop (or the team start)' }),
  travelM: z.number(),
  waitS: z.number().int(),
  lateS: z.number().int().meta({ description: 'seconds past the end of its last window (0 = on time)' }),
  missingSkills: z.array(z.string()),
}).meta({ id: 'PlannedStop' });
export type PlannedStopOut = z.infer<typeof PlannedStopOut>;

export const PlannedTeam = z
  .object({
    index: z.number().int(),
    name: z.string(),
    color: z.string(),
    start: LngLatSchema,
    end: LngLatSchema.nullable(),
    startName: z.string().nullable().optional().meta({ description: 'what the start is called; null when nothing named is near it' }),
    endName: z.string().nullable().optional(),
    shiftStart: ClockTime,
    budgetS: z.number().int(),
    skills: z.array(z.string()),
    stops: z.array(PlannedStopOut),
    travelS: z.number().int(),
    travelM: z.number(),
    dwellS: z.number().int(),
    durationS: z.number().int().meta({ description: 'from shiftStart to arrival at the end' }),
    startAt: z.string(),
    endAt: z.string(),
    overBudgetS: z.number().int(),
    geometry: LineStringGeometry.nullable().meta({ description: 'the route along the streets, null for a team without stops' }),
  })
  .meta({ id: 'PlannedTeam' });
export type PlannedTeam = z.infer<typeof PlannedTeam>;

export const DroppedStop = PlanStopBase.extend({ reason: DropReasonCode, reasonText: Text }).meta({ id: 'DroppedStop' });
export type DroppedStop = z.infer<typeof DroppedStop>;

export const PlanOptions = z.object({
  dwell: DwellInput,
  windows: WindowsInput,
  balance: z.boolean(),
  seed: z.number().int(),
  timeLimitMs: z.number().int().nullable(),
  selection: StopSelection,
});

export const Plan = z
  .object({
    id: z.string(),
    name: z.string(),
    date: PlanDate,
    profile: ProfileSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
    teams: z.array(PlannedTeam),
    dropped: z.array(DroppedStop),
    totals: z.object({
      stops: z.number().int(),
      served: z.number().int(),
      dropped: z.number().int(),
      travelS: z.number().int(),
      travelM: z.number(),
      dwellS: z.number().int(),
      longestS: z.number().int(),
      violations: z.number().int().meta({ description: 'stops late for their window, stops lacking skills and teams over budget' }),
    }),
    timing: z.object({
      matrixMs: z.number(),
      solveMs: z.number().meta({ description: '0 when only re-timed' }),
      geometryMs: z.number(),
      totalMs: z.number(),
      iterations: z.number().int(),
    }),
    options: PlanOptions,
    mayChange: z
      .boolean()
      .optional()
      .meta({ description: 'whether the caller may edit, re-optimise and delete this plan (PLAN_OWNER_RULE); set in every answer of /api/plans' }),
  })
  .meta({ id: 'Plan' });
export type Plan = z.infer<typeof Plan>;

export const PlanSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    date: PlanDate,
    profile: ProfileSchema,
    teams: z.number().int(),
    served: z.number().int(),
    dropped: z.number().int(),
    updatedAt: z.string(),
    mayChange: z.boolean().meta({ description: 'whether the caller may edit, re-optimise and delete this plan (PLAN_OWNER_RULE)' }),
  })
  .meta({ id: 'PlanSummary' });
export type PlanSummary = z.infer<typeof PlanSummary>;

export const PlanListQuery = z.object({ date: PlanDate.optional() });
export const PlanList = z.object({ plans: z.array(PlanSummary) });

export const PlanParams = z.object({
  id: z.string().min(1).meta({ description: 'plan id; append .gpx or .geojson to GET an export' }),
});

/** An edited plan: teams with their stops in the order wanted; stops left out are dropped ("removed"). */
export const PlanEdit = z
  .object({
    name: z.string().trim().max(80).optional(),
    teams: z
      .array(
        TeamInput.extend({
          stops: z.array(z.object({ id: z.string().min(1), locked: z.boolean().optional(), reversed: z.boolean().optional() })).max(PLAN_MAX_STOPS),
        }),
      )
      .min(1, 'give at least one team')
      .max(PLAN_MAX_TEAMS),
  })
  .meta({ id: 'PlanEdit' });
export type PlanEdit = z.infer<typeof PlanEdit>;

export const OptimiseBody = z
  .object({
    seed: z.number().int().optional(),
    timeLimitMs: z.number().int().min(50).max(30_000).optional(),
  })
  .meta({ id: 'OptimiseBody' });

/** `GET /api/plans/:id/sheet` response: what the task sheet (巡查任务单) prints. */
export const PlanSheet = z
  .object({
    plan: Plan,
    checkItems: z.record(z.string(), z.array(CheckItem)).meta({ description: 'check items per stop kind (market, community, back-street, problem)' }),
  })
  .meta({ id: 'PlanSheet' });
export type PlanSheet = z.infer<typeof PlanSheet>;

/** Who may change any plan; everyone else who plans changes only the plans they made. */
export const PLAN_CHANGERS = ['admin', 'leader'] as const satisfies readonly Role[];
/** Who may change whose plan, as the change routes' descriptions say it. */
export const PLAN_OWNER_RULE =
  'A plan is changed (edited, re-optimised, deleted) by its author, a leader or an administrator: another inspector may read and export it, and gets 403 on a change. A plan saved before plans had owners is changed by leaders and administrators only.';

/**
 * Plan, list, read, export, edit, re-optimise, delete. A request names stops and teams (a drawn polygon
 * at most 1,000 vertices); an edited plan comes back whole, route geometry included.
 */
export const PLANS_API = endpoints({
  'POST /api/plans': {
    tag: 'plans',
    summary: 'Plan the inspection routes for a day and save the plan',
    description:
      'Selects the stops (ids, kinds, subdistricts, a drawn polygon, open problems, recurring hotspots, a seeded 暗访 sample), builds one travel-time matrix, solves the multi-team routing problem and returns per team the ordered stops with times, the route along the streets and totals, and the dropped stops with reasons (zh + en). Stops that cannot be served (budgets, windows, off the network) are dropped, not refused. 400 for bad fields or unknown ids, 422 for a selection that picks nothing or more than 500 stops or a team point off the road network.',
    access: PLANNERS,
    bodyLimit: 256 * 1024,
    body: PlanRequest,
    responses: { 201: { description: 'The saved plan', schema: Plan }, ...errorResponses(400, 422, 503) },
  },
  'GET /api/plans': {
    tag: 'plans',
    summary: 'Saved plans, newest first; with date, only that day',
    access: PLANNERS,
    query: PlanListQuery,
    responses: { 200: { description: 'Plan summaries', schema: PlanList }, ...errorResponses(400) },
  },
  'GET /api/plans/:id': {
    tag: 'plans',
    summary: 'One saved plan, or its export',
    description:
      'With a suffix the same path exports the plan: `{id}.gpx` → GPX 1.1 (application/gpx+xml: a track per team along its route, a waypoint per stop) for phone navigation apps; `{id}.geojson` → a GeoJSON FeatureCollection (application/geo+json: routes, numbered stops, dropped stops).',
    access: PLANNERS,
    params: PlanParams,
    responses: { 200: { description: 'The plan', schema: Plan }, ...errorResponses(404) },
  },
  'GET /api/plans/:id/sheet': {
    tag: 'plans',
    summary: 'The task sheet (巡查任务单) data: the plan and the check items per stop kind',
    access: PLANNERS,
    params: PlanParams,
    responses: { 200: { description: 'Plan and check items', schema: PlanSheet }, ...errorResponses(404) },
  },
  'PUT /api/plans/:id': {
    tag: 'plans',
    summary: 'Save an edited plan, re-timed as given (violations shown, not refused)',
    description:
      'Teams (their start, end, shift and budget may change) with their stops in the order wanted and lock flags. The routes are re-timed without re-optimising: stops late for their window, missing skills and teams over budget are reported. Stops left out of every team are dropped as "removed". 400 for a stop the plan does not hold or one given twice. ' +
      PLAN_OWNER_RULE,
    access: PLANNERS,
    bodyLimit: 8 * 1024 * 1024,
    params: PlanParams,
    body: PlanEdit,
    responses: { 200: { description: 'The re-timed plan', schema: Plan }, ...errorResponses(400, 403, 404, 422, 503) },
  },
  'POST /api/plans/:id/optimise': {
    tag: 'plans',
    summary: 'Re-optimise a saved plan around its locked stops',
    description: `Locked stops stay with their team in their order; the rest (dropped stops included) are planned again from the current routes. ${PLAN_OWNER_RULE}`,
    access: PLANNERS,
    bodyLimit: 8 * 1024 * 1024,
    params: PlanParams,
    body: OptimiseBody,
    responses: { 200: { description: 'The re-optimised plan', schema: Plan }, ...errorResponses(400, 403, 404, 422, 503) },
  },
  'DELETE /api/plans/:id': {
    tag: 'plans',
    summary: 'Delete a saved plan',
    description: PLAN_OWNER_RULE,
    access: PLANNERS,
    params: PlanParams,
    responses: { 204: { description: 'Deleted' }, ...errorResponses(403, 404) },
  },
});
