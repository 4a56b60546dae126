import { describe, expect, it } from 'vitest';
import { buildTrips, hexColor, loopTime } from '../../../../../client/src/pages/screen/map/trips';
import type { ScreenPlanTeam } from '../../../../../server/contract/screen-plans';

// A straight east-going street: 0.01° of longitude at the equator is about 1113 m.
const team = (over: Partial<ScreenPlanTeam> = {}): ScreenPlanTeam => ({
  planId: 'pl1',
  name: '第一组',
  color: '#e4572e',
  startAt: '2026-11-26T08:30:00+08:00',
  endAt: '2026-11-26T09:30:00+08:00',
  geometry: {
    type: 'LineString',
    coordinates: [
      [0, 0],
      [0.01, 0],
      [0.02, 0],
      [0.04, 0],
    ],
  },
  stops: [{ lngLat: [0.02, 0], leaveLngLat: [0.02, 0], arrival: '2026-11-26T08:50:00+08:00', departure: '2026-11-26T09:00:00+08:00' }],
  ...over,
});

describe('buildTrips', () => {
  it('times every vertex by distance between the schedule times and waits at a stop', () => {
    const day = buildTrips([team()]);
    expect(day.startMs).toBe(Date.parse('2026-11-26T08:30:00+08:00'));
    expect(day.spanS).toBe(3600);
    const [trip] = day.trips;
    expect(trip.color).toEqual([228, 87, 46]);
    // start, the vertex halfway to the stop, arrival, departure (same place), the end.
    expect(trip.path).toEqual([
      [0, 0],
      [0.01, 0],
      [0.02, 0],
      [0.02, 0],
      [0.04, 0],
    ]);
    expect(trip.timestamps.map((t) => Math.round(t))).toEqual([0, 600, 1200, 1800, 3600]);
  });

  it('walks a back street during its stop and puts the stop where the line passes, not off the street', () => {
    const [trip] = buildTrips([
      team({
        stops: [{ lngLat: [0.01, 0.0001], leaveLngLat: [0.02, 0], arrival: '2026-11-26T08:40:00+08:00', departure: '2026-11-26T09:00:00+08:00' }],
      }),
    ]).trips;
    expect(trip.path[1]).toEqual([0.01, 0]);
    expect(trip.timestamps.map((t) => Math.round(t))).toEqual([0, 600, 1800, 3600]);
    expect(trip.path).toEqual([
      [0, 0],
      [0.01, 0],
      [0.02, 0],
      [0.04, 0],
    ]);
    for (let i = 1; i < trip.timestamps.length; i++) expect(trip.timestamps[i]).toBeGreaterThanOrEqual(trip.timestamps[i - 1]);
  });

  it('starts the day at the earliest team and gives nothing for no teams', () => {
    const later = team({ name: '第二组', startAt: '2026-11-26T09:30:00+08:00', endAt: '2026-11-26T10:30:00+08:00', stops: [] });
    const day = buildTrips([team(), later]);
    expect(day.trips[1].timestamps[0]).toBe(3600);
    expect(day.spanS).toBe(7200);
    expect(buildTrips([])).toEqual({ trips: [], startMs: 0, spanS: 0 });
  });
});

describe('loopTime and colours', () => {
  it('loops the day over the wall time', () => {
    expect(loopTime(0, 3600)).toBe(0);
    expect(loopTime(30_000, 3600)).toBe(1800);
    expect(loopTime(90_000, 3600)).toBe(1800);
    expect(loopTime(5000, 0)).toBe(0);
  });
  it('reads team colours', () => {
    expect(hexColor('#1d4ed8')).toEqual([29, 78, 216]);
    expect(hexColor('blue')).toEqual([59, 139, 255]);
  });
});
