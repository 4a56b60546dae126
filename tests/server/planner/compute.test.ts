/**
 * Problem building and plan output on the fixture city's road cross: 人民路 along 36.45°N
 * (115.97–115.99°E) and 建设大道 along 115.98°E (36.44–36.46°N), walked at 4.5 km/h.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../server/errors';
import { buildRoadGraph, createRoutingEngine, roadsFromFeatures, type RoadFeatureLike } from '../../../server/graph/index';
import { computePlan, type Router, type TeamSpec } from '../../../server/planner/compute';
import type { PlanStopBase } from '../../../server/contract/plans';
import { engineRouter } from '../../../server/services/plans/plans';
import { FIXTURE_DIR } from '../../api/fixture';

const roads = JSON.parse(readFileSync(join(FIXTURE_DIR, 'roads.geojson'), 'utf8')).features as RoadFeatureLike[];
const engine = createRoutingEngine(buildRoadGraph(roadsFromFeatures(roads)));
const WALK = 4.5 / 3.6;
const CROSSING: [number, number] = [115.98, 36.45];
const metresEastWest = (dLng: number) => dLng * (Math.PI / 180) * 6371008.8 * Math.cos((36.45 * Math.PI) / 180);

/** The engine's router, counting matrix calls and recording their points. */
function recordingRouter() {
  const inner = engineRouter(engine, 'walk');
  const calls: [number, number][][] = [];
  const router: Router = { ...inner, matrix: (pts) => (calls.push(pts), inner.matrix(pts)) };
  return { router, calls };
}

const stop = (id: string, lngLat: [number, number], over: Partial<PlanStopBase> = {}): PlanStopBase => ({
  id,
  kind: 'market',
  name: id,
  address: null,
  subdistrictId: null,
  subdistrictName: null,
  unitName: null,
  category: null,
  lngLat,
  otherEnd: null,
  line: null,
  dwellS: 600,
  priority: 1,
  windows: [],
  ...over,
});
const team = (over: Partial<TeamSpec> = {}): TeamSpec => ({
  name: 'A',
  start: CROSSING,
  end: CROSSING,
  shiftStart: '08:00',
  budgetS: 4 * 3600,
  skills: [],
  ...over,
});
const solveMode = { kind: 'solve' as const, seed: 1, timeLimitMs: 200, balance: false };
const now = () => performance.now();

describe('computePlan', () => {
  it('builds one matrix over the unique locations and times a round trip along the street', () => {
    const { router, calls } = recordingRouter();
    const west = stop('w', [115.975, 36.45]);
    const plan = computePlan(router, { date: '2026-03-20', profile: 'walk', teams: [team()], stops: [west], mode: solveMode, now });
    expect(calls).toEqual([[CROSSING, [115.975, 36.45]]]);
    const leg = Math.round(metresEastWest(0.005) / WALK);
    const [s] = plan.teams[0].stops;
    expect(s.travelS).toBeGreaterThanOrEqual(leg - 1);
    expect(s.travelS).toBeLessThanOrEqual(leg + 1);
    expect(s.arrival).toBe(`2026-03-20T08:${String(Math.floor(s.travelS / 60)).padStart(2, '0')}:${String(s.travelS % 60).padStart(2, '0')}+08:00`);
    expect(Date.parse(s.departure) - Date.parse(s.arrival)).toBe(600_000);
    expect(plan.teams[0].travelS).toBe(2 * s.travelS);
    expect(plan.teams[0].durationS).toBe(2 * s.travelS + 600);
    expect(plan.teams[0].travelM).toBeCloseTo(2 * metresEastWest(0.005), -1);
    // The route goes out and back along 人民路.
    expect(plan.teams[0].geometry!.coordinates).toEqual([CROSSING, [115.975, 36.45], CROSSING]);
  });

  it('walks a back street end to end in the better direction and draws it', () => {
    // Drawn north → south; from the crossing the south end is nearer, so it is walked reversed.
    const line: [number, number][] = [
      [115.98, 36.458],
      [115.98, 36.455],
      [115.98, 36.452],
    ];
    const bs = stop('bs', line[0], { kind: 'back-street', otherEnd: line[2], line, dwellS: 534 });
    const plan = computePlan(engineRouter(engine, 'walk'), {
      date: '2026-03-20',
      profile: 'walk',
      teams: [team({ end: null })],
      stops: [bs],
      mode: solveMode,
      now,
    });
    const [s] = plan.teams[0].stops;
    expect(s.reversed).toBe(true);
    expect(Date.parse(s.departure) - Date.parse(s.start)).toBe(534_000);
    expect(plan.teams[0].geometry!.coordinates).toEqual([CROSSING, [115.98, 36.452], [115.98, 36.455], [115.98, 36.458]]);
  });

  it('drops a stop off the network with a reason and refuses a team start off it', () => {
    const far = stop('far', [115.93, 36.45]);
    const plan = computePlan(engineRouter(engine, 'walk'), {
      date: '2026-03-20',
      profile: 'walk',
      teams: [team()],
      stops: [stop('w', [115.975, 36.45]), far],
      mode: solveMode,
      now,
    });
    expect(plan.dropped.map((d) => [d.id, d.reason])).toEqual([['far', 'unsnappable']]);
    expect(plan.totals).toMatchObject({ stops: 2, served: 1, dropped: 1 });
    expect(() =>
      computePlan(engineRouter(engine, 'walk'), {
        date: '2026-03-20',
        profile: 'walk',
        teams: [team({ start: [115.93, 36.45] })],
        stops: [far],
        mode: solveMode,
        now,
      }),
    ).toThrow(AppError);
  });

  it('drops a stop the matrix cannot reach from the others', () => {
    const inner = engineRouter(engine, 'walk');
    // A road engine that snaps to any piece (component 'any') reports such pairs as -1 / NaN.
    const router: Router = {
      ...inner,
      matrix: (pts) => {
        const m = inner.matrix(pts);
        const k = pts.findIndex((p) => p[0] === 115.985);
        for (let i = 0; i < pts.length; i++) {
          if (i === k) continue;
          m.durationsS[i * pts.length + k] = -1;
          m.distancesM[i * pts.length + k] = NaN;
        }
        return m;
      },
    };
    const plan = computePlan(router, {
      date: '2026-03-20',
      profile: 'walk',
      teams: [team()],
      stops: [stop('w', [115.975, 36.45]), stop('e', [115.985, 36.45])],
      mode: solveMode,
      now,
    });
    expect(plan.dropped.map((d) => [d.id, d.reason])).toEqual([['e', 'unreachable']]);
    expect(plan.teams[0].stops.map((s) => s.id)).toEqual(['w']);
  });

  it('re-times routes as given: order kept, left-out stops removed, lateness and over-budget reported', () => {
    const a = stop('a', [115.975, 36.45], { windows: [{ start: '08:00', end: '08:05' }] });
    const b = stop('b', [115.985, 36.45]);
    const c = stop('c', [115.98, 36.455]);
    const plan = computePlan(engineRouter(engine, 'walk'), {
      date: '2026-03-20',
      profile: 'walk',
      teams: [team({ budgetS: 1200 })],
      stops: [a, b, c],
      mode: { kind: 'time', routes: [{ team: 0, stops: [{ id: 'b' }, { id: 'a', locked: true }] }] },
      now,
    });
    expect(plan.teams[0].stops.map((s) => [s.id, s.seq, s.locked])).toEqual([
      ['b', 1, false],
      ['a', 2, true],
    ]);
    expect(plan.teams[0].stops[1].lateS).toBeGreaterThan(0);
    expect(plan.teams[0].overBudgetS).toBeGreaterThan(0);
    expect(plan.totals.violations).toBe(2);
    expect(plan.dropped.map((d) => [d.id, d.reason])).toEqual([['c', 'removed']]);
    expect(plan.timing.solveMs).toBe(0);
  });

  it('keeps a locked stop with its team when solving again', () => {
    const stops = [stop('w', [115.975, 36.45]), stop('e', [115.985, 36.45])];
    const teams = [team({ name: 'A', start: [115.972, 36.45], end: null }), team({ name: 'B', start: [115.988, 36.45], end: null })];
    const free = computePlan(engineRouter(engine, 'walk'), { date: '2026-03-20', profile: 'walk', teams, stops, mode: solveMode, now });
    expect(free.teams.map((t) => t.stops.map((s) => s.id))).toEqual([['w'], ['e']]);
    const locked = computePlan(engineRouter(engine, 'walk'), {
      date: '2026-03-20',
      profile: 'walk',
      teams,
      stops,
      mode: { ...solveMode, initial: [{ team: 0, stops: [{ id: 'w' }, { id: 'e', locked: true }] }] },
      now,
    });
    expect(locked.teams[0].stops.map((s) => s.id)).toContain('e');
    expect(locked.teams[0].stops.find((s) => s.id === 'e')!.locked).toBe(true);
  });

  it('waits for a window to open and drops a stop whose window no team reaches', () => {
    const early = stop('early', [115.975, 36.45], { windows: [{ start: '06:00', end: '06:30' }] });
    const late = stop('late', [115.985, 36.45], { windows: [{ start: '09:00', end: '10:00' }] });
    const plan = computePlan(engineRouter(engine, 'walk'), {
      date: '2026-03-20',
      profile: 'walk',
      teams: [team()],
      stops: [early, late],
      mode: solveMode,
      now,
    });
    expect(plan.dropped.map((d) => [d.id, d.reason])).toEqual([['early', 'window-unreachable']]);
    const [s] = plan.teams[0].stops;
    expect(s.start).toBe('2026-03-20T09:00:00+08:00');
    expect(s.waitS).toBeGreaterThan(0);
  });
});
