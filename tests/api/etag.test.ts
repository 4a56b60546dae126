import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { jpegWithExif } from '../fixtures/media/photos';
import { as, decodeTile, fixtureApp, NOW, type Requester, signIn, tileOf } from './fixture';

const fx = await fixtureApp();
// The same store seen through an app whose clock the tests move (overdue depends on it).
let clock = NOW;
const timed = as(await createApp({ store: fx.store, catalog: fx.catalog, now: () => clock }), await signIn(fx.store, 'admin', 'u01', NOW));
afterAll(async () => fx.close());

const MARKET: [number, number] = [115.9841, 36.4481];
/** A new report, posted as the field page posts one: the problems revision moves. */
async function report() {
  const fd = new FormData();
  for (const [k, v] of Object.entries({ category: 'occupy-road', lng: MARKET[0], lat: MARKET[1], description: '占道经营', reporter: '督查组 李' }))
    fd.set(k, String(v));
  fd.append('photos', new File([new Uint8Array(await jpegWithExif({}))], 'IMG_0001.jpg', { type: 'image/jpeg' }));
  const res = await fx.app.request('/api/problems', { method: 'POST', body: fd });
  expect(res.status).toBe(201);
  return ((await res.json()) as { problem: { id: string } }).problem.id;
}
const revalidate = (path: string, etag: string, app: Requester = fx.app) => app.request(path, { headers: { 'if-none-match': etag } });
const { x, y } = tileOf(MARKET[0], MARKET[1], 14);
const PROBLEM_TILE = `/tiles/problems/14/${x}/${y}.pbf`;
const BASE_TILE = `/tiles/base/14/${x}/${y}.pbf`;

describe('ETags of problem answers', () => {
  it('GeoJSON and problem tiles answer 304 while nothing changed, and 200 with a new ETag after a new report', async () => {
    const paths = ['/api/problems', '/api/problems?status=assigned&bbox=115.97,36.44,115.99,36.46', PROBLEM_TILE];
    const tags: string[] = [];
    for (const path of paths) {
      const first = await fx.app.request(path);
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toMatch(/no-cache/);
      const tag = first.headers.get('etag')!;
      expect(tag).toMatch(/^"[^"]+"$/);
      tags.push(tag);
      const again = await revalidate(path, tag);
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(tag);
      expect((await again.arrayBuffer()).byteLength).toBe(0);
      // Lists and weak forms as browsers send them.
      expect((await revalidate(path, `"other", W/${tag}`)).status).toBe(304);
      expect((await revalidate(path, '"other"')).status).toBe(200);
    }

    const id = await report();
    for (const [i, path] of paths.entries()) {
      const after = await revalidate(path, tags[i]);
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(tags[i]);
    }
    const list = (await (await revalidate(paths[0], tags[0])).json()) as { features: { id: string }[] };
    expect(list.features.map((f) => f.id)).toContain(id);
  });

  it('changes when the clock makes a problem overdue, and not before', async () => {
    // p07 is assigned with its deadline at 18:00 today; nothing else falls due before then.
    clock = NOW;
    const path = '/api/problems?status=assigned';
    const first = await timed.request(path);
    const tag = first.headers.get('etag')!;
    const p07 = (body: unknown) => (body as { features: { id: string; properties: { overdue: boolean } }[] }).features.find((f) => f.id === 'p07')!;
    expect(p07(await first.json()).properties.overdue).toBe(false);

    clock = Date.parse('2026-03-20T18:00:00+08:00');
    expect((await revalidate(path, tag, timed)).status).toBe(304);
    expect((await revalidate(PROBLEM_TILE, (await timed.request(PROBLEM_TILE)).headers.get('etag')!, timed)).status).toBe(304);

    const tileTag = (await timed.request(PROBLEM_TILE)).headers.get('etag')!;
    clock += 1;
    const late = await revalidate(path, tag, timed);
    expect(late.status).toBe(200);
    expect(late.headers.get('etag')).not.toBe(tag);
    expect(p07(await late.json()).properties.overdue).toBe(true);
    expect((await revalidate(PROBLEM_TILE, tileTag, timed)).status).toBe(200);
    clock = NOW;
  });

  it('differs between a unit account and the office for the same URL', async () => {
    const office = (await fx.app.request('/api/problems')).headers.get('etag')!;
    const unit = await fx.signedIn('unit', 'u02');
    const own = await revalidate('/api/problems', office, unit);
    expect(own.status).toBe(200);
    expect(own.headers.get('etag')).not.toBe(office);
    expect((await revalidate('/api/problems', own.headers.get('etag')!, unit)).status).toBe(304);
    const tile = (await fx.app.request(PROBLEM_TILE)).headers.get('etag')!;
    expect((await revalidate(PROBLEM_TILE, tile, unit)).status).toBe(200);
  });
});

describe('ETags of base tiles', () => {
  it('answer 304 while the city is the same, whatever problems are reported', async () => {
    const first = await fx.app.request(BASE_TILE);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const tag = first.headers.get('etag')!;
    expect((await revalidate(BASE_TILE, tag)).status).toBe(304);
    await report();
    expect((await revalidate(BASE_TILE, tag)).status).toBe(304);
  });

  it('change when a point of the registry is added, and the tile then draws it', async () => {
    const tag = (await fx.app.request(BASE_TILE)).headers.get('etag')!;
    const added = await fx.app.request('/api/places', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'market', name: '东关早市', geometry: { type: 'Point', coordinates: [MARKET[0] + 0.0005, MARKET[1]] } }),
    });
    expect(added.status).toBe(201);
    const after = await revalidate(BASE_TILE, tag);
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(tag);
    const names = (await decodeTile(after)).markets.map((f) => f.properties.name);
    expect(names).toEqual(expect.arrayContaining(['东关农贸市场', '东关早市']));
  });
});
