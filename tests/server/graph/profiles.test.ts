import { describe, expect, it } from 'vitest';
import { profileRespectsOneway, profileSpeedKmh, roadClassIndex } from '../../../server/graph/profiles';
import { buildRoadGraph } from '../../../server/graph/road-graph';
import { createRoutingEngine } from '../../../server/graph/routing-engine';
import { shortestPath } from '../../../server/graph/shortest-path';
import { at, TINY_ROADS } from '../../fixtures/graph/tiny-roads';

const speed = (profile: 'walk' | 'ebike' | 'car', cls: string, maxspeed = 0) => profileSpeedKmh(profile, roadClassIndex(cls), maxspeed);

describe('profiles', () => {
  it('keeps each profile on the roads it may use', () => {
    expect(speed('walk', 'steps')).toBe(4.5);
    expect(speed('walk', 'motorway')).toBe(0);
    expect(speed('ebike', 'steps')).toBe(0);
    expect(speed('ebike', 'motorway')).toBe(0);
    expect(speed('ebike', 'primary')).toBe(12);
    expect(speed('ebike', 'footway')).toBe(5);
    for (const cls of ['footway', 'path', 'steps', 'pedestrian', 'cycleway', 'no-such-class']) expect(speed('car', cls)).toBe(0);
    expect(speed('car', 'residential')).toBe(20);
    expect(speed('car', 'primary', 60)).toBe(45);
    expect(speed('walk', 'no-such-class')).toBe(4.5);
  });

  it('applies one-way to e-bikes and cars, not to walkers', () => {
    expect(profileRespectsOneway('walk')).toBe(false);
    expect(profileRespectsOneway('ebike')).toBe(true);
    expect(profileRespectsOneway('car')).toBe(true);
  });

  it('pushes e-bikes along footways at walking pace', () => {
    const engine = createRoutingEngine(buildRoadGraph(TINY_ROADS));
    // 100 m at 12 km/h (30 s) + 80 m of footway at 5 km/h (57.6 s).
    const r = shortestPath(engine, 'ebike', at(0, 0), at(100, -80));
    expect(r.distanceM).toBe(180);
    expect(r.durationS).toBe(88);
    // C → A against the one-way A → B: around by D and E.
    expect(shortestPath(engine, 'ebike', at(200, 0), at(0, 0)).distanceM).toBe(400);
  });
});
