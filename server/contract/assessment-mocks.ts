import { z } from 'zod';
import { LossRow, ScoreRow } from './assessment';
import { errorResponses, LngLatSchema } from './common';
import { endpoints } from './endpoint';
import { ClockTime, PlanDate } from './plans';
import { ProfileSchema } from './routing';
import { ANALYSTS, PLANNERS } from './roles';

/**
 * 模拟测评 (mock assessment): points drawn per type the way the assessors draw them, routes planned for
 * the teams, walked on the field page with the catalog's items; when the last stop is checked the mock
 * scores itself, and each failed item not already reported becomes a problem for its unit.
 */

/** Most teams one mock may have (the planner's range is wider; a city sends a handful). */
export const MOCK_MAX_TEAMS = 10;
/** Most points one mock may draw (the planner's range). */
export const MOCK_MAX_POINTS = 500;

const Person = z.string().trim().min(1, 'give the name of each member').max(20);

export const MockTeamInput = z
  .object({
    name: z.string().trim().min(1, 'give the team a name').max(40),
    members: z.array(Person).length(2, 'a mock team is two people (one observes, one records)').optional(),
    start: LngLatSchema.optional().meta({ description: 'where the team sets off, [lng, lat]; default the city centre' }),
  })
  .meta({ id: 'MockTeamInput' });
export type MockTeamInput = z.infer<typeof MockTeamInput>;

export const MockRequest = z
  .object({
    name: z.string().trim().max(80).optional(),
    date: PlanDate,
    teams: z.array(MockTeamInput).min(1, 'give at least one team').max(MOCK_MAX_TEAMS, `at most ${MOCK_MAX_TEAMS} teams`),
    quotas: z
      .record(z.string().min(1), z.number().int().min(0).max(MOCK_MAX_POINTS))
      .optional()
      .meta({ description: 'points to draw per point type id; types left out take the catalog’s quota (at most the points there are)' }),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional()
      .meta({ description: 'the draw’s seed; the same seed over the same points gives the same draw (default: random, recorded)' }),
    profile: ProfileSchema.default('walk').meta({
      description: 'how the teams move between points (default walk, as the plans: back streets are often closed to vehicles)',
    }),
    shiftStart: ClockTime.default('08:30'),
    hours: z.number().min(1).max(12).default(8).meta({ description: 'how long each team works that day' }),
  })
  .meta({ id: 'MockRequest' });
export type MockRequest = z.input<typeof MockRequest>;

export const MOCK_STATUSES = ['in-progress', 'done'] as const;

export const MockQuota = z.object({
  typeId: z.string(),
  typeName: z.string(),
  quota: z.number().int().meta({ description: 'points drawn' }),
  available: z.number().int().meta({ description: 'points of this type in the registry' }),
});

export const MockPoint = z.object({
  id: z.string(),
  name: z.string(),
  typeId: z.string(),
  subdistrictId: z.string().nullable(),
  subdistrictName: z.string().nullable(),
  unitName: z.string().nullable(),
  team: z.number().int().nullable().meta({ description: 'index of the team whose route holds it; null when the plan dropped it (it stays 未检查)' }),
  checkedAt: z.string().nullable(),
});

export const MockReport = z
  .object({
    catalogVersion: z.string(),
    finishedAt: z.string(),
    totalPoints: z.number(),
    scoreRate: z.number().nullable(),
    estimatedScore: z.number().nullable(),
    checked: z.number().int(),
    unchecked: z.number().int(),
    byIndicator: z.array(ScoreRow),
    byType: z.array(ScoreRow),
    bySubdistrict: z.array(ScoreRow),
    byUnit: z.array(ScoreRow),
    deductions: z.array(LossRow),
    lost: z.number(),
    problems: z
      .array(z.object({ id: z.string(), itemId: z.string(), pointId: z.string(), created: z.boolean() }))
      .meta({ description: 'the problem behind each deduction: created by the mock (assigned to the unit), or the one already open or reported at the stop' }),
    previous: z
      .object({ id: z.string(), name: z.string(), date: z.string(), scoreRate: z.number().nullable(), estimatedScore: z.number().nullable() })
      .nullable()
      .meta({ description: 'the mock finished before this one, to compare with' }),
  })
  .meta({ id: 'MockReport' });
export type MockReport = z.infer<typeof MockReport>;

export const Mock = z
  .object({
    id: z.string(),
    name: z.string(),
    date: z.string(),
    seed: z.number().int(),
    catalogVersion: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
    planId: z.string().meta({ description: 'the routes (GET /api/plans/:id); the field page walks them on the mock’s date' }),
    teams: z.array(z.object({ name: z.string(), members: z.array(z.string()) })),
    quotas: z.array(MockQuota),
    points: z.array(MockPoint),
    status: z.enum(MOCK_STATUSES),
    progress: z.object({ points: z.number().int(), planned: z.number().int(), checked: z.number().int() }),
    report: MockReport.nullable(),
  })
  .meta({ id: 'Mock' });
export type Mock = z.infer<typeof Mock>;

export const MockSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    date: z.string(),
    status: z.enum(MOCK_STATUSES),
    progress: Mock.shape.progress,
    scoreRate: z.number().nullable(),
    estimatedScore: z.number().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'MockSummary' });
export type MockSummary = z.infer<typeof MockSummary>;

export const MockParams = z.object({ id: z.string().min(1) });

export const MOCKS_API = endpoints({
  'POST /api/assessment/mocks': {
    tag: 'assessment',
    summary: '模拟测评: draw the points per type like the assessors, plan the teams’ routes, save the mock',
    description:
      'Points are drawn per type, spread over the subdistricts (stratified, seeded: the seed is recorded, so the same draw can be made again), and planned as one plan for the teams. ' +
      '400 for a quota larger than the points of that type (the message says how many there are) or an unknown type; 422 when the plan cannot be made.',
    access: PLANNERS,
    body: MockRequest,
    responses: { 201: { description: 'The mock with its plan', schema: Mock }, ...errorResponses(400, 422, 503) },
  },
  'GET /api/assessment/mocks': {
    tag: 'assessment',
    summary: 'The mocks, newest first',
    access: ANALYSTS,
    responses: { 200: { description: 'Mock summaries', schema: z.object({ mocks: z.array(MockSummary) }) }, ...errorResponses(403) },
  },
  'GET /api/assessment/mocks/:id': {
    tag: 'assessment',
    summary: 'One mock: its points, progress and, once finished, its report',
    access: ANALYSTS,
    params: MockParams,
    responses: { 200: { description: 'The mock', schema: Mock }, ...errorResponses(404) },
  },
  'POST /api/assessment/mocks/:id/finish': {
    tag: 'assessment',
    summary: 'Finish a mock now: score what was checked (the rest is 未检查) and turn the failures into problems',
    description: 'A mock finishes by itself when its last planned stop is checked; this is for a day cut short. 409 when it is finished already.',
    access: PLANNERS,
    params: MockParams,
    responses: { 200: { description: 'The finished mock', schema: Mock }, ...errorResponses(404, 409) },
  },
  'GET /api/assessment/mocks/:id/report': {
    tag: 'assessment',
    summary: 'The mock’s report to print (A4 HTML)',
    access: ANALYSTS,
    params: MockParams,
    responses: { 200: { description: 'HTML page to print', contentType: 'text/html' }, ...errorResponses(404, 409) },
  },
  'GET /api/assessment/mocks/:id/report.xlsx': {
    tag: 'assessment',
    summary: 'The mock’s report as a workbook (XLSX): overall, by indicator, type, subdistrict and unit, every deduction',
    access: ANALYSTS,
    params: MockParams,
    responses: {
      200: { description: 'XLSX workbook', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      ...errorResponses(404, 409),
    },
  },
});
