import { afterAll, describe, expect, it } from 'vitest';
import { jpegWithExif } from '../fixtures/media/photos';
import { fixtureApp, type Requester } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());
const unit = await fx.signedIn('unit', 'u01');

async function upload(r: Requester, color: string): Promise<string> {
  const fd = new FormData();
  fd.append('photos', new File([new Uint8Array(await jpegWithExif({ color }))], 'photo.jpg', { type: 'image/jpeg' }));
  const res = await r.request('/api/media', { method: 'POST', body: fd });
  expect(res.status).toBe(200);
  return ((await res.json()) as { photos: { hash: string }[] }).photos[0].hash;
}
/** A photo uploaded by the office and attached to `problemId` as its report photo. */
async function reportPhoto(problemId: string, color: string): Promise<string> {
  const hash = await upload(fx.app, color);
  await fx.store.linkMedia(problemId, hash, 'before', null, null, false, '2026-03-20T10:00:00+08:00');
  return hash;
}
const rectify = (photos: string[]) =>
  unit.request('/api/problems/p08/transitions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to: 'rectified', note: '已整改', photos }),
  });

describe('photos are tied to units', () => {
  it("lets a unit read its problems' photos only, and never lets a shared cache keep one", async () => {
    const others = await reportPhoto('p03', '#ff0000'); // u02's problem
    const mine = await reportPhoto('p08', '#00ff00'); // u01's
    for (const v of ['', '/thumb', '/screen']) expect((await unit.request(`/media/${others}${v}`)).status, v).toBe(404);
    const res = await unit.request(`/media/${mine}/thumb`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/^private\b/);
    expect(res.headers.get('cache-control')).not.toMatch(/public/);
    expect((await fx.app.request(`/media/${others}`)).status).toBe(200);
  });

  it("takes as after-photos only the unit's own uploads, never the problem's report photos", async () => {
    const before = await reportPhoto('p08', '#0000ff');
    const notMine = await upload(fx.app, '#ffff00');
    const own = await upload(unit, '#00ffff');
    expect((await rectify([before])).status).toBe(400);
    expect((await rectify([notMine])).status).toBe(400);
    // Uploading the report photo again does not make it new evidence.
    const fd = new FormData();
    fd.append('photos', new File([new Uint8Array(await jpegWithExif({ color: '#0000ff' }))], 'again.jpg', { type: 'image/jpeg' }));
    expect((await unit.request('/api/media', { method: 'POST', body: fd })).status).toBe(200);
    const again = await rectify([before]);
    expect(again.status).toBe(400);
    expect((await again.json()).error).toMatch(/report photos/);
    expect((await rectify([own])).status).toBe(200);
    expect((await unit.request(`/media/${own}/thumb`)).status).toBe(200);
  });
});
