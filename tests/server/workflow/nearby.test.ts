import { describe, expect, it } from 'vitest';
import { degreesAround, distanceM, duplicateCandidates, type NearbyProblem, recurrenceOf } from '../../../server/workflow/nearby';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-20T12:00:00+08:00');
const AT: [number, number] = [115.984, 36.448];
/** `m` metres north of AT. */
const north = (m: number): [number, number] => [AT[0], AT[1] + m / 111_195];

function p(id: string, over: Partial<NearbyProblem> & { at?: [number, number] }): NearbyProblem {
  const at = over.at ?? AT;
  return { id, category: 'occupy-road', status: 'assigned', closedMs: null, lng: at[0], lat: at[1], ...over };
}

describe('distance', () => {
  it('measures metres on the sphere', () => {
    expect(distanceM(AT, north(30))).toBeCloseTo(30, 0);
    expect(distanceM(AT, AT)).toBe(0);
    const { dLng, dLat } = degreesAround(AT[1], 50);
    expect(distanceM(AT, [AT[0] + dLng, AT[1]])).toBeGreaterThanOrEqual(49.9);
    expect(distanceM(AT, [AT[0], AT[1] + dLat])).toBeGreaterThanOrEqual(49.9);
  });
});

describe('duplicates', () => {
  it('offers open problems of the same category within 30 m, nearest first', () => {
    const near = [
      p('far', { at: north(31) }),
      p('b', { at: north(20) }),
      p('a', { at: north(5) }),
      p('closed', { status: 'closed', closedMs: NOW - DAY }),
      p('other-category', { category: 'small-ads' }),
      p('rectified', { status: 'rectified', at: north(29) }),
    ];
    expect(duplicateCandidates(near, { category: 'occupy-road', at: AT }).map((d) => d.id)).toEqual(['a', 'b', 'rectified']);
    expect(duplicateCandidates(near, { category: 'occupy-road', at: AT }, 10).map((d) => d.id)).toEqual(['a']);
  });
});

describe('recurrence', () => {
  const report = { category: 'occupy-road', at: AT, nowMs: NOW };
  it('links the most recently closed problem of the category within 30 m and 90 days', () => {
    const near = [
      p('old', { status: 'closed', closedMs: NOW - 91 * DAY }),
      p('p1', { status: 'closed', closedMs: NOW - 40 * DAY }),
      p('p2', { status: 'closed', closedMs: NOW - 10 * DAY, at: north(25) }),
      p('too-far', { status: 'closed', closedMs: NOW - DAY, at: north(35) }),
      p('open', { status: 'assigned' }),
      p('other', { status: 'closed', closedMs: NOW - DAY, category: 'small-ads' }),
    ];
    expect(recurrenceOf(near, report)).toBe('p2');
    expect(recurrenceOf(near.filter((n) => n.id !== 'p2'), report)).toBe('p1');
    expect(recurrenceOf([near[0]], report)).toBeNull();
    // The window edge: exactly 90 days still counts.
    expect(recurrenceOf([p('edge', { status: 'closed', closedMs: NOW - 90 * DAY })], report)).toBe('edge');
  });
});
