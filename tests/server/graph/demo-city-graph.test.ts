import { describe, expect, it } from 'vitest';
import { generateRoads } from '../../../scripts/demo-city/generate';
import { DijkstraSearch } from '../../../server/graph/dijkstra';
import { haversineM } from '../../../server/contract/geo';
import { matrix } from '../../../server/graph/matrix';
import { PROFILES } from '../../../server/graph/profiles';
import { buildRoadGraph, type RoadInput } from '../../../server/graph/road-graph';
import { createRoutingEngine } from '../../../server/graph/routing-engine';
import { shortestPath } from '../../../server/graph/shortest-path';
import { randomPoints } from '../../fixtures/graph/random-points';

const { roads, bbox } = generateRoads({ seed: 1, scale: 1 });
const input: RoadInput[] = roads.map((r) => ({ id: r.id, class: r.cls, oneway: r.oneway, maxspeedKmh: r.maxspeedKmh, coordinates: r.coords }));
const graph = buildRoadGraph(input);
const engine = createRoutingEngine(graph);
// Seeded points over the whole city (every one lies within the snapping limit of a street).
const points = randomPoints(90, bbox, 7);

function lineLengthM(line: [number, number][]): number {
  let m = 0;
  for (let i = 1; i < line.length; i++) m += haversineM(line[i - 1][0], line[i - 1][1], line[i][0], line[i][1]);
  return m;
}

describe('demo city graph', () => {
  it('has one segment per road, since the generator splits roads at junctions', () => {
    expect(graph.segmentCount).toBe(roads.length);
    expect(graph.nodeCount).toBeGreaterThan(3000);
  });

  it('gives the same graph when roads are merged into ways that run through junctions', () => {
    // Join each road with a following one that starts where it ends (OSM-style long ways).
    const merged: RoadInput[] = [];
    const used = new Set<number>();
    const startsAt = new Map<string, number[]>();
    input.forEach((r, i) => {
      const k = r.coordinates[0].join(',');
      startsAt.set(k, [...(startsAt.get(k) ?? []), i]);
    });
    input.forEach((r, i) => {
      if (used.has(i)) return;
      used.add(i);
      const end = r.coordinates[r.coordinates.length - 1].join(',');
      const next = (startsAt.get(end) ?? []).find(
        (j) => !used.has(j) && input[j].class === r.class && input[j].oneway === r.oneway && input[j].maxspeedKmh === r.maxspeedKmh,
      );
      if (next === undefined) {
        merged.push(r);
        return;
      }
      used.add(next);
      merged.push({ ...r, coordinates: [...r.coordinates, ...input[next].coordinates.slice(1)] });
    });
    expect(merged.length).toBeLessThan(input.length);
    const g2 = buildRoadGraph(merged);
    expect(g2.nodeCount).toBe(graph.nodeCount);
    expect(g2.segmentCount).toBe(graph.segmentCount);
    const e2 = createRoutingEngine(g2);
    const pts = points.slice(0, 20);
    const a = matrix(engine, 'car', pts, { method: 'dijkstra' });
    const b = matrix(e2, 'car', pts, { method: 'dijkstra' });
    expect(Array.from(b.durationsS)).toEqual(Array.from(a.durationsS));
  });

  for (const profile of PROFILES) {
    it(`${profile}: contraction-hierarchy matrix equals plain Dijkstra on random pairs`, () => {
      const ch = matrix(engine, profile, points);
      const dj = matrix(engine, profile, points, { method: 'dijkstra' });
      expect(ch.costs).toEqual(dj.costs);
      expect(ch.unreachable).toEqual([]);
      // A route is at least as long as the straight line and never free.
      for (let i = 0; i < 10; i++) {
        const j = points.length - 1 - i;
        const straight = haversineM(ch.snapped[i].lngLat[0], ch.snapped[i].lngLat[1], ch.snapped[j].lngLat[0], ch.snapped[j].lngLat[1]);
        expect(ch.distancesM[i * points.length + j]).toBeGreaterThanOrEqual(straight - 0.5);
      }
    });

    it(`${profile}: from junction to junction, the matrix equals a search from the junction itself`, () => {
      // A point on a junction snaps to the end of one of its segments, maybe a one-way one; it must
      // still leave and arrive by every street of the junction (pgRouting found this: +347 s errors).
      const view = engine.view(profile);
      // Junctions at the ends of one-way streets, where the snapped segment may be the one-way one.
      const nodes: number[] = [];
      for (let s = 0; nodes.length < 60 && s < graph.segmentCount; s++) {
        if (graph.segOneway[s] === 0) continue;
        for (const v of [graph.segFrom[s], graph.segTo[s]]) if (view.mainComponent[v] && !nodes.includes(v)) nodes.push(v);
      }
      expect(nodes.length).toBeGreaterThan(20);
      const pts = nodes.map((v) => [graph.coords[2 * v], graph.coords[2 * v + 1]] as [number, number]);
      const m = matrix(engine, profile, pts);
      const search = new DijkstraSearch(view);
      for (let i = 0; i < nodes.length; i++) {
        search.run([nodes[i]], [0], null);
        for (let j = 0; j < nodes.length; j++) expect(m.costs[i * nodes.length + j], `${i} → ${j}`).toBe(search.dist[nodes[j]]);
      }
      // And the route's line starts and ends at the junctions, as long as its distance says.
      for (let i = 0; i < 10; i++) {
        const r = shortestPath(engine, profile, pts[i], pts[pts.length - 1 - i]);
        expect(r.coordinates[0]).toEqual(pts[i]);
        expect(r.coordinates[r.coordinates.length - 1]).toEqual(pts[pts.length - 1 - i]);
        expect(Math.abs(lineLengthM(r.coordinates) - r.distanceM)).toBeLessThan(1);
      }
    });

    it(`${profile}: routes equal Dijkstra's and their geometry is as long as their distance`, () => {
      const m = matrix(engine, profile, points.slice(0, 12));
      for (let i = 0; i < 6; i++) {
        const j = 11 - i;
        const route = shortestPath(engine, profile, points[i], points[j]);
        const ref = shortestPath(engine, profile, points[i], points[j], { method: 'dijkstra' });
        expect(route.cost).toBe(ref.cost);
        expect(route.cost).toBe(m.costs[i * 12 + j]);
        expect(lineLengthM(route.coordinates)).toBeCloseTo(route.distanceM, -1);
        expect(route.coordinates[0]).toEqual(route.snapped[0].lngLat);
      }
    });
  }
});
