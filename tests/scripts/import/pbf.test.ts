import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { PbfWriter } from 'pbf';
import { afterAll, describe, expect, it } from 'vitest';
import { buildLayers, OSM_ATTRIBUTION } from '../../../scripts/import/build-layers';
import { resolveElements, SkipLog } from '../../../scripts/import/elements';
import { OsmStore, type Member, type OsmSink, type Tags } from '../../../scripts/import/osm-store';
import { readOsmPbf } from '../../../scripts/import/read-osm-pbf';
import { readOsmXml } from '../../../scripts/import/read-osm-xml';
import { CREATED_AT, OSM_FIXTURES, tempDir } from './helpers';

/*
 * A tiny PBF written here, deterministically, from the XML fixtures with an independent encoder that
 * follows the spec (https://wiki.openstreetmap.org/wiki/PBF_Format): nodes as DenseNodes (and one as a
 * plain Node), non-default granularity and lat/lon offsets, zlib blobs, ways and relations in their own
 * block. The PBF must give exactly the layers the XML gives.
 */

interface Recorded {
  nodes: { id: number; lng: number; lat: number; tags: Tags | null }[];
  ways: { id: number; refs: number[]; tags: Tags | null }[];
  relations: { id: number; members: Member[]; tags: Tags | null }[];
}

async function record(file: string): Promise<Recorded> {
  const r: Recorded = { nodes: [], ways: [], relations: [] };
  const sink: OsmSink = {
    node: (id, lng, lat, tags) => r.nodes.push({ id, lng, lat, tags }),
    way: (id, refs, tags) => r.ways.push({ id, refs: Array.from(refs), tags }),
    relation: (id, members, tags) => r.relations.push({ id, members, tags }),
  };
  await readOsmXml(join(OSM_FIXTURES, file), sink);
  return r;
}

const GRANULARITY = 1000; // 1e-6°: the fixtures' coordinates have at most 4 decimals
const LAT_OFFSET = 32_000_000_000; // nanodegrees
const LON_OFFSET = 118_000_000_000;

function encodePbf(r: Recorded): Buffer {
  const strings = [''];
  const sid = (s: string) => {
    let i = strings.indexOf(s);
    if (i < 0) i = strings.push(s) - 1;
    return i;
  };
  const lat = (v: number) => Math.round((v * 1e9 - LAT_OFFSET) / GRANULARITY);
  const lon = (v: number) => Math.round((v * 1e9 - LON_OFFSET) / GRANULARITY);
  const kv = (tags: Tags | null) => Object.entries(tags ?? {}).map(([k, v]) => [sid(k), sid(v)]);
  const delta = (xs: number[]) => xs.map((x, i) => (i === 0 ? x : x - xs[i - 1]));

  const [plain, ...dense] = r.nodes;
  const nodeGroup = new PbfWriter();
  nodeGroup.writeMessage(
    1,
    (n: typeof plain, w) => {
      w.writeSVarintField(1, n.id);
      const t = kv(n.tags);
      w.writePackedVarint(
        2,
        t.map((x) => x[0]),
      );
      w.writePackedVarint(
        3,
        t.map((x) => x[1]),
      );
      w.writeSVarintField(8, lat(n.lat));
      w.writeSVarintField(9, lon(n.lng));
    },
    plain,
  );
  const denseGroup = new PbfWriter();
  denseGroup.writeMessage(
    2,
    (ns: typeof dense, w) => {
      w.writePackedSVarint(1, delta(ns.map((n) => n.id)));
      w.writePackedSVarint(8, delta(ns.map((n) => lat(n.lat))));
      w.writePackedSVarint(9, delta(ns.map((n) => lon(n.lng))));
      w.writePackedVarint(
        10,
        ns.flatMap((n) => [...kv(n.tags).flat(), 0]),
      );
    },
    dense,
  );
  const wayGroup = new PbfWriter();
  for (const way of r.ways) {
    wayGroup.writeMessage(
      3,
      (x: typeof way, w) => {
        w.writeVarintField(1, x.id);
        const t = kv(x.tags);
        w.writePackedVarint(
          2,
          t.map((y) => y[0]),
        );
        w.writePackedVarint(
          3,
          t.map((y) => y[1]),
        );
        w.writePackedSVarint(8, delta(x.refs));
      },
      way,
    );
  }
  for (const rel of r.relations) {
    wayGroup.writeMessage(
      4,
      (x: typeof rel, w) => {
        w.writeVarintField(1, x.id);
        const t = kv(x.tags);
        w.writePackedVarint(
          2,
          t.map((y) => y[0]),
        );
        w.writePackedVarint(
          3,
          t.map((y) => y[1]),
        );
        w.writePackedVarint(
          8,
          x.members.map((m) => sid(m.role)),
        );
        w.writePackedSVarint(9, delta(x.members.map((m) => m.ref)));
        w.writePackedVarint(
          10,
          x.members.map((m) => ['node', 'way', 'relation'].indexOf(m.type)),
        );
      },
      rel,
    );
  }

  const block = (groups: PbfWriter[]) => {
    const w = new PbfWriter();
    w.writeMessage(1, (ss: string[], sw) => ss.forEach((s) => sw.writeBytesField(1, new TextEncoder().encode(s))), strings);
    for (const g of groups) w.writeBytesField(2, g.finish());
    w.writeVarintField(17, GRANULARITY);
    w.writeVarintField(19, LAT_OFFSET);
    w.writeVarintField(20, LON_OFFSET);
    return w.finish();
  };
  const header = new PbfWriter();
  header.writeStringField(4, 'OsmSchema-V0.6');
  header.writeStringField(4, 'DenseNodes');

  const out: Buffer[] = [];
  const blob = (type: string, data: Uint8Array) => {
    const b = new PbfWriter();
    b.writeVarintField(2, data.length);
    b.writeBytesField(3, deflateSync(data));
    const body = b.finish();
    const h = new PbfWriter();
    h.writeStringField(1, type);
    h.writeVarintField(3, body.length);
    const head = h.finish();
    const len = Buffer.alloc(4);
    len.writeUInt32BE(head.length);
    out.push(len, Buffer.from(head), Buffer.from(body));
  };
  blob('OSMHeader', header.finish());
  // Nodes in one block, ways and relations in another (the string table is shared for simplicity).
  blob('OSMData', block([nodeGroup, denseGroup]));
  blob('OSMData', block([wayGroup]));
  return Buffer.concat(out);
}

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function layersVia(file: string, format: 'xml' | 'pbf') {
  const store = new OsmStore();
  if (format === 'xml') await readOsmXml(join(OSM_FIXTURES, file), store);
  else {
    const pbf = join(dir, `${file}.pbf`);
    writeFileSync(pbf, encodePbf(await record(file)));
    readOsmPbf(pbf, store);
  }
  const skipped = new SkipLog();
  const layers = buildLayers(resolveElements(store, skipped), { name: 't', source: 'osm', attribution: OSM_ATTRIBUTION, createdAt: CREATED_AT }, skipped);
  return { layers, skipped: skipped.toJSON(), counts: store.counts };
}

describe('OSM PBF reader', () => {
  for (const file of ['roads.osm', 'places.osm', 'subdistrict-boundary.osm']) {
    it(`${file} written as PBF gives exactly the layers of the XML`, async () => {
      const xml = await layersVia(file, 'xml');
      const pbf = await layersVia(file, 'pbf');
      expect(pbf.counts).toEqual(xml.counts);
      expect(pbf.layers).toEqual(xml.layers);
      expect(pbf.skipped).toEqual(xml.skipped);
      expect(xml.layers.roads.length).toBeGreaterThan(0);
    });
  }

  it('refuses a blob with an unsupported compression, naming its byte offset', () => {
    const b = new PbfWriter();
    b.writeVarintField(2, 10);
    b.writeBytesField(4, new Uint8Array([1, 2, 3])); // lzma_data
    const body = b.finish();
    const h = new PbfWriter();
    h.writeStringField(1, 'OSMData');
    h.writeVarintField(3, body.length);
    const head = h.finish();
    const len = Buffer.alloc(4);
    len.writeUInt32BE(head.length);
    const file = join(dir, 'lzma.osm.pbf');
    writeFileSync(file, Buffer.concat([len, head, body]));
    expect(() => readOsmPbf(file, new OsmStore())).toThrow('lzma.osm.pbf: blob at byte 0: unsupported blob compression (field 4)');
  });
});

describe('OsmStore', () => {
  it('finds nodes and ways by id when the file is not sorted by id', () => {
    const store = new OsmStore();
    store.node(30, 118.3, 32.3, null);
    store.node(10, 118.1, 32.1, null);
    store.node(20, 118.2, 32.2, null);
    store.way(9, [20, 30, 99], { highway: 'service' });
    store.way(3, [10, 20], null);
    expect(store.nodeCoord(10)).toEqual([118.1, 32.1]);
    expect(store.nodeCoord(99)).toBeNull();
    expect(store.wayCoords(store.wayRow(9))).toEqual({
      coords: [
        [118.2, 32.2],
        [118.3, 32.3],
      ],
      missing: 1,
      gaps: [],
    });
    expect(store.wayCoords(store.wayRow(3)).coords).toEqual([
      [118.1, 32.1],
      [118.2, 32.2],
    ]);
    expect(store.wayRow(4)).toBe(-1);
  });

  it('with a bbox keeps only the tagged elements reaching into it (plus ~1 km)', () => {
    const store = new OsmStore([118.0, 32.0, 118.05, 32.05]);
    store.node(1, 118.01, 32.01, { amenity: 'marketplace' });
    store.node(2, 118.5, 32.5, { amenity: 'marketplace' });
    store.node(3, 118.055, 32.01, null);
    store.node(4, 118.5, 32.01, null);
    store.way(1, [3, 4], { highway: 'primary' }); // starts 500 m outside the bbox: kept
    store.way(2, [2, 4], { highway: 'primary' });
    expect(store.taggedNodes.map((n) => n.id)).toEqual([1]);
    expect(store.taggedWays.map((w) => w.id)).toEqual([1]);
    expect(store.counts.outsideBBox).toBe(2);
  });
});
