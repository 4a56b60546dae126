/** Planned against walked on constructed tracks: coverage, reached stops, distance, detours, the drawn line. */
import { describe, expect, it } from 'vitest';
import type { Plan, PlannedStopOut, PlannedTeam } from '../../../../server/contract/plans';
import { planProgress, walkedTracks } from '../../../../server/services/tracks/progress';
import type { TrackPointRow } from '../../../../server/store/tracks';

// A street 200 m long running east from O; metres to degrees at this latitude.
const O: [number, number] = [116, 36.45];
const M_LAT = 1 / 111_195;
const M_LNG = 1 / (111_195 * Math.cos((36.45 * Math.PI) / 180));
const at = (east: number, north = 0): [number, number] => [O[0] + east * M_LNG, O[1] + north * M_LAT];
const T0 = Date.parse('2026-03-20T09:00:00+08:00');

function stop(id: string, over: Partial<PlannedStopOut>): PlannedStopOut {
  return {
    id,
    kind: 'market',
    name: id,
    address: null,
    subdistrictId: null,
    subdistrictName: null,
    unitName: null,
    category: null,
    lngLat: O,
    otherEnd: null,
    line: null,
    dwellS: 600,
    priority: 1,
    windows: [],
    seq: 1,
    locked: false,
    reversed: false,
    arrival: '',
    start: '',
    departure: '',
    travelS: 0,
    travelM: 0,
    waitS: 0,
    lateS: 0,
    missingSkills: [],
    ...over,
  };
}

const street = stop('bs1', { kind: 'back-street', name: '抄纸巷', lngLat: at(0), otherEnd: at(200), line: [at(0), at(100), at(200)], seq: 1 });
const market = stop('m1', { name: '东关农贸市场', lngLat: at(200, 500), seq: 2 });

function planOf(stops: PlannedStopOut[]): Plan {
  const team = {
    index: 0,
    name: '一组',
    color: '#c00',
    start: at(0),
    end: null,
    shiftStart: '09:00',
    budgetS: 4 * 3600,
    skills: [],
    stops,
    travelS: 600,
    travelM: 700,
    dwellS: 1200,
    durationS: 1800,
    startAt: '',
    endAt: '',
    overBudgetS: 0,
    geometry: { type: 'LineString', coordinates: [at(0), at(200), at(200, 500)] },
  } as PlannedTeam;
  return { id: 'p1', name: '今天', date: '2026-03-20', teams: [team] } as unknown as Plan;
}

let n = 0;
/** Fixes every `stepM` metres from `from` to `to` (metres east/north of O), 10 s apart from `startMs`. */
function walk(from: [number, number], to: [number, number], stepM: number, startMs: number, userId = 1): TrackPointRow[] {
  const len = Math.hypot(to[0] - from[0], to[1] - from[1]);
  const k = Math.round(len / stepM);
  return Array.from({ length: k + 1 }, (_, i) => {
    const [lng, lat] = at(from[0] + ((to[0] - from[0]) * i) / k, from[1] + ((to[1] - from[1]) * i) / k);
    return { id: `f${n++}`, planId: 'p1', team: 0, userId, atMs: startMs + i * 10_000, lng, lat, accuracyM: 8 };
  });
}

describe('planProgress', () => {
  it('covers a street walked half by the half and the 25 m either side of where the walk ended', () => {
    const p = planProgress(planOf([street, market]), walk([0, 0], [100, 0], 10, T0));
    const t = p.teams[0];
    // 0–100 m walked, and the street within 25 m of its end: 125 of 200 m.
    expect(t.backStreets).toEqual([{ id: 'bs1', name: '抄纸巷', lengthM: 200, coveredShare: 0.625 }]);
    expect(t.backStreetShare).toBe(0.625);
    expect(t.walkedM).toBe(100);
    expect(t.fixes).toBe(11);
  });

  it('counts a street walked there and back once in its coverage and twice in the distance', () => {
    const there = walk([0, 0], [200, 0], 10, T0);
    const back = walk([200, 0], [0, 0], 10, T0 + 21 * 10_000);
    const t = planProgress(planOf([street]), [...there, ...back]).teams[0];
    expect(t.backStreets[0].coveredShare).toBe(1);
    expect(t.walkedM).toBe(400);
    expect(t.detourM).toBe(0);
  });

  it('leaves a stop never come near unreached, with how close the team came', () => {
    const t = planProgress(planOf([street, market]), walk([0, 0], [200, 0], 10, T0)).teams[0];
    expect(t.stops).toEqual([
      { id: 'bs1', name: '抄纸巷', seq: 1, reached: true, reachedAt: '2026-03-20T09:00:00+08:00', closestM: 0 },
      { id: 'm1', name: '东关农贸市场', seq: 2, reached: false, reachedAt: null, closestM: 500 },
    ]);
    expect(t.reached).toBe(1);
  });

  it('reaches a stop at the first fix within 50 m of it', () => {
    // North towards the market: 460 m up is the first fix within 50 m (fixes every 20 m: 0, 20 … 460).
    const fixes = walk([200, 0], [200, 480], 20, T0);
    const t = planProgress(planOf([market]), fixes).teams[0];
    expect(t.stops[0]).toMatchObject({ reached: true, reachedAt: '2026-03-20T09:03:50+08:00', closestM: 20 });
  });

  it('takes the longest phone of a team as its distance, and every phone for its coverage', () => {
    const a = walk([0, 0], [100, 0], 10, T0, 1);
    const b = walk([100, 0], [200, 0], 10, T0, 2);
    const t = planProgress(planOf([street]), [...a, ...b]).teams[0];
    expect(t.phones).toBe(2);
    expect(t.walkedM).toBe(100);
    expect(t.backStreets[0].coveredShare).toBe(1);
  });

  it('counts nothing across a silence of more than five minutes: the page was closed', () => {
    const first = walk([0, 0], [50, 0], 10, T0);
    const later = walk([150, 0], [200, 0], 10, T0 + 20 * 60_000);
    const t = planProgress(planOf([street]), [...first, ...later]).teams[0];
    expect(t.walkedM).toBe(100);
    // 0–75 and 125–200 m: the 50 m between the two parts were not seen walked.
    expect(t.backStreets[0].coveredShare).toBe(0.75);
  });

  it('measures a detour as the walked length more than 100 m from the route and its stops', () => {
    // 300 m south from the start: the first 100 m are near the route, the other 200 m a detour.
    const t = planProgress(planOf([street]), walk([0, 0], [0, -300], 10, T0)).teams[0];
    expect(t.walkedM).toBe(300);
    expect(t.detourM).toBe(200);
  });

  it('gives a team without fixes zeros and nulls, and the planned distance with its streets', () => {
    const t = planProgress(planOf([street, market]), []).teams[0];
    expect(t).toMatchObject({ walkedM: 0, fixes: 0, phones: 0, position: null, firstAt: null, reached: 0, plannedM: 900 });
    expect(t.stops.every((s) => !s.reached && s.closestM === null)).toBe(true);
    expect(t.backStreets[0].coveredShare).toBe(0);
  });
});

describe('walkedTracks', () => {
  it('simplifies a straight walk to its ends and keeps each kept vertex’s time, one part per silence', () => {
    const first = walk([0, 0], [200, 0], 10, T0);
    const later = walk([200, 0], [200, 100], 10, T0 + 30 * 60_000);
    const plan = planOf([street]);
    const points = [...first, ...later];
    const fc = walkedTracks(plan, points);
    expect(fc.features).toHaveLength(1);
    const f = fc.features[0];
    expect(f.geometry.coordinates.map((part) => part.length)).toEqual([2, 2]);
    expect(f.properties.times).toEqual([
      [T0, T0 + 20 * 10_000],
      [T0 + 30 * 60_000, T0 + 30 * 60_000 + 10 * 10_000],
    ]);
    expect(f.properties).toMatchObject({ team: 0, name: '一组', walkedM: 300 });
  });
});
