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
});
