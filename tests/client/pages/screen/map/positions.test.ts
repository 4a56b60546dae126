import { describe, expect, it } from 'vitest';
import { teamMarkers } from '../../../../../client/src/pages/screen/map/positions';
import { TRACK_FADE_MS } from '../../../../../server/contract/track-rules';
import type { TeamPositions } from '../../../../../server/contract/tracks';

const NOW = Date.parse('2026-11-26T10:00:00+08:00');
const iso = (ms: number) => new Date(ms).toISOString();
const positions: TeamPositions = {
  date: '2026-11-26',
  teams: [
    { planId: 'pl1', team: 0, name: '第一组', color: '#e4572e', position: { lngLat: [116, 36], at: iso(NOW - 60_000) } },
    { planId: 'pl1', team: 1, name: '第二组', color: '#2e86ab', position: { lngLat: [116.1, 36], at: iso(NOW - TRACK_FADE_MS - 60_000) } },
  ],
};
const routes = [
  { planId: 'pl1', team: 0, name: '第一组', color: '#e4572e' },
  { planId: 'pl2', team: 0, name: '东区组', color: '#17a398' },
];

describe('team markers on the big screen', () => {
  it('marks each team at its answered position in its colour, faded once silent for TRACK_FADE_MS', () => {
    const markers = teamMarkers(positions, [], routes, NOW);
    expect(markers.map((m) => [m.key, m.name, m.color, m.lngLat, m.faded])).toEqual([
      ['pl1:0', '第一组', [228, 87, 46], [116, 36], false],
      ['pl1:1', '第二组', [46, 134, 171], [116.1, 36], true],
    ]);
  });

  it('moves a team with a newer event, names a team from the routes, and drops unknown teams', () => {
    const markers = teamMarkers(
      positions,
      [
        { planId: 'pl1', team: 1, lng: 116.2, lat: 36.1, at: iso(NOW - 5_000) },
        { planId: 'pl1', team: 0, lng: 117, lat: 37, at: iso(NOW - 120_000) },
        { planId: 'pl2', team: 0, lng: 116.3, lat: 36, at: iso(NOW - 1_000) },
        { planId: 'pl9', team: 0, lng: 116.4, lat: 36, at: iso(NOW - 1_000) },
      ],
      routes,
      NOW,
    );
    // In the routes' order, then by plan and team.
    expect(markers.map((m) => [m.key, m.lngLat, m.faded])).toEqual([
      ['pl1:0', [116, 36], false],
      ['pl2:0', [116.3, 36], false],
      ['pl1:1', [116.2, 36.1], false],
    ]);
    expect(markers[1].name).toBe('东区组');
  });

  it('shows no position of another day (a wall left on past midnight)', () => {
    const tomorrow = Date.parse('2026-11-27T00:10:00+08:00');
    expect(teamMarkers(positions, [], routes, tomorrow)).toEqual([]);
    expect(teamMarkers(null, [], routes, NOW)).toEqual([]);
  });
});
