import { describe, expect, it } from 'vitest';
import { matrix } from '../../../server/graph/matrix';
import { PROFILES } from '../../../server/graph/profiles';
import { buildRoadGraph } from '../../../server/graph/road-graph';
import { createRoutingEngine } from '../../../server/graph/routing-engine';
import { shortestPath } from '../../../server/graph/shortest-path';
import { NANJING_GEOJSON, readOsmGeojsonRoads } from '../../fixtures/graph/osm-geojson-roads';
import { randomPoints } from '../../fixtures/graph/random-points';

const roads = readOsmGeojsonRoads(NANJING_GEOJSON);
/** The dense core of the extract (its README), where the roads are complete. */
const CORE: [number, number, number, number] = [118.763, 32.035, 118.797, 32.053];

describe('real extract: Nanjing 新街口 (tests/fixtures/osm-extracts/nanjing-xinjiekou-2021.geojson)', () => {
  const graph = buildRoadGraph(roads);
  const engine = createRoutingEngine(graph);
  const points = randomPoints(80, CORE, 11);

  it('nodes OSM ways at their shared nodes', () => {
    expect(graph.segmentCount).toBeGreaterThan(roads.length);
  });

  for (const profile of PROFILES) {
    it(`${profile}: contraction-hierarchy matrix equals plain Dijkstra; disconnected pieces give no numbers`, () => {
      const ch = matrix(engine, profile, points);
      const dj = matrix(engine, profile, points, { method: 'dijkstra' });
      expect(ch.costs).toEqual(dj.costs);
      // Snapped to the largest component, every pair is routable.
      expect(ch.unreachable).toEqual([]);
      const any = matrix(engine, profile, points, { component: 'any' });
      const anyDj = matrix(engine, profile, points, { component: 'any', method: 'dijkstra' });
      expect(any.costs).toEqual(anyDj.costs);
      expect(any.unreachable).toEqual(anyDj.unreachable);
      for (const [i, j] of any.unreachable) expect(any.durationsS[i * points.length + j]).toBe(-1);
    });

    it(`${profile}: routes equal Dijkstra's`, () => {
      for (let i = 0; i < 8; i++) {
        const a = shortestPath(engine, profile, points[i], points[79 - i]);
        const b = shortestPath(engine, profile, points[i], points[79 - i], { method: 'dijkstra' });
        expect(a.cost).toBe(b.cost);
        expect(a.coordinates.length).toBeGreaterThanOrEqual(2);
      }
    });
  }
});
