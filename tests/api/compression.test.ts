import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { MIN_COMPRESS_BYTES } from '../../server/http/compress';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { importLayers } from '../../server/store/import-layers';
import { openStore, type Store } from '../../server/store/index';
import { generateDemoCity } from '../../scripts/demo-city/generate';
import { as, readSse, signIn, tileOf, type Requester } from './fixture';

// A small demo city: the hand-written fixture's tiles and points.bin are under MIN_COMPRESS_BYTES.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NOW = Date.parse('2026-11-25T12:00:00+08:00');
let dir: string;
let store: Store;
let app: Requester;
let center: [number, number];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xuncha-compress-'));
  await generateDemoCity({ seed: 1, scale: 0.3, end: '2026-11-25', outDir: join(dir, 'layers') });
  store = openStore(join(dir, 'xuncha.db'));
  importLayers(store, join(dir, 'layers'));
  app = as(await createApp({ store, catalog: loadCatalog(join(ROOT, 'data', 'catalog')), now: () => NOW }), await signIn(store, 'admin', 'u01', NOW));
  center = (await store.getCity())!.center;
}, 60_000);
afterAll(async () => {
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, acceptEncoding?: string) => app.request(path, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });
const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

/** The first tile from z14 down to z10 over the city's centre whose answer is worth compressing. */
async function bigTile(kind: 'base' | 'problems'): Promise<string> {
  for (let z = 14; z >= 10; z--) {
    const { x, y } = tileOf(center[0], center[1], z);
    const path = `/tiles/${kind}/${z}/${x}/${y}.pbf`;
    const res = await get(path);
    if (res.status === 200 && (await bytes(res)).length >= MIN_COMPRESS_BYTES) return path;
  }
  throw new Error(`no ${kind} tile of at least ${MIN_COMPRESS_BYTES} bytes over the centre`);
}

describe('answers compressed as Accept-Encoding allows', () => {
  const kinds: [string, () => Promise<string>][] = [
    ['problem GeoJSON', async () => '/api/problems?limit=2000'],
    ['a base tile', () => bigTile('base')],
    ['a problem tile', () => bigTile('problems')],
    ['points.bin', async () => '/api/hotspots/points.bin'],
  ];
  for (const [name, pathOf] of kinds) {
    it(`${name}: br, gzip and identity decode to the same bytes`, async () => {
      const path = await pathOf();
      const plain = await get(path);
      expect(plain.status).toBe(200);
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(plain.headers.get('vary')).toMatch(/accept-encoding/i);
      const identity = await bytes(plain);
      expect(identity.length).toBeGreaterThanOrEqual(MIN_COMPRESS_BYTES);

      const asIdentity = await get(path, 'identity');
      expect(asIdentity.headers.get('content-encoding')).toBeNull();
      expect((await bytes(asIdentity)).equals(identity)).toBe(true);

      const gz = await get(path, 'gzip, deflate');
      expect(gz.headers.get('content-encoding')).toBe('gzip');
      expect(gz.headers.get('vary')).toMatch(/accept-encoding/i);
      const gzBytes = await bytes(gz);
      expect(Number(gz.headers.get('content-length'))).toBe(gzBytes.length);
      expect(gzBytes.length).toBeLessThan(identity.length);
      expect(gunzipSync(gzBytes).equals(identity)).toBe(true);

      const br = await get(path, 'gzip, deflate, br, zstd');
      expect(br.headers.get('content-encoding')).toBe('br');
      const brBytes = await bytes(br);
      expect(brBytes.length).toBeLessThan(identity.length);
      expect(brotliDecompressSync(brBytes).equals(identity)).toBe(true);

      // The caller's preference decides, and a refused coding is never used.
      expect((await get(path, 'br;q=0.5, gzip')).headers.get('content-encoding')).toBe('gzip');
      expect((await get(path, 'br;q=0, gzip;q=0')).headers.get('content-encoding')).toBeNull();
    });
  }

  it('keeps a compressed answer’s ETag, weak, and revalidates it', async () => {
    const plain = await get('/api/problems?limit=2000');
    const strong = plain.headers.get('etag')!;
    expect(strong).toMatch(/^"/);
    const br = await get('/api/problems?limit=2000', 'br');
    expect(br.headers.get('etag')).toBe(`W/${strong}`);
    const again = await app.request('/api/problems?limit=2000', { headers: { 'accept-encoding': 'br', 'if-none-match': `W/${strong}` } });
    expect(again.status).toBe(304);
    expect(again.headers.get('content-encoding')).toBeNull();
  });

  it('leaves small answers as they are', async () => {
    const res = await get('/api/problems?limit=1', 'br, gzip');
    expect(res.status).toBe(200);
    const body = await bytes(res);
    expect(body.length).toBeLessThan(MIN_COMPRESS_BYTES);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(JSON.parse(body.toString('utf8')).features).toHaveLength(1);
  });
});

describe('the demo city’s GeoJSON pages', () => {
  it('hold the features in the order and bytes the text path writes (which sorts in SQL)', async () => {
    const [w, so, e, n] = (await store.getCity())!.bbox;
    const pages: { bbox?: [number, number, number, number]; limit: number }[] = [
      { limit: 2000 },
      { bbox: [w, so, (w + e) / 2, (so + n) / 2], limit: 1500 },
      { bbox: [(w + e) / 2, (so + n) / 2, e, n], limit: 300 },
    ];
    for (const page of pages) {
      const text = await store.queryProblems(page, { limit: page.limit, nowMs: NOW });
      expect(text.features.length).toBeGreaterThan(200);
      const res = await get(`/api/problems?limit=${page.limit}${page.bbox ? `&bbox=${page.bbox.join(',')}` : ''}`);
      const body = (await bytes(res)).toString('utf8');
      expect(body.startsWith(`{"type":"FeatureCollection","features":[${text.features.join(',')}],"nextCursor":`)).toBe(true);
    }
  });
});

describe('streams and downloads are neither compressed nor held back', () => {
  it('the event stream delivers its first event uncompressed while it stays open', async () => {
    const res = await get('/api/events', 'br, gzip');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('content-encoding')).toBeNull();
    // A compressor that buffered the stream would never let this first event through.
    const events = await readSse(res, (evs) => evs.some((e) => e.event === 'ready'));
    expect(events[0].event).toBe('ready');
  }, 10_000);

  for (const ext of ['csv', 'xlsx']) {
    it(`the ledger export (${ext}) downloads as the same bytes whatever the caller accepts`, async () => {
      const plain = await get(`/api/ledger/export.${ext}?lang=en`);
      const asked = await get(`/api/ledger/export.${ext}?lang=en`, 'br, gzip');
      expect(asked.status).toBe(200);
      expect(asked.headers.get('content-disposition')).toMatch(/^attachment/);
      expect(asked.headers.get('content-encoding')).toBeNull();
      const a = await bytes(plain);
      const b = await bytes(asked);
      expect(a.length).toBeGreaterThan(MIN_COMPRESS_BYTES);
      if (ext === 'csv') expect(b.equals(a)).toBe(true);
      // An xlsx holds its creation time, so its bytes differ a little each time: a zip as it is, not gzip or br over it.
      else expect([a.subarray(0, 2).toString(), b.subarray(0, 2).toString()]).toEqual(['PK', 'PK']);
    });
  }
});
