/**
 * The route planner's orchestration: select stops from the store, plan them over the city's road
 * engine (server/planner), save, edit (re-time), re-optimise around locks, delete. The selection and the
 * planning run in the worker pool (`computeNewPlan`, `computeRoutes`: seconds of CPU for a big plan);
 * the checks before and the store writes after stay on the main thread.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { bilingual, ForbiddenError, InputError, NotFoundError, type ErrorDetail } from '../../errors';
import { matrix, shortestPath, snapPoint, SnapError, type Profile, type RoutingEngine } from '../../graph/index';
import { toCityIso } from '../../contract/city-time';
import { computePlan, type ComputedPlan, type ComputeInput, type EditedRoute, type PlanMode, type Router, type TeamSpec } from '../../planner/compute';
import { selectStops, type StopSource } from '../../planner/select';
import type { Names } from '../../planner/stops';
import type { Catalog } from '../../contract/catalog';
import { PLAN_CHANGERS, type Plan, type PlanEdit, type PlanRequest, type PlanStopBase, type TeamInput } from '../../contract/plans';
import type { Role } from '../../contract/roles';
import type { Store } from '../../store/index';
import type { AppPool } from '../../pool/app-pool';
import { catalogOf } from '../assessment/catalog';
import { spotName } from '../city/places';
import { gridAreas } from '../city/grids';

/** What the plan services need (a subset of RouteDeps). */
export interface PlanDeps {
  store: Store;
  catalog: Catalog;
  /** Where the planning runs (a worker; in-process for an app built without a pool). */
  pool: AppPool;
  now(): number;
}

/** What planning reads, in the worker that runs it: the store, the catalog, the road engine. */
export interface PlanComputeDeps {
  store: Store;
  catalog: Catalog;
  roads: { get(): Promise<RoutingEngine> };
}

/** A new plan's request and the clock it was made at (which problems are overdue). */
export interface NewPlanInput {
  req: PlanRequest;
  nowMs: number;
}

/** Plan or re-time fixed stops (an edit, a re-optimisation): computePlan's input without the clock. */
export type PlanComputeInput = Omit<ComputeInput, 'now' | 'profile'> & { profile: Profile };

/** The road engine for one profile, as the planner's Router. */
export function engineRouter(engine: RoutingEngine, profile: Profile): Router {
  const view = engine.view(profile);
  return {
    snap: (p) => void snapPoint(engine.snapIndex, view, p),
    matrix: (pts) => matrix(engine, profile, pts),
    path: (a, b) => shortestPath(engine, profile, a, b).coordinates,
    isSnapError: (err) => err instanceof SnapError,
  };
}

function storeSource(store: Store, nowMs: number): StopSource {
  return {
    places: async () => store.plannerPlaces(),
    problemsByIds: async (ids) => store.plannerProblemsByIds(ids, nowMs),
    openProblems: async (overdueOnly) => store.plannerOpenProblems(overdueOnly, nowMs),
    recurringPlaces: async () => store.recurringPlaces(),
    lastVisits: async () => store.lastVisits(nowMs),
    gridAreas: async (ids) => gridAreas(store, ids),
    lookBacks: async () => {
      // lookBacksDue is longest waiting first; keep that order.
      const due = await store.lookBacksDue();
      const byId = new Map(
        (
          await store.plannerProblemsByIds(
            due.map((d) => d.id),
            nowMs,
          )
        ).map((p) => [p.id, p]),
      );
      return due.flatMap((d) => byId.get(d.id) ?? []);
    },
  };
}

async function storeNames(store: Store, catalog: Catalog): Promise<Names> {
  const cats = new Map(catalog.categories.map((c) => [c.id, { zh: c.zh, en: c.en }]));
  // The newest version that has the type: a type the city added lately has no older dwell.
  const dwell = new Map<string, number>();
  for (const v of (await catalogOf(store, catalog)).assessment) for (const t of v.pointTypes) dwell.set(t.id, Math.round(t.dwellMin * 60));
  const subdistricts = new Map((await store.listSubdistricts()).map((s) => [s.id, s.name]));
  const units = new Map((await store.listUnits()).map((u) => [u.id, u.name]));
  return {
    subdistrict: (id) => (id === null ? null : (subdistricts.get(id) ?? null)),
    unit: (id) => (id === null ? null : (units.get(id) ?? null)),
    category: (id) => cats.get(id) ?? null,
    typeDwellS: (kind) => dwell.get(kind) ?? null,
  };
}

/** A team as the planner takes it; a start or end given without a name is named by what is there. */
const teamSpec = async (store: Store, t: TeamInput): Promise<TeamSpec> => ({
  name: t.name,
  start: t.start as [number, number],
  end: (t.end ?? null) as [number, number] | null,
  startName: t.startName || (await spotName(store, t.start)).name,
  endName: t.end ? t.endName || (await spotName(store, t.end)).name : null,
  shiftStart: t.shiftStart,
  budgetS: t.budgetS,
  skills: t.skills ?? [],
});

/** Every stop a saved plan holds (served and dropped), in the order they were selected. */
function planStops(plan: Plan): PlanStopBase[] {
  const all = [...plan.teams.flatMap((t) => t.stops), ...plan.dropped];
  const strip = (s: PlanStopBase): PlanStopBase => ({
    id: s.id,
    kind: s.kind,
    name: s.name,
    address: s.address,
    subdistrictId: s.subdistrictId,
    subdistrictName: s.subdistrictName,
    unitName: s.unitName,
    category: s.category,
    lngLat: s.lngLat,
    otherEnd: s.otherEnd,
    line: s.line,
    dwellS: s.dwellS,
    priority: s.priority,
    windows: s.windows,
  });
  return all.map(strip).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function assemble(base: Omit<Plan, 'teams' | 'dropped' | 'totals' | 'timing'>, computed: ComputedPlan): Plan {
  return { ...base, ...computed };
}

const NEVER = () => false;

/**
 * Selects the stops of a new plan from the store and plans them (the pool's `plan.create` task);
 * `cancelled()` true stops the planning with an AbortError.
 * @throws InputError for unknown ids or a bad polygon, SelectionError (422) for an empty or too big
 *   selection, AppError 422 for a team point off the network, NoCityError (503).
 */
export async function computeNewPlan(deps: PlanComputeDeps, { req, nowMs }: NewPlanInput, cancelled: () => boolean = NEVER): Promise<ComputedPlan> {
  const engine = await deps.roads.get();
  const selection = await withDistricts(deps.store, req.stops);
  const stops = (await selectStops(storeSource(deps.store, nowMs), selection, await storeNames(deps.store, deps.catalog), req.dwell, req.windows)).map((s) =>
    req.stopWindows?.[s.id] ? { ...s, windows: req.stopWindows[s.id] } : s,
  );
  const teams = await Promise.all(req.teams.map(async (t) => teamSpec(deps.store, t)));
  const mode: PlanMode = { kind: 'solve', seed: req.seed ?? 1, timeLimitMs: req.timeLimitMs ?? null, balance: req.balance ?? false };
  return computePlan(engineRouter(engine, req.profile), { date: req.date, profile: req.profile, teams, stops, mode, now: clock(cancelled) });
}

/**
 * A selection's districts as the subdistricts they hold (narrowed to the subdistricts asked for, when both
 * are), the form the stop selection filters on: a district is its subdistricts.
 */
async function withDistricts(store: Store, sel: PlanRequest['stops']): Promise<PlanRequest['stops']> {
  if (!sel.districts?.length) return sel;
  const inDistricts = await store.districtSubdistricts(sel.districts);
  const asked = sel.subdistricts?.length ? inDistricts.filter((id) => sel.subdistricts!.includes(id)) : inDistricts;
  // Nothing matches '-': districts without subdistricts keep no stop (rather than every stop).
  return { ...sel, subdistricts: asked.length ? asked : ['-'] };
}

/**
 * For a district account: the stops of `ids` (places and problems) that lie outside the subdistricts
 * `inScope`, which the account may not plan.
 */
export async function stopsOutside(store: Store, ids: readonly string[], inScope: ReadonlySet<string>, nowMs: number): Promise<string[]> {
  const outside: string[] = [];
  for (const id of ids) {
    const sd = (await store.getPlace(id))?.properties.subdistrictId ?? (await store.getProblem(id, nowMs))?.properties.subdistrictId ?? null;
    if (sd === null || !inScope.has(sd)) outside.push(id);
  }
  return outside;
}

/** Does every stop of `plan` (served or dropped) lie in the subdistricts `inScope`? */
export function planWithin(plan: Plan, inScope: ReadonlySet<string>): boolean {
  return [...plan.teams.flatMap((t) => t.stops), ...plan.dropped].every((s) => s.subdistrictId !== null && inScope.has(s.subdistrictId));
}

/** Plans or re-times the given stops and teams (the pool's `plan.compute` task). @throws as computePlan. */
export async function computeRoutes(deps: PlanComputeDeps, input: PlanComputeInput, cancelled: () => boolean = NEVER): Promise<ComputedPlan> {
  return computePlan(engineRouter(await deps.roads.get(), input.profile), { ...input, now: clock(cancelled) });
}

/**
 * The planner's clock, which is also where a cancelled plan stops: the solver reads it at every step
 * (against its deadline), so throwing here ends the search at once, with nothing to undo (it is pure).
 */
function clock(cancelled: () => boolean): () => number {
  return () => {
    if (cancelled()) throw new DOMException('The plan was cancelled: the client went away.', 'AbortError');
    return performance.now();
  };
}

/**
 * `POST /api/plans`: select the stops, plan them (in the pool), save the plan. Aborting `signal` (the
 * client went away) stops the planning and saves nothing.
 * @throws as computeNewPlan; BusyError (503) when the pool's queue is full.
 */
export async function createPlan(deps: PlanDeps, req: PlanRequest, createdBy: number | null = null, signal?: AbortSignal): Promise<Plan> {
  const nowMs = deps.now();
  const computed = await deps.pool.run('plan.create', { req, nowMs }, { signal });
  const at = toCityIso(nowMs);
  const plan = assemble(
    {
      id: `pl-${randomUUID()}`,
      name: req.name || `${req.date} 巡查路线`,
      date: req.date,
      profile: req.profile,
      createdAt: at,
      updatedAt: at,
      options: {
        dwell: req.dwell ?? {},
        windows: req.windows ?? {},
        balance: req.balance ?? false,
        seed: req.seed ?? 1,
        timeLimitMs: req.timeLimitMs ?? null,
        selection: req.stops,
      },
    },
    computed,
  );
  await deps.store.insertPlan(plan, createdBy);
  return plan;
}

/**
 * Refuses a change (edit, re-optimise, delete) of plan `id` by `who` unless the rule of the contract
 * allows it (PLAN_OWNER_RULE): its author, or a leader or administrator.
 * @throws NotFoundError (404) for no such plan, ForbiddenError (403) for someone else's.
 */
export async function assertMayChangePlan(store: Store, id: string, who: PlanCaller): Promise<void> {
  const owner = await store.planOwner(id);
  if (owner === undefined) throw new NotFoundError(`There is no plan "${id}". List the saved plans with GET /api/plans?date=YYYY-MM-DD.`);
  if (mayChangePlan(owner, who)) return;
  throw new ForbiddenError(
    bilingual(
      '只有制定该方案的人或领导、管理员可以修改或删除它；您可以查看和导出。',
      'Only the author of this plan, a leader or an administrator may change or delete it; you may read and export it.',
    ),
  );
}

/** The caller as the plan owner rule sees it: an account's id (null for API keys and screens) and role. */
export interface PlanCaller {
  userId: number | null;
  role: Role;
}

/** PLAN_OWNER_RULE: a leader or administrator, or the plan's author (`owner`: the author's account id, null for none). */
export function mayChangePlan(owner: number | null, who: PlanCaller): boolean {
  return (PLAN_CHANGERS as readonly Role[]).includes(who.role) || (owner !== null && owner === who.userId);
}

/** A saved plan. @throws NotFoundError (404). */
export async function loadPlan(store: Store, id: string): Promise<Plan> {
  const plan = await store.getPlan(id);
  if (!plan) throw new NotFoundError(`There is no plan "${id}". List the saved plans with GET /api/plans?date=YYYY-MM-DD.`);
  return plan;
}

/**
 * `PUT /api/plans/:id`: take the edited routes as they are (moved stops, team changes, locks) and
 * re-time them; what the edit broke (late, over budget, missing skills) is reported, not refused.
 * Stops left out of every team are dropped as "removed".
 * @throws NotFoundError; InputError naming a stop id the plan does not hold or one given twice.
 */
export async function editPlan(deps: PlanDeps, id: string, edit: PlanEdit, signal?: AbortSignal): Promise<Plan> {
  const plan = await loadPlan(deps.store, id);
  const stops = planStops(plan);
  const known = new Set(stops.map((s) => s.id));
  const seen = new Set<string>();
  const details: ErrorDetail[] = [];
  edit.teams.forEach((t, ti) =>
    t.stops.forEach((st, si) => {
      const path = `json.teams.${ti}.stops.${si}.id`;
      if (!known.has(st.id)) details.push({ path, message: `the plan has no stop "${st.id}"; add stops by making a new plan` });
      else if (seen.has(st.id)) details.push({ path, message: `stop "${st.id}" is given twice; keep each stop in one place` });
      seen.add(st.id);
    }),
  );
  if (details.length > 0) throw new InputError(`Invalid ${details[0].path}: ${details[0].message}`, details);
  const routes: EditedRoute[] = edit.teams.map((t, ti) => ({ team: ti, stops: t.stops }));
  const input: PlanComputeInput = {
    date: plan.date,
    profile: plan.profile,
    teams: await Promise.all(edit.teams.map(async (t) => teamSpec(deps.store, t))),
    stops,
    mode: { kind: 'time', routes },
  };
  const computed = await deps.pool.run('plan.compute', input, { signal });
  const next = assemble({ ...plan, name: edit.name || plan.name, updatedAt: toCityIso(deps.now()) }, computed);
  await deps.store.updatePlan(next);
  return next;
}

/**
 * `POST /api/plans/:id/optimise`: re-optimise the saved plan around its locked stops, starting from
 * its current routes; dropped stops get another chance.
 */
export async function optimisePlan(deps: PlanDeps, id: string, opts: { seed?: number; timeLimitMs?: number }, signal?: AbortSignal): Promise<Plan> {
  const plan = await loadPlan(deps.store, id);
  const stops = planStops(plan);
  const initial: EditedRoute[] = plan.teams.map((t) => ({
    team: t.index,
    stops: t.stops.map((s) => ({ id: s.id, locked: s.locked, reversed: s.reversed })),
  }));
  const teams: TeamSpec[] = plan.teams.map((t) => ({
    name: t.name,
    start: t.start,
    end: t.end,
    startName: t.startName,
    endName: t.endName,
    shiftStart: t.shiftStart,
    budgetS: t.budgetS,
    skills: t.skills,
  }));
  const seed = opts.seed ?? plan.options.seed;
  const input: PlanComputeInput = {
    date: plan.date,
    profile: plan.profile,
    teams,
    stops,
    mode: { kind: 'solve', seed, timeLimitMs: opts.timeLimitMs ?? plan.options.timeLimitMs, balance: plan.options.balance, initial },
  };
  const computed = await deps.pool.run('plan.compute', input, { signal });
  const next = assemble({ ...plan, updatedAt: toCityIso(deps.now()), options: { ...plan.options, seed } }, computed);
  await deps.store.updatePlan(next);
  return next;
}

/** `DELETE /api/plans/:id`. @throws NotFoundError. */
export async function deletePlan(store: Store, id: string): Promise<void> {
  if (!(await store.deletePlan(id))) throw new NotFoundError(`There is no plan "${id}" to delete. List the saved plans with GET /api/plans.`);
}
