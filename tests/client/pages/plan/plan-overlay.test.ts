import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../../client/src/api/plans';
import type { LngLat } from '../../../../client/src/api/types';
import { planMapOverlay } from '../../../../client/src/pages/plan/plan-overlay';
import { TEAM_COLORS } from '../../../../server/contract/team-colors';

const teams = [
  { name: 'A', start: [116, 36] as LngLat, end: null, shiftStart: '08:30', budgetH: 1 },
  { name: 'B', start: [116.1, 36] as LngLat, end: [116.2, 36] as LngLat, shiftStart: '09:00', budgetH: 2 },
];
const area: LngLat[] = [
  [116, 36],
  [116.1, 36],
  [116.1, 36.1],
];
const base = { plan: null, teams, polygon: null, drawing: null, startMark: '起', endMark: '终' };
const kinds = (fc: GeoJSON.FeatureCollection) => fc.features.map((f) => `${f.geometry.type}:${String(f.properties?.label ?? f.properties?.color)}`);

describe('planner map overlay', () => {
  it('without a plan, marks each team’s start and end in its colour', () => {
    expect(kinds(planMapOverlay(base))).toEqual([`Point:起`, `Point:起`, `Point:终`]);
    expect(planMapOverlay(base).features.map((f) => f.properties?.color)).toEqual([TEAM_COLORS[0], TEAM_COLORS[1], TEAM_COLORS[1]]);
  });

  it('draws a finished area closed and an area being drawn open, with its vertices', () => {
    const closed = planMapOverlay({ ...base, teams: [], polygon: area });
    const line = closed.features.find((f) => f.geometry.type === 'LineString')!.geometry as GeoJSON.LineString;
    expect(line.coordinates).toEqual([...area, area[0]]);
    expect(closed.features.filter((f) => f.geometry.type === 'Point')).toHaveLength(3);
    // While drawing, the clicks so far replace the form's area.
    const open = planMapOverlay({ ...base, teams: [], polygon: area, drawing: area.slice(0, 2) });
    expect((open.features[0].geometry as GeoJSON.LineString).coordinates).toEqual(area.slice(0, 2));
    expect(planMapOverlay({ ...base, teams: [], polygon: area, drawing: [] }).features).toEqual([]);
  });

  it('with a plan, draws its routes and numbered stops instead of the form’s teams', () => {
    const plan = {
      teams: [
        {
          name: 'A',
          color: '#d1495b',
          start: [116, 36],
          end: null,
          geometry: {
            type: 'LineString',
            coordinates: [
              [116, 36],
              [116.01, 36],
            ],
          },
          stops: [{ id: 'a', seq: 1, lngLat: [116.01, 36] }],
        },
      ],
      dropped: [],
    } as unknown as Plan;
    expect(kinds(planMapOverlay({ ...base, plan }))).toEqual(['LineString:#d1495b', 'Point:起', 'Point:1']);
  });

  describe('with walked tracks', () => {
    const line = (x0: number, x1: number) => ({
      type: 'LineString',
      coordinates: [
        [x0, 36],
        [x1, 36],
      ],
    });
    const plan = {
      teams: [
        { name: 'A', color: '#d1495b', start: [116, 36], end: null, geometry: line(116, 116.01), stops: [{ id: 'a', seq: 1, lngLat: [116.01, 36] }] },
        { name: 'B', color: '#2e86ab', start: [116.1, 36], end: null, geometry: line(116.1, 116.11), stops: [{ id: 'b', seq: 1, lngLat: [116.11, 36] }] },
      ],
      dropped: [],
    } as unknown as Plan;
    const walked = {
      type: 'FeatureCollection' as const,
      features: [
        {
          type: 'Feature' as const,
          geometry: {
            type: 'MultiLineString' as const,
            coordinates: [
              [
                [116, 36.0001],
                [116.004, 36.0001],
              ],
              [
                [116.006, 36.0001],
                [116.01, 36.0001],
              ],
            ] as [number, number][][],
          },
          properties: {
            team: 0,
            name: 'A',
            color: '#d1495b',
            walkedM: 800,
            times: [
              [1, 2],
              [3, 4],
            ],
          },
        },
      ],
    };
    const lines = (fc: GeoJSON.FeatureCollection) =>
      fc.features
        .filter((f) => f.geometry.type === 'LineString')
        .map((f) => ({ color: f.properties?.color, dashed: f.properties?.dashed ?? false, width: f.properties?.width }));

    it('dashes the walked team’s planned route and draws each walked part solid in its colour, before the points', () => {
      const fc = planMapOverlay({ ...base, plan, walked });
      expect(lines(fc)).toEqual([
        { color: '#d1495b', dashed: true, width: 4 },
        { color: '#2e86ab', dashed: false, width: 4 },
        { color: '#d1495b', dashed: false, width: 5 },
        { color: '#d1495b', dashed: false, width: 5 },
      ]);
      const firstPoint = fc.features.findIndex((f) => f.geometry.type === 'Point');
      expect(fc.features.slice(firstPoint).every((f) => f.geometry.type === 'Point')).toBe(true);
      // Without tracks the plan is drawn as before.
      expect(lines(planMapOverlay({ ...base, plan, walked: { type: 'FeatureCollection', features: [] } })).map((l) => l.dashed)).toEqual([false, false]);
    });

    it('draws each team’s latest position over the stops, grey and see-through once faded', () => {
      const fc = planMapOverlay({
        ...base,
        plan,
        positions: [
          { team: 0, lngLat: [116.005, 36], faded: false },
          { team: 1, lngLat: [116.105, 36], faded: true },
          { team: 7, lngLat: [0, 0], faded: false },
        ],
      });
      const dots = fc.features.filter((f) => f.properties?.position !== undefined);
      expect(dots.map((f) => [f.properties?.position, f.properties?.color])).toEqual([
        [0, '#d1495b'],
        [1, 'rgba(148, 163, 184, 0.55)'],
      ]);
      // A live position has a see-through halo of its colour under the dot; a faded one has none.
      const halos = fc.features.filter((f) => f.properties?.halo !== undefined);
      expect(halos.map((f) => [f.properties?.halo, f.properties?.color])).toEqual([[0, '#d1495b4d']]);
      expect(fc.features.slice(-3)).toEqual([halos[0], dots[0], dots[1]]);
    });
  });
});
