import { describe, expect, it } from 'vitest';
import { buildTrips, hexColor, loopTime, walkedByTeam } from '../../../../../client/src/pages/screen/map/trips';
import type { ScreenPlanTeam } from '../../../../../server/contract/screen-plans';
import type { WalkedTrack, WalkedTracks } from '../../../../../server/contract/tracks';

// A straight east-going street: 0.01° of longitude at the equator is about 1113 m.
const team = (over: Partial<ScreenPlanTeam> = {}): ScreenPlanTeam => ({
  planId: 'pl1',
  team: 0,
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
    expect(buildTrips([])).toEqual({ trips: [], planned: [], startMs: 0, spanS: 0 });
  });
});

const at = (hhmmss: string) => Date.parse(`2026-11-26T${hhmmss}+08:00`);
const track = (team: number, parts: [number, number][][], times: number[][]): WalkedTrack => ({
  type: 'Feature',
  geometry: { type: 'MultiLineString', coordinates: parts },
  properties: { team, name: 'x', color: '#000000', walkedM: 1, times },
});
const tracks = (...features: WalkedTrack[]): WalkedTracks => ({ type: 'FeatureCollection', features });

describe('walked tracks on the screen', () => {
  const second = team({ team: 1, name: '第二组', color: '#2e86ab' });
  const other = team({ planId: 'pl2', team: 0, name: '东区组' });
  const walked = track(
    1,
    [
      [
        [0, 0.001],
        [0.005, 0.001],
      ],
    ],
    [[at('08:40:00'), at('08:45:00')]],
  );

  it('matches each plan’s features to its teams by index, never across plans, and only teams on the screen', () => {
    const byTeam = walkedByTeam(
      [team(), second, other],
      [
        {
          planId: 'pl1',
          tracks: tracks(
            walked,
            track(
              5,
              [
                [
                  [0, 0],
                  [1, 1],
                ],
              ],
              [[1, 2]],
            ),
          ),
        },
      ],
    );
    expect([...byTeam.keys()]).toEqual(['pl1:1']);
    expect(byTeam.get('pl1:1')).toBe(walked);
    // pl2's team 0 walked; pl1's team 0 did not.
    const other0 = track(
      0,
      [
        [
          [0, 0],
          [0.001, 0],
        ],
      ],
      [[at('09:00:00'), at('09:00:10')]],
    );
    expect([...walkedByTeam([team(), other], [{ planId: 'pl2', tracks: tracks(other0) }]).keys()]).toEqual(['pl2:0']);
  });

  it('replays a walked team along its fixes at their times, the others along their plans', () => {
    const day = buildTrips([team(), second], walkedByTeam([team(), second], [{ planId: 'pl1', tracks: tracks(walked) }]));
    expect(day.startMs).toBe(at('08:30:00'));
    expect(day.trips.map((t) => [t.key, t.walked])).toEqual([
      ['pl1:0', false],
      ['pl1:1', true],
    ]);
    const replay = day.trips[1];
    expect(replay.path).toEqual([
      [0, 0.001],
      [0.005, 0.001],
    ]);
    // 08:40 and 08:45 are 10 and 15 minutes into a day that starts at 08:30.
    expect(replay.timestamps).toEqual([600, 900]);
    expect(replay.color).toEqual([46, 134, 171]);
    // The planned routes stay, every team's, for the faint lines.
    expect(day.planned.map((t) => t.key)).toEqual(['pl1:0', 'pl1:1']);
    expect(day.spanS).toBe(3600);
  });

  it('starts the day at a fix before any plan, ends it at a fix after, and keeps each part a trip of its own', () => {
    const early = track(
      0,
      [
        [
          [0, 0],
          [0.001, 0],
          [0.002, 0],
        ],
        [
          [0.01, 0],
          [0.011, 0],
        ],
      ],
      // A fix stamped a second before the one before it still plays forward.
      [
        [at('08:00:00'), at('08:00:10'), at('08:00:09')],
        [at('10:00:00'), at('10:30:00')],
      ],
    );
    const day = buildTrips([team()], walkedByTeam([team()], [{ planId: 'pl1', tracks: tracks(early) }]));
    expect(day.startMs).toBe(at('08:00:00'));
    expect(day.trips.map((t) => t.timestamps)).toEqual([
      [0, 10, 10],
      [7200, 9000],
    ]);
    expect(day.spanS).toBe(9000);
    // The plan still starts at 08:30: half an hour into this day.
    expect(day.planned[0].timestamps[0]).toBe(1800);
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
