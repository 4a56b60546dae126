import { describe, expect, it } from 'vitest';
import { NoRouteError, SnapError } from '../../../server/graph/errors';
import { haversineM } from '../../../server/contract/geo';
import { matrix } from '../../../server/graph/matrix';
import { buildRoadGraph } from '../../../server/graph/road-graph';
import { createRoutingEngine } from '../../../server/graph/routing-engine';
import { shortestPath } from '../../../server/graph/shortest-path';
import { at, TINY_ROADS } from '../../fixtures/graph/tiny-roads';

const graph = buildRoadGraph(TINY_ROADS);
const engine = createRoutingEngine(graph);
const A = at(0, 0);
const C = at(200, 0);
const F = at(100, -80);

function lineLengthM(line: [number, number][]): number {
  let m = 0;
  for (let i = 1; i < line.length; i++) m += haversineM(line[i - 1][0], line[i - 1][1], line[i][0], line[i][1]);
  return m;
}

describe('noding', () => {
  it('makes nodes of road ends and shared vertices only; inner vertices stay geometry', () => {
    // A, B, C, F, G, H; D, E and the footway's middle vertex are geometry.
    expect(graph.nodeCount).toBe(6);
    expect(graph.segmentCount).toBe(5);
    const adec = graph.roadIds.indexOf('r-adec');
    const s = Array.from(graph.segRoad).indexOf(adec);
    expect(graph.geomOffsets[s + 1] - graph.geomOffsets[s]).toBe(4);
    expect(graph.segLengthDm[s]).toBe(4000);
  });

  it('splits a road that continues through a junction', () => {
    const g = buildRoadGraph([
      { id: 'x', class: 'residential', oneway: 0, maxspeedKmh: null, coordinates: [at(0, 0), at(50, 0), at(100, 0), at(200, 0)] },
      { id: 'y', class: 'residential', oneway: 0, maxspeedKmh: null, coordinates: [at(100, -100), at(100, 0), at(100, 100)] },
    ]);
    expect(g.nodeCount).toBe(5);
    expect(g.segmentCount).toBe(4);
  });
});

describe('routes on the tiny graph', () => {
  it('cars respect one-way, walkers do not', () => {
    const there = shortestPath(engine, 'car', A, C);
    expect(there.distanceM).toBe(200);
    expect(there.durationS).toBe(36); // 200 m at 20 km/h
    const back = shortestPath(engine, 'car', C, A);
    expect(back.distanceM).toBe(400); // around by D and E, B → A is one-way
    expect(back.durationS).toBe(72);
    expect(back.roadIds).toEqual(['r-adec']);
    const walk = shortestPath(engine, 'walk', C, A);
    expect(walk.distanceM).toBe(200);
    expect(walk.durationS).toBe(160); // 200 m at 4.5 km/h
  });

  it('starts and ends inside segments (phantom nodes), one-way included', () => {
    const p = at(50, 10);
    const car = shortestPath(engine, 'car', p, A);
    expect(car.snapped[0].distanceM).toBeCloseTo(10, 6);
    expect(car.snapped[0].fraction).toBeCloseTo(0.5, 9);
    expect(car.distanceM).toBe(550);
    expect(car.durationS).toBe(99);
    expect(car.coordinates[0][0]).toBeCloseTo(at(50, 0)[0], 9);
    expect(lineLengthM(car.coordinates)).toBeCloseTo(550, 1);
    expect(shortestPath(engine, 'walk', p, A).distanceM).toBe(50);
    // Both points on the one-way segment: forward along it, backward all the way round.
    expect(shortestPath(engine, 'car', at(40, 5), at(60, 5)).distanceM).toBe(20);
    const round = shortestPath(engine, 'car', at(60, 5), at(40, 5));
    expect(round.distanceM).toBe(580);
    expect(lineLengthM(round.coordinates)).toBeCloseTo(580, 1);
  });

  it('walks into a dead end that cars may not use', () => {
    const walk = shortestPath(engine, 'walk', A, F);
    expect(walk.distanceM).toBe(180);
    expect(walk.roadIds).toEqual(['r-ab', 'r-bf']);
    const car = shortestPath(engine, 'car', F, C);
    expect(car.snapped[0].distanceM).toBeCloseTo(80, 6);
    expect(car.distanceM).toBe(100);
  });

  it('agrees between the hierarchy and plain Dijkstra', () => {
    for (const profile of ['walk', 'ebike', 'car'] as const) {
      const pts = [A, C, at(50, 10), at(150, 90), at(10, 60), at(100, -70)];
      const ch = matrix(engine, profile, pts);
      const dj = matrix(engine, profile, pts, { method: 'dijkstra' });
      expect(Array.from(ch.costs)).toEqual(Array.from(dj.costs));
      for (let i = 0; i < pts.length; i++) expect(ch.durationsS[i * pts.length + i]).toBe(0);
    }
  });
});

describe('snapping and disconnected pieces', () => {
  it('names a point beyond the limit', () => {
    expect(() => shortestPath(engine, 'walk', A, at(1000, 1000))).toThrow(SnapError);
    try {
      matrix(engine, 'car', [A, at(50, 10)], { maxDistanceM: 5 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SnapError);
      expect((err as SnapError).pointIndex).toBe(1);
      expect((err as SnapError).status).toBe(422);
      expect((err as Error).message).toContain('#1');
      expect((err as Error).message).toContain('limit 5 m');
    }
  });

  it('reports unreachable pairs of an isolated piece, never a number', () => {
    const m = matrix(engine, 'walk', [A, at(1050, 1000)], { component: 'any' });
    expect(m.unreachable).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(m.durationsS[1]).toBe(-1);
    expect(Number.isNaN(m.distancesM[1])).toBe(true);
    expect(m.durationsS[3]).toBe(0);
    const dj = matrix(engine, 'walk', [A, at(1050, 1000)], { component: 'any', method: 'dijkstra' });
    expect(dj.unreachable).toEqual(m.unreachable);
    expect(() => shortestPath(engine, 'walk', A, at(1050, 1000), { component: 'any' })).toThrow(NoRouteError);
  });

  it('errors on any point of a city without roads', () => {
    const empty = createRoutingEngine(buildRoadGraph([]));
    expect(matrix(empty, 'walk', []).size).toBe(0);
    expect(() => matrix(empty, 'car', [A])).toThrow(SnapError);
  });
});

describe('roads layer features', () => {
  it('become graph input, one per line of a MultiLineString, with one-way and maxspeed defaults', async () => {
    const { roadsFromFeatures } = await import('../../../server/graph/road-graph');
    const input = roadsFromFeatures([
      { geometry: { type: 'LineString', coordinates: [A, C] }, properties: { id: 'r1', class: 'primary', oneway: -1, maxspeedKmh: 50 } },
      {
        geometry: {
          type: 'MultiLineString',
          coordinates: [
            [A, F],
            [F, C],
          ],
        },
        properties: { id: 'r2', class: 'service' },
      },
      { geometry: { type: 'Point', coordinates: A }, properties: { id: 'r3', class: 'service' } },
    ]);
    expect(input).toEqual([
      { id: 'r1', class: 'primary', oneway: -1, maxspeedKmh: 50, access: null, coordinates: [A, C] },
      { id: 'r2', class: 'service', oneway: 0, maxspeedKmh: null, access: null, coordinates: [A, F] },
      { id: 'r2', class: 'service', oneway: 0, maxspeedKmh: null, access: null, coordinates: [F, C] },
    ]);
    // oneway -1 runs against the line: a car goes C → A directly but not A → C. (A single one-way
    // street is no strongly connected component, so snapping must allow any piece.)
    const e = createRoutingEngine(buildRoadGraph(input.slice(0, 1)));
    expect(() => shortestPath(e, 'car', C, A)).toThrow(SnapError);
    expect(shortestPath(e, 'car', C, A, { component: 'any' }).distanceM).toBe(200);
    expect(() => shortestPath(e, 'car', A, C, { component: 'any' })).toThrow(NoRouteError);
  });
});
