import { describe, expect, it } from 'vitest';
import { accessLevel, ACCESS_CLOSED, ACCESS_OPEN, ACCESS_WALK_ONLY } from '../../../server/graph/profiles';
import { buildRoadGraph, roadsFromFeatures, type RoadInput } from '../../../server/graph/road-graph';
import { createRoutingEngine } from '../../../server/graph/routing-engine';
import { shortestPath } from '../../../server/graph/shortest-path';
import { decodeGraph, encodeGraph } from '../../../server/graph/graph-file';
import { at } from '../../fixtures/graph/tiny-roads';

// A short cut through a compound (S→T, 100 m) and the way round it on public streets (S→U→T, 300 m).
function roads(access: string | null): RoadInput[] {
  return [
    { id: 'through', class: 'service', oneway: 0, maxspeedKmh: null, access, coordinates: [at(0, 0), at(100, 0)] },
    { id: 'round-a', class: 'residential', oneway: 0, maxspeedKmh: null, coordinates: [at(0, 0), at(0, 100), at(50, 100)] },
    { id: 'round-b', class: 'residential', oneway: 0, maxspeedKmh: null, coordinates: [at(50, 100), at(100, 100), at(100, 0)] },
  ];
}
const S = at(0, 0);
const T = at(100, 0);

function roadsTaken(access: string | null, profile: 'walk' | 'ebike' | 'car'): string[] {
  const engine = createRoutingEngine(buildRoadGraph(roads(access)));
  return shortestPath(engine, profile, S, T).roadIds;
}

describe('OSM access', () => {
  it('reduces access values to open, walk-only and closed', () => {
    expect(accessLevel(null)).toBe(ACCESS_OPEN);
    expect(accessLevel('yes')).toBe(ACCESS_OPEN);
    expect(accessLevel('permissive')).toBe(ACCESS_OPEN);
    expect(accessLevel('private')).toBe(ACCESS_WALK_ONLY);
    expect(accessLevel('Destination')).toBe(ACCESS_WALK_ONLY);
    expect(accessLevel('customers')).toBe(ACCESS_WALK_ONLY);
    expect(accessLevel('no')).toBe(ACCESS_CLOSED);
  });

  it('lets everyone through an open short cut', () => {
    for (const p of ['walk', 'ebike', 'car'] as const) expect(roadsTaken(null, p)).toEqual(['through']);
  });

  it('keeps vehicles out of a private compound, but inspectors on foot may walk it', () => {
    expect(roadsTaken('private', 'walk')).toEqual(['through']);
    expect(roadsTaken('private', 'ebike')).toEqual(['round-a', 'round-b']);
    expect(roadsTaken('private', 'car')).toEqual(['round-a', 'round-b']);
  });

  it('keeps everyone off a road closed with access=no', () => {
    for (const p of ['walk', 'ebike', 'car'] as const) expect(roadsTaken('no', p)).toEqual(['round-a', 'round-b']);
  });

  it('survives the graph cache and comes from the roads layer', () => {
    const graph = buildRoadGraph(roads('private'));
    const back = decodeGraph(encodeGraph(graph, new Uint8Array(32))).graph;
    expect(Array.from(back.segAccess)).toEqual(Array.from(graph.segAccess));
    expect(Array.from(graph.segAccess)).toContain(ACCESS_WALK_ONLY);
    const fromLayer = roadsFromFeatures([
      { geometry: { type: 'LineString', coordinates: [S, T] }, properties: { id: 'x', class: 'service', oneway: 0, access: 'no' } },
    ]);
    expect(fromLayer[0].access).toBe('no');
  });
});
