import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeGraph, encodeGraph, GraphFileError } from '../../../server/graph/graph-file';
import { graphCachePath, hashRoads, loadRoadGraph } from '../../../server/graph/load-graph';
import { matrix } from '../../../server/graph/matrix';
import { buildRoadGraph } from '../../../server/graph/road-graph';
import { createRoutingEngine } from '../../../server/graph/routing-engine';
import { generateRoads } from '../../../scripts/demo-city/generate';
import { randomPoints } from '../../fixtures/graph/random-points';
import { at, TINY_ROADS } from '../../fixtures/graph/tiny-roads';

const dir = mkdtempSync(join(tmpdir(), 'xuncha-graph-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('graph cache', () => {
  it('sits next to the database', () => {
    expect(graphCachePath('/data/xuncha.db')).toBe('/data/xuncha.graph.bin');
  });

  it('round-trips the graph and its hierarchies exactly', () => {
    const { roads, bbox } = generateRoads({ seed: 2, scale: 0.5 });
    const input = roads.map((r) => ({ id: r.id, class: r.cls, oneway: r.oneway, maxspeedKmh: r.maxspeedKmh, coordinates: r.coords }));
    const cachePath = join(dir, 'demo.graph.bin');
    const first = loadRoadGraph({ cachePath, roads: input });
    expect(first.fromCache).toBe(false);
    expect(first.rebuiltBecause).toBe('no cache file yet');
    const second = loadRoadGraph({ cachePath, roads: input });
    expect(second.fromCache).toBe(true);
    const built = buildRoadGraph(input);
    expect(second.graph).toEqual(built);
    for (const p of ['walk', 'ebike', 'car'] as const) {
      const a = first.engine.hierarchy(p);
      const b = second.engine.hierarchy(p);
      expect(b.rank).toEqual(a.rank);
      expect(b.upWeights).toEqual(a.upWeights);
      expect(b.downEdges).toEqual(a.downEdges);
      expect(b.edgeB).toEqual(a.edgeB);
      const pts = randomPoints(25, bbox, 3);
      expect(matrix(second.engine, p, pts).costs).toEqual(matrix(createRoutingEngine(built), p, pts, { method: 'dijkstra' }).costs);
    }
  });

  it('with a key (the city stamp), reads no roads when the cache is good, and rebuilds for another key', () => {
    const cachePath = join(dir, 'keyed.graph.bin');
    let reads = 0;
    const roads = () => {
      reads++;
      return TINY_ROADS;
    };
    expect(loadRoadGraph({ cachePath, roads, key: 'city:a' }).fromCache).toBe(false);
    expect(reads).toBe(1);
    const again = loadRoadGraph({ cachePath, roads, key: 'city:a' });
    expect(again.fromCache).toBe(true);
    expect(reads).toBe(1);
    expect(again.graph).toEqual(buildRoadGraph(TINY_ROADS));
    const other = loadRoadGraph({ cachePath, roads, key: 'city:b' });
    expect(other.fromCache).toBe(false);
    expect(other.rebuiltBecause).toBe('the roads changed');
    expect(reads).toBe(2);
  });

  it('is rebuilt when the roads change, and when the file is damaged or of another version', () => {
    const cachePath = join(dir, 'tiny.graph.bin');
    expect(loadRoadGraph({ cachePath, roads: TINY_ROADS }).fromCache).toBe(false);
    expect(loadRoadGraph({ cachePath, roads: TINY_ROADS }).fromCache).toBe(true);
    // Turn the one-way street both ways: the car route from C to A gets shorter.
    const changed = TINY_ROADS.map((r) => (r.id === 'r-ab' ? { ...r, oneway: 0 as const } : r));
    const reloaded = loadRoadGraph({ cachePath, roads: changed });
    expect(reloaded.fromCache).toBe(false);
    expect(reloaded.rebuiltBecause).toBe('the roads changed');
    expect(matrix(reloaded.engine, 'car', [at(200, 0), at(0, 0)]).distancesM[1]).toBe(200);
    expect(loadRoadGraph({ cachePath, roads: changed }).fromCache).toBe(true);

    const bytes = readFileSync(cachePath);
    writeFileSync(cachePath, bytes.subarray(0, 100));
    const truncated = loadRoadGraph({ cachePath, roads: changed });
    expect(truncated.fromCache).toBe(false);
    expect(truncated.rebuiltBecause).toMatch(/truncated/);

    const other = Buffer.from(readFileSync(cachePath));
    other.writeUInt32LE(999, 4);
    writeFileSync(cachePath, other);
    expect(loadRoadGraph({ cachePath, roads: changed }).rebuiltBecause).toMatch(/version 999/);
    writeFileSync(cachePath, 'not a graph at all, just text that is long enough to hold a header....');
    expect(loadRoadGraph({ cachePath, roads: changed }).rebuiltBecause).toMatch(/magic/);
  });

  it('hashes what routing depends on', () => {
    const h = hashRoads(TINY_ROADS);
    expect(hashRoads(TINY_ROADS.map((r) => ({ ...r })))).toEqual(h);
    expect(hashRoads(TINY_ROADS.map((r) => (r.id === 'r-bc' ? { ...r, class: 'footway' } : r)))).not.toEqual(h);
    expect(hashRoads(TINY_ROADS.map((r) => (r.id === 'r-bc' ? { ...r, coordinates: [at(100, 0), at(200, 1)] } : r)))).not.toEqual(h);
  });

  it('rejects a buffer that is not a graph', () => {
    const g = buildRoadGraph(TINY_ROADS);
    const bytes = encodeGraph(g, new Uint8Array(32));
    expect(decodeGraph(bytes).graph).toEqual(g);
    const bad = bytes.slice();
    bad[0] = 0;
    expect(() => decodeGraph(bad)).toThrow(GraphFileError);
  });
});
