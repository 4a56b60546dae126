import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { IntakeResponse } from '../../server/contract/intake';
import { createWorkflowDeps } from '../../server/services/problems/deps';
import { jpegWithExif, metresNorth, noisyPng, png, webp } from '../fixtures/media/photos';
import { as, fixtureApp, getJson, NOW, signIn, type Requester } from './fixture';

const fx = await fixtureApp();
// A second app over the same store with a small photo limit, for the 413 case.
const small = as(
  await createApp({ store: fx.store, catalog: fx.catalog, now: () => NOW, workflow: createWorkflowDeps(fx.store, { maxPhotoBytes: 60_000 }) }),
  await signIn(fx.store, 'inspector', 'u01', NOW),
);
afterAll(async () => fx.close());

const MARKET: [number, number] = [115.9841, 36.4481]; // 10 m from mk01 东关农贸市场, sd02
const NOW_ISO = '2026-03-20T12:00:00+08:00';
const mediaDir = join(dirname(fx.store.file), 'media');

function form(fields: Record<string, string | number>, photos: { data: Buffer; name: string; type?: string }[]) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, String(v));
  for (const p of photos) fd.append('photos', new File([new Uint8Array(p.data)], p.name, { type: p.type ?? 'image/jpeg' }));
  return fd;
}
async function report(
  fields: Record<string, string | number>,
  photos: { data: Buffer; name: string; type?: string }[],
  headers: Record<string, string> = {},
  app: Requester = fx.app,
) {
  const res = await app.request('/api/problems', { method: 'POST', body: form(fields, photos), headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}
const base = { category: 'occupy-road', lng: MARKET[0], lat: MARKET[1], description: '市场门口占道摆摊', reporter: '督查组 李' };
const problemCount = async () => (await fx.store.counts()).problems;
const mediaFiles = () =>
  existsSync(mediaDir) ? readdirSync(mediaDir, { recursive: true }).filter((f) => String(f).includes('.') || String(f).length === 67).length : 0;

describe('POST /api/problems', () => {
  it('creates a problem placed by the server: subdistrict, unit, nearest place, recurrence, time, photos', async () => {
    const photo = await jpegWithExif({ orientation: 6, gps: metresNorth(MARKET, 12), takenAt: '2026:03:20 11:50:00' });
    const r = await report(base, [{ data: photo, name: 'IMG_0001.jpg' }]);
    expect(r.status).toBe(201);
    expect(IntakeResponse.parse(r.body)).toBeTruthy();
    const p = r.body.problem.properties;
    expect(p).toMatchObject({
      id: 'p000021',
      status: 'reported',
      reportedAt: NOW_ISO,
      subdistrictId: 'sd02',
      unitId: 'u02',
      placeId: 'mk01',
      recurrenceOf: 'p02',
      source: 'inspection',
      reporter: '督查组 李',
      place: { id: 'mk01', kind: 'market', name: '东关农贸市场' },
    });
    expect(r.body.problem.geometry.coordinates).toEqual(MARKET);
    // p03 (occupy-road, assigned, ~10 m away) is offered for merging.
    expect(r.body.duplicates.map((d: any) => d.id)).toEqual(['p03']);
    expect(r.body.photos).toHaveLength(1);
    const ph = r.body.photos[0];
    expect(ph).toMatchObject({ role: 'before', width: 32, height: 64, takenAt: '2026-03-20T11:50:00+08:00', far: false });
    expect(ph.distanceM).toBeGreaterThan(10);
    expect(ph.distanceM).toBeLessThan(14);

    const orig = await fx.app.request(ph.url);
    expect(orig.status).toBe(200);
    expect(orig.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await orig.arrayBuffer()).equals(photo)).toBe(true);
    const thumb = await fx.app.request(ph.thumbUrl);
    expect(await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).toMatchObject({ width: 32, height: 64 });

    const history = (await getJson(fx.app, `/api/problems/${p.id}/history`)).body;
    expect(history.history).toHaveLength(1);
    expect(history.history[0]).toMatchObject({ action: 'report', to: 'reported', actor: '督查组 李', note: base.description, data: { recurrenceOf: 'p02' } });
    expect(history.history[0].photos.map((x: any) => x.hash)).toEqual([ph.hash]);
    const list = (await getJson(fx.app, '/api/problems?status=reported')).body;
    expect(list.features[0].id).toBe('p000021');
  });

  it('takes PNG and WebP, links no place far from every point, picks the subdistrict squad, flags a far photo', async () => {
    const at: [number, number] = [115.9705, 36.459];
    const r = await report({ ...base, category: 'small-ads', lng: at[0], lat: at[1], source: 'public' }, [
      { data: await png(), name: 'a.png', type: 'image/png' },
      { data: await webp(), name: 'b.webp', type: 'image/webp' },
      { data: await jpegWithExif({ gps: metresNorth(at, 900) }), name: 'c.jpg' },
    ]);
    expect(r.status).toBe(201);
    expect(r.body.problem.properties).toMatchObject({ subdistrictId: 'sd01', unitId: 'u01', placeId: null, recurrenceOf: null, source: 'public' });
    expect(r.body.photos.map((p: any) => [p.far, p.distanceM === null])).toEqual([
      [false, true],
      [false, true],
      [true, false],
    ]);
  });

  it('refuses wrong types, broken and oversize photos and bad fields with clear 4xx, storing nothing', async () => {
    const before = { problems: await problemCount(), files: mediaFiles(), rev: await fx.store.problemsRevision() };
    const good = { data: await jpegWithExif({ color: '#123456' }), name: 'ok.jpg' };
    const cases: [number, () => Promise<{ status: number; body: any }>, RegExp][] = [
      [415, async () => report(base, [good, { data: Buffer.from('%PDF-1.7 not a photo'), name: 'fake.jpg' }]), /fake\.jpg.*not a JPEG, PNG or WebP/],
      [422, async () => report(base, [good, { data: (await jpegWithExif()).subarray(0, 80), name: 'cut.jpg' }]), /cut\.jpg.*cannot be read/],
      [413, async () => report(base, [{ data: await noisyPng(200, 200), name: 'big.png' }], {}, small), /big\.png.*limit/],
      [400, async () => report(base, []), /at least one photo/],
      [400, async () => report({ ...base, category: 'nope' }, [good]), /category/],
      [400, async () => report({ ...base, lng: 120 }, [good]), /outside/],
      [400, async () => report({ ...base, lat: 'north' }, [good]), /lat/],
      [400, async () => report({ ...base, description: ' ' }, [good]), /describe/],
      [400, async () => report({ ...base, placeId: 'mk99' }, [good]), /mk99/],
      [400, async () => report({ ...base, mergeInto: 'p01' }, [good]), /closed/],
      [404, async () => report({ ...base, mergeInto: 'p99' }, [good]), /p99/],
    ];
    for (const [status, send, message] of cases) {
      const r = await send();
      expect(r.status, message.source).toBe(status);
      expect(r.body.error).toMatch(message);
    }
    const json = await fx.app.request('/api/problems', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(400);
    expect({ problems: await problemCount(), files: mediaFiles(), rev: await fx.store.problemsRevision() }).toEqual(before);
  });

  it('merges a report into an open problem, keeping both reports’ photos and history', async () => {
    const before = await problemCount();
    const photo = await jpegWithExif({ color: '#abcdef' });
    const r = await report({ ...base, mergeInto: 'p03', reporter: '市民 张' }, [{ data: photo, name: 'm.jpg' }]);
    expect(r.status).toBe(200);
    expect(r.body.mergedInto).toBe('p03');
    expect(r.body.problem.id).toBe('p03');
    expect(await problemCount()).toBe(before);
    const h = (await getJson(fx.app, '/api/problems/p03/history')).body;
    expect(h.history.map((s: any) => s.action)).toEqual(['report', 'assign', 'merge']);
    expect(h.history[2]).toMatchObject({ actor: '市民 张', from: 'assigned', to: 'assigned', derived: false });
    expect(h.history[2].photos).toHaveLength(1);
    expect(h.status).toBe('assigned');
  });
});

describe('Idempotency-Key', () => {
  it('returns the first response to a retry, never a second problem', async () => {
    const key = '6f1c6f6e-3c0b-4a4e-9d55-3f1f6f0c1a01';
    const photo = { data: await jpegWithExif({ color: '#010203' }), name: 'r.jpg' };
    const first = await report({ ...base, category: 'small-ads' }, [photo], { 'Idempotency-Key': key });
    const count = await problemCount();
    const again = await report({ ...base, category: 'small-ads' }, [photo], { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await problemCount()).toBe(count);
  });

  it('holds under concurrent retries', async () => {
    const key = '6f1c6f6e-3c0b-4a4e-9d55-3f1f6f0c1a02';
    const photo = { data: await jpegWithExif({ color: '#040506', width: 800, height: 600 }), name: 'c.jpg' };
    const count = await problemCount();
    const all = await Promise.all(Array.from({ length: 5 }, () => report({ ...base, category: 'outside-store' }, [photo], { 'Idempotency-Key': key })));
    expect(all.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(all.map((r) => r.body.problem.id)).size).toBe(1);
    expect(await problemCount()).toBe(count + 1);
  });

  it('refuses the same key for a different report (422), storing nothing', async () => {
    const key = '6f1c6f6e-3c0b-4a4e-9d55-3f1f6f0c1a03';
    const photo = { data: await jpegWithExif({ color: '#070809' }), name: 'k.jpg' };
    expect((await report({ ...base, category: 'small-ads', description: '第一份' }, [photo], { 'Idempotency-Key': key })).status).toBe(201);
    const count = await problemCount();
    const other = await report({ ...base, category: 'small-ads', description: '另一份' }, [photo], { 'Idempotency-Key': key });
    expect(other.status).toBe(422);
    expect(other.body.error).toMatch(/already used for a different report/);
    const otherPhoto = await report(
      { ...base, category: 'small-ads', description: '第一份' },
      [{ data: await jpegWithExif({ color: '#0a0b0c' }), name: 'k.jpg' }],
      { 'Idempotency-Key': key },
    );
    expect(otherPhoto.status).toBe(422);
    expect(await problemCount()).toBe(count);
  });

  it('refuses a key that is not a UUID', async () => {
    const r = await report(base, [{ data: await jpegWithExif(), name: 'x.jpg' }], { 'Idempotency-Key': 'retry-1' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/UUID/);
  });
});

describe('GET /api/problems/nearby', () => {
  it('takes its duplicate radius from DUPLICATE_RADIUS_M', async () => {
    const near = as(
      await createApp({ store: fx.store, catalog: fx.catalog, now: () => NOW, workflow: createWorkflowDeps(fx.store, { env: { DUPLICATE_RADIUS_M: '5' } }) }),
      await signIn(fx.store, 'inspector', 'u01', NOW),
    );
    const body = (await getJson(near, `/api/problems/nearby?category=occupy-road&lng=${MARKET[0]}&lat=${MARKET[1]}`)).body;
    // p03 is about 11 m away: outside 5 m.
    expect(body.duplicates.map((d: any) => d.id)).not.toContain('p03');
    expect(() => createWorkflowDeps(fx.store, { env: { DUPLICATE_RADIUS_M: 'far' } })).toThrow(/DUPLICATE_RADIUS_M must be a number/);
  });

  it('previews what a report would be linked to', async () => {
    const { status, body } = await getJson(fx.app, `/api/problems/nearby?category=occupy-road&lng=${MARKET[0]}&lat=${MARKET[1]}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ subdistrictId: 'sd02', unitId: 'u02', recurrenceOf: 'p02', place: { id: 'mk01', kind: 'market' } });
    expect(body.duplicates.map((d: any) => d.id)).toContain('p03');
  });
});

describe('after-photos', () => {
  it('POST /api/media stores photos that a rectification then attaches', async () => {
    const data = await jpegWithExif({ color: '#00ff00', gps: metresNorth([115.9755, 36.4449], 5) });
    const fd = new FormData();
    fd.append('photos', new File([new Uint8Array(data)], 'after.jpg'));
    const up = await fx.app.request('/api/media', { method: 'POST', body: fd });
    expect(up.status).toBe(200);
    const { photos } = (await up.json()) as any;
    expect(photos).toHaveLength(1);
    await fx.app.request('/api/problems/p13/transitions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'rectified', note: '已清除', photos: [photos[0].hash] }),
    });
    const h = (await getJson(fx.app, '/api/problems/p13/history')).body;
    expect(h.history.at(-1).photos).toMatchObject([{ hash: photos[0].hash, role: 'after' }]);
    expect(h.photos.filter((p: any) => p.role === 'after')).toHaveLength(1);
  });

  it('GET /media refuses anything but a hash and 404s an unknown one', async () => {
    expect((await fx.app.request('/media/..%2F..%2Fxuncha.db')).status).toBe(400);
    expect((await fx.app.request(`/media/${'0'.repeat(64)}`)).status).toBe(404);
  });
});

describe('POST /api/problems/:id/merge', () => {
  it('merges an open duplicate into another open problem of its category, keeping photos and history', async () => {
    const photo = { data: await jpegWithExif({ color: '#777777' }), name: 'dup.jpg' };
    const a = await report({ ...base, category: 'exposed-garbage', lng: 115.972, lat: 36.4492, description: '垃圾一' }, [photo]);
    const b = await report({ ...base, category: 'exposed-garbage', lng: 115.9721, lat: 36.4492, description: '垃圾二' }, [
      { data: await jpegWithExif({ color: '#888888' }), name: 'dup2.jpg' },
    ]);
    const [aId, bId] = [a.body.problem.id, b.body.problem.id];
    expect(b.body.duplicates.map((d: any) => d.id)).toContain(aId);
    const res = await fx.app.request(`/api/problems/${bId}/merge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ into: aId, actor: '创文办' }),
    });
    expect(res.status).toBe(200);
    const h = (await res.json()) as any;
    expect(h.history.map((s: any) => s.action)).toEqual(['report', 'merge']);
    expect(h.history[1]).toMatchObject({ note: '垃圾二', data: { mergedFrom: bId } });
    expect(h.history[1].photos).toHaveLength(1);
    expect(h.photos.filter((p: any) => p.role === 'before')).toHaveLength(2);
    const merged = (await getJson(fx.app, `/api/problems/${bId}/history`)).body;
    expect(merged).toMatchObject({ status: 'closed', mergedInto: aId, allowed: [] });
    const again = await fx.app.request(`/api/problems/${bId}/transitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'assigned' }),
    });
    expect(again.status).toBe(409);
    for (const [from, into, message] of [
      [aId, aId, /itself/],
      [aId, 'p01', /closed/],
      [aId, 'p03', /category/],
    ] as const) {
      const r = await fx.app.request(`/api/problems/${from}/merge`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ into }),
      });
      expect(r.status).toBe(400);
      expect(((await r.json()) as any).error).toMatch(message);
    }
  });
});
