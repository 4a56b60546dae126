/**
 * 模拟测评: draw the points per type like the assessors (server/planner/sample.ts), plan the teams'
 * routes as one plan (in the pool), and when the last planned stop has its check, score the mock under
 * the catalog version of its day and turn each failed item nobody has reported yet into a problem
 * assigned to the point's unit. The report is kept as scored: a later catalog does not rewrite it.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { AppError, bilingual, InputError, NotFoundError, type ErrorDetail } from '../../errors';
import { estimatedScore, groupScores, losses, scorePoints, scoringData, type PointScore, type ScoringPoint } from '../../analytics/assessment-score';
import { drawPerType } from '../../planner/sample';
import { MOCK_MAX_POINTS, type Mock, type MockReport, type MockRequest, type MockSummary } from '../../contract/assessment-mocks';
import type { AssessmentCatalog, LossRow } from '../../contract/assessment';
import type { z } from 'zod';
import { toCityIso } from '../../contract/city-time';
import type { Store } from '../../store/index';
import type { MockBody, MockRow } from '../../store/assessment-mocks';
import type { WorkflowDeps } from '../problems/deps';
import { intakeReport } from '../problems/intake';
import { applyTransition } from '../problems/workflow';
import { createPlan, type PlanDeps } from '../plans/plans';
import { assessmentOn, catalogOf } from './catalog';
import { resolveRef } from './checks';
import { lossRows, namesOf } from './scores';

type MockInput = z.output<typeof MockRequest>;

/** Who makes the mock: the plan's owner and the name the mock records. */
export interface MockCaller {
  userId: number | null;
  name: string;
}

/** How many points of each type to draw: the request's, else the catalog's quota (at most what there is). */
function quotasOf(version: AssessmentCatalog, req: MockInput, points: readonly ScoringPoint[]) {
  const available = new Map<string, number>();
  for (const p of points) available.set(p.typeId, (available.get(p.typeId) ?? 0) + 1);
  const details: ErrorDetail[] = [];
  const known = new Set(version.pointTypes.map((t) => t.id));
  for (const [typeId, n] of Object.entries(req.quotas ?? {})) {
    const type = version.pointTypes.find((t) => t.id === typeId);
    const path = `json.quotas.${typeId}`;
    if (!known.has(typeId))
      details.push({ path, message: `there is no point type "${typeId}" in catalog ${version.version}; the types are ${[...known].join(', ')}` });
    else if (n > (available.get(typeId) ?? 0))
      details.push({
        path,
        message: `there are only ${available.get(typeId) ?? 0} points of type ${type!.zh} (${typeId}) in the registry; ask for at most that many`,
      });
  }
  if (details.length > 0) throw new InputError(`Invalid ${details[0].path}: ${details[0].message}`, details);
  const quotas = version.pointTypes.map((t) => ({
    typeId: t.id,
    typeName: t.zh,
    quota: req.quotas?.[t.id] ?? Math.min(t.quota, available.get(t.id) ?? 0),
    available: available.get(t.id) ?? 0,
  }));
  const total = quotas.reduce((a, q) => a + q.quota, 0);
  if (total === 0)
    throw new InputError(
      'Invalid json.quotas: nothing to draw; give at least one point type a quota above 0 (the registry has points of ' +
        `${
          quotas
            .filter((q) => q.available > 0)
            .map((q) => q.typeId)
            .join(', ') || 'no type yet: import the city first'
        })`,
      [{ path: 'json.quotas', message: 'every quota is 0' }],
    );
  if (total > MOCK_MAX_POINTS)
    throw new InputError(`Invalid json.quotas: ${total} points in all; a mock takes at most ${MOCK_MAX_POINTS}`, [
      { path: 'json.quotas', message: `at most ${MOCK_MAX_POINTS} points` },
    ]);
  return quotas;
}

/**
 * `POST /api/assessment/mocks`: draw, plan (in the pool; aborting `signal` saves nothing), save.
 * @throws InputError (400) for a bad quota; as createPlan (422, 503).
 */
export async function createMock(deps: PlanDeps, req: MockInput, who: MockCaller, signal?: AbortSignal): Promise<Mock> {
  const version = assessmentOn(await catalogOf(deps.store, deps.catalog), req.date);
  const points = await deps.store.scoringPoints();
  const quotas = quotasOf(version, req, points);
  const seed = req.seed ?? randomInt(0, 2 ** 31 - 1);
  const drawn = drawPerType(
    points.map((p) => ({ ...p, kind: p.typeId })),
    new Map(quotas.map((q) => [q.typeId, q.quota])),
    seed,
  );
  const city = await deps.store.getCity();
  const dwell = (id: string) => Math.round((version.pointTypes.find((t) => t.id === id)?.dwellMin ?? 15) * 60);
  const name = req.name || `${req.date} 模拟测评`;
  const plan = await createPlan(
    deps,
    {
      name,
      date: req.date,
      profile: req.profile,
      teams: req.teams.map((t) => ({
        name: t.name,
        start: t.start ?? city?.center ?? [0, 0],
        shiftStart: req.shiftStart,
        budgetS: Math.round(req.hours * 3600),
      })),
      stops: { ids: drawn.map((p) => p.id) },
      dwell: { market: dwell('market'), community: dwell('community') },
      balance: true,
    },
    who.userId,
    signal,
  );
  const body: MockBody = {
    name,
    seed,
    catalogVersion: version.version,
    createdBy: who.name,
    teams: req.teams.map((t) => ({ name: t.name, members: t.members ?? [] })),
    quotas,
    points: drawn.map((p) => ({ id: p.id, typeId: p.typeId })),
  };
  const row: MockRow = { id: `mk-${randomUUID()}`, date: req.date, planId: plan.id, createdAt: toCityIso(deps.now()), body, finishedAt: null, report: null };
  await deps.store.insertMock(row);
  return toMock(deps.store, row);
}

/** The latest check of each point of the mock's plan: point id → { id, at }. */
async function checksOfPlan(store: Store, planId: string) {
  const latest = new Map<string, { at: string; atMs: number }>();
  for (const c of await store.listChecks({ planId })) {
    const seen = latest.get(c.pointId);
    if (!seen || c.atMs > seen.atMs) latest.set(c.pointId, { at: c.at, atMs: c.atMs });
  }
  return latest;
}

/** The team index holding each planned stop of the mock. */
async function teamsOf(store: Store, planId: string): Promise<Map<string, number>> {
  const plan = await store.getPlan(planId);
  return new Map(plan ? plan.teams.flatMap((t) => t.stops.map((s) => [s.id, t.index] as const)) : []);
}

function progressOf(row: MockRow, team: Map<string, number>, checked: Map<string, unknown>) {
  return {
    points: row.body.points.length,
    planned: row.body.points.filter((p) => team.has(p.id)).length,
    checked: row.body.points.filter((p) => checked.has(p.id)).length,
  };
}

/** A stored mock as the API gives it, with its progress read now. */
export async function toMock(store: Store, row: MockRow): Promise<Mock> {
  const names = await namesOf(store);
  const places = new Map((await store.scoringPoints()).map((p) => [p.id, p]));
  const team = await teamsOf(store, row.planId);
  const checked = await checksOfPlan(store, row.planId);
  return {
    id: row.id,
    name: row.body.name,
    date: row.date,
    seed: row.body.seed,
    catalogVersion: row.body.catalogVersion,
    createdAt: row.createdAt,
    createdBy: row.body.createdBy,
    planId: row.planId,
    teams: row.body.teams,
    quotas: row.body.quotas,
    points: row.body.points.map((p) => {
      const place = places.get(p.id);
      return {
        id: p.id,
        name: place?.name ?? p.id,
        typeId: p.typeId,
        subdistrictId: place?.subdistrictId ?? null,
        subdistrictName: names.subdistrict(place?.subdistrictId ?? null),
        unitName: names.unit(place?.unitId ?? null),
        team: team.get(p.id) ?? null,
        checkedAt: checked.get(p.id)?.at ?? null,
      };
    }),
    status: row.report ? 'done' : 'in-progress',
    progress: progressOf(row, team, checked),
    report: row.report,
  };
}

/** `GET /api/assessment/mocks`. */
export async function listMocks(store: Store): Promise<MockSummary[]> {
  return Promise.all(
    (await store.listMocks()).map(async (row) => {
      const progress = row.report
        ? { points: row.body.points.length, planned: row.report.checked + row.report.unchecked, checked: row.report.checked }
        : progressOf(row, await teamsOf(store, row.planId), await checksOfPlan(store, row.planId));
      return {
        id: row.id,
        name: row.body.name,
        date: row.date,
        status: row.report ? 'done' : 'in-progress',
        progress,
        scoreRate: row.report?.scoreRate ?? null,
        estimatedScore: row.report?.estimatedScore ?? null,
        createdAt: row.createdAt,
      };
    }),
  );
}

/** A stored mock. @throws NotFoundError (404). */
export async function loadMock(store: Store, id: string): Promise<MockRow> {
  const row = await store.mockById(id);
  if (!row) throw new NotFoundError(`There is no mock assessment "${id}". List them with GET /api/assessment/mocks.`);
  return row;
}

/** What finishing a mock needs: the store, the catalog, the workflow (problems it creates), the clock. */
export interface MockFinishDeps {
  store: Store;
  catalog: PlanDeps['catalog'];
  workflow: WorkflowDeps;
  now(): number;
}

/**
 * After a check of plan `planId` is stored: finishes the plan's mock when every planned stop has a check.
 * @returns the finished mock, or null (no mock, not done yet, finished already).
 */
export async function finishMockIfComplete(deps: MockFinishDeps, planId: string): Promise<Mock | null> {
  const row = await deps.store.mockByPlan(planId);
  if (!row || row.report || finishing.has(row.id)) return null;
  const p = progressOf(row, await teamsOf(deps.store, planId), await checksOfPlan(deps.store, planId));
  if (p.planned === 0 || p.checked < p.planned) return null;
  return finishMock(deps, row.id);
}

/**
 * Scores the mock from its plan's checks and the problems open at its points now, stores the report and
 * turns each failure into a problem (unless one is open or was reported at the stop for it).
 * @throws NotFoundError; AppError 409 when it is finished already.
 */
export async function finishMock(deps: MockFinishDeps, id: string): Promise<Mock> {
  const row = await loadMock(deps.store, id);
  if (row.report || finishing.has(id))
    throw new AppError(409, bilingual(`模拟测评「${row.body.name}」已完成评分。`, `Mock assessment ${id} is finished already; its report stays as scored.`));
  finishing.add(id);
  try {
    return await scoreAndFinish(deps, row);
  } finally {
    finishing.delete(id);
  }
}

/**
 * Mocks being scored now. Scoring awaits between the problems it creates, so a second last check (two
 * phones at once) or a press of 结束 could start it again; this keeps it to one, and one set of problems.
 */
const finishing = new Set<string>();

async function scoreAndFinish(deps: MockFinishDeps, row: MockRow): Promise<Mock> {
  const id = row.id;
  const { store } = deps;
  const catalog = await catalogOf(store, deps.catalog);
  const nowMs = deps.now();
  const version = assessmentOn(catalog, row.date);
  const ids = new Set(row.body.points.map((p) => p.id));
  const points = (await store.scoringPoints()).filter((p) => ids.has(p.id));
  const checkRows = await store.listChecks({ planId: row.planId });
  const data = scoringData(
    catalog.assessment,
    points,
    checkRows.map((c) => ({ id: c.id, pointId: c.pointId, atMs: c.atMs, items: c.items })),
    await store.scoringProblemsAt([...ids], nowMs),
  );
  // Every check of the plan counts, whenever the phone said it was made; problems count as open now.
  const scores = scorePoints(data, { fromMs: 0, toMs: Number.MAX_SAFE_INTEGER, atMs: nowMs, catalog: version });
  await withReportedAtStop(store, version, scores, new Map(checkRows.map((c) => [c.id, c.problemRefs])));

  const names = await namesOf(store);
  const deductions = await lossRows(store, version, losses(version, scores), names);
  const problems = await problemsForFailures(deps, row, version, deductions, nowMs);
  const city = groupScores(version, scores, 'city', names)[0];
  const finishedAt = toCityIso(nowMs);
  const prev = await store.mockFinishedBefore(finishedAt, id);
  const report: MockReport = {
    catalogVersion: version.version,
    finishedAt,
    totalPoints: version.totalPoints,
    scoreRate: city?.scoreRate ?? null,
    estimatedScore: estimatedScore(version, scores),
    checked: scores.filter((s) => s.check).length,
    unchecked: scores.filter((s) => !s.check).length,
    byIndicator: groupScores(version, scores, 'indicator', names),
    byType: groupScores(version, scores, 'type', names),
    bySubdistrict: groupScores(version, scores, 'subdistrict', names),
    byUnit: groupScores(version, scores, 'unit', names),
    deductions,
    lost: Math.round(deductions.reduce((a, r) => a + r.lost, 0) * 1000) / 1000,
    problems,
    previous: prev?.report
      ? { id: prev.id, name: prev.body.name, date: prev.date, scoreRate: prev.report.scoreRate, estimatedScore: prev.report.estimatedScore }
      : null,
  };
  if (!(await store.finishMock(row.id, finishedAt, report)))
    throw new AppError(409, bilingual('模拟测评已完成评分。', `Mock assessment ${id} is finished already.`));
  return toMock(store, await loadMock(store, id));
}

/**
 * A problem the inspector reported at the stop for a failed item (its category fails the item) is the
 * failure's evidence, like one that was open before: its photos go in the report, and no second problem is made.
 */
async function withReportedAtStop(store: Store, version: AssessmentCatalog, scores: PointScore[], refsByCheck: Map<string, string[]>): Promise<void> {
  const categories = new Map(version.pointTypes.flatMap((t) => t.items.map((it) => [it.id, it.categories] as const)));
  for (const s of scores) {
    if (!s.check) continue;
    const reported: { id: string; category: string }[] = [];
    for (const ref of refsByCheck.get(s.check.id) ?? []) {
      const id = await resolveRef(store, ref);
      const wf = id ? await store.workflowRow(id) : null;
      if (wf && id) reported.push({ id, category: wf.props.category });
    }
    for (const o of s.items) {
      if (o.verdict !== 'fail') continue;
      const cats = categories.get(o.itemId) ?? [];
      for (const r of reported) if (cats.includes(r.category) && !o.problemIds.includes(r.id)) o.problemIds.push(r.id);
    }
  }
}

/** Each deduction without a problem behind it becomes one at the point, assigned to its unit with the category's deadline. */
async function problemsForFailures(deps: MockFinishDeps, row: MockRow, version: AssessmentCatalog, deductions: LossRow[], nowMs: number) {
  const { store, catalog, workflow } = deps;
  const plan = await store.getPlan(row.planId);
  const where = new Map(plan ? [...plan.teams.flatMap((t) => t.stops), ...plan.dropped].map((s) => [s.id, s.lngLat] as const) : []);
  const items = new Map(version.pointTypes.flatMap((t) => t.items.map((it) => [it.id, it] as const)));
  const out: MockReport['problems'] = [];
  for (const d of deductions) {
    const category = items.get(d.itemId)?.categories[0];
    for (const place of d.places) {
      if (place.problemIds.length > 0) {
        out.push({ id: place.problemIds[0], itemId: d.itemId, pointId: place.pointId, created: false });
        continue;
      }
      const at = where.get(place.pointId);
      if (!category || !at) continue;
      const reporter = `模拟测评（${row.body.name}）`;
      const { body } = await intakeReport(
        store,
        catalog,
        workflow,
        {
          category,
          lng: at[0],
          lat: at[1],
          description: `模拟测评扣分：${d.zh}（${place.name}，${d.indicator} ${d.indicatorName}，扣 ${d.points} 分）`,
          reporter,
          source: 'inspection',
          placeId: place.pointId,
        },
        [],
        nowMs,
        null,
        { requirePhoto: false },
      );
      const pid = body.problem.id;
      if (place.unitId)
        await applyTransition(
          store,
          catalog,
          workflow.hub,
          pid,
          { to: 'assigned', note: '模拟测评扣分，请限期整改', unit: place.unitId, actor: reporter },
          nowMs,
        );
      out.push({ id: pid, itemId: d.itemId, pointId: place.pointId, created: true });
    }
  }
  return out;
}
