import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { HistoryResponse } from '../../server/contract/workflow';
import { IntakeResponse } from '../../server/contract/intake';
import { Redaction } from '../../server/contract/redaction';
import { Reel } from '../../server/contract/reel';
import { createWorkflowDeps } from '../../server/services/problems/deps';
import { clip } from '../fixtures/media/clips';
import { as, fixtureApp, getJson, NOW, signIn, type Requester } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());
let clock = NOW;
const wf = createWorkflowDeps(fx.store, { ffmpeg: null, env: {} });
const app = await createApp({ store: fx.store, catalog: fx.catalog, now: () => clock, workflow: wf });
// The reports are made on three days: each request signs in at the app's clock, so no session outlives its idle limit.
const caller = (role: 'admin' | 'inspector' | 'unit', districtId: string | null = null): Requester => ({
  request: async (input, init) => as(app, await signIn(fx.store, role, 'u01', clock, districtId)).request(input, init),
});
const admin = caller('admin');
const inspector = caller('inspector');
const unit = caller('unit');

const WEST: [number, number] = [115.975, 36.451]; // sd01, unit u01
const MARKET: [number, number] = [115.9841, 36.4481]; // sd02, unit u02
const W = 400;
const H = 300;

/** A photo of noise (every pixel unlike its neighbour, so a mosaic shows) with a GPS position in its EXIF. */
async function noisyJpeg(): Promise<Buffer> {
  return sharp({ create: { width: W, height: H, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 70 } } })
    .jpeg({ quality: 95 })
    .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '36/1 27/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '115/1 58/1 30/1' } })
    .toBuffer();
}

async function report(r: Requester, at: [number, number], files: { data: Buffer; name: string; type: string }[], description: string) {
  const fd = new FormData();
  for (const [k, v] of Object.entries({ category: 'occupy-road', lng: at[0], lat: at[1], description, reporter: '督查组 李' })) fd.set(k, String(v));
  for (const f of files) fd.append('photos', new File([new Uint8Array(f.data)], f.name, { type: f.type }));
  const res = await r.request('/api/problems', { method: 'POST', body: fd });
  expect(res.status).toBe(201);
  return IntakeResponse.parse(await res.json());
}

const put = (r: Requester, hash: string, body: unknown) =>
  r.request(`/api/media/${hash}/redaction`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const move = (id: string, body: unknown) =>
  admin.request(`/api/problems/${id}/transitions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const bytes = async (r: Requester, url: string) => {
  const res = await r.request(url);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
};
/** Mean absolute difference of each pixel from its right neighbour, and from the same pixel of `other`, over a box. */
async function stats(img: Buffer, box: { left: number; top: number; width: number; height: number }, other?: Buffer) {
  const px = async (b: Buffer) => (await sharp(b).extract(box).removeAlpha().raw().toBuffer({ resolveWithObject: true })).data;
  const a = await px(img);
  const o = other ? await px(other) : null;
  let across = 0;
  let vs = 0;
  let n = 0;
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width - 1; x++) {
      const i = (y * box.width + x) * 3;
      across += Math.abs(a[i] - a[i + 3]);
      if (o) vs += Math.abs(a[i] - o[i]);
      n++;
    }
  }
  return { across: across / n, vs: vs / n };
}

let first: { id: string; hash: string };
let second: { id: string; hash: string; afterHash: string };
let third: { id: string; clipHash: string };
let original: Buffer;

beforeAll(async () => {
  original = await noisyJpeg();
  // Three reports on three days, in this order, each with a photo or a clip.
  clock = Date.parse('2026-03-17T09:00:00+08:00');
  const a = await report(inspector, WEST, [{ data: original, name: 'face.jpg', type: 'image/jpeg' }], '路边摊占道，摊主正脸入镜');
  clock = Date.parse('2026-03-18T10:00:00+08:00');
  const other = await sharp({ create: { width: 120, height: 90, channels: 3, background: '#2255aa' } })
    .jpeg()
    .toBuffer();
  const b = await report(inspector, MARKET, [{ data: other, name: 'stall.jpg', type: 'image/jpeg' }], '市场门口占道');
  clock = Date.parse('2026-03-19T11:00:00+08:00');
  const c = await report(inspector, WEST, [{ data: clip('clip-2s.webm'), name: 'lane.webm', type: 'video/webm' }], '背街小巷占道（视频）');
  // The second is rectified the day after, with an after photo.
  clock = Date.parse('2026-03-19T15:00:00+08:00');
  expect((await move(b.problem.id, { to: 'assigned', unitId: 'u02', deadline: '2026-03-25' })).status).toBe(200);
  const fd = new FormData();
  fd.append(
    'photos',
    new File(
      [
        new Uint8Array(
          await sharp({ create: { width: 120, height: 90, channels: 3, background: '#22aa55' } })
            .jpeg()
            .toBuffer(),
        ),
      ],
      'after.jpg',
    ),
  );
  const up = (await (await admin.request('/api/media', { method: 'POST', body: fd })).json()) as { photos: { hash: string }[] };
  expect((await move(b.problem.id, { to: 'rectified', note: '已清理', photos: [up.photos[0].hash] })).status).toBe(200);
  clock = NOW;
  first = { id: a.problem.id, hash: a.photos[0].hash };
  second = { id: b.problem.id, hash: b.photos[0].hash, afterHash: up.photos[0].hash };
  third = { id: c.problem.id, clipHash: c.photos[0].hash };
});

describe('曝光前打码 (a photo checked before it is shown in public)', () => {
  it('blurs the rectangles on a copy, keeps the original, and says so in the history', async () => {
    const res = await put(inspector, first.hash, { status: 'blurred', regions: [{ x: 0.25, y: 0.2, w: 0.5, h: 0.5 }] });
    expect(res.status).toBe(200);
    const r = Redaction.parse(await res.json());
    expect(r).toMatchObject({ hash: first.hash, status: 'blurred', regions: [{ x: 0.25, y: 0.2, w: 0.5, h: 0.5 }] });
    expect(r.by).toContain('inspector');
    expect(r.blurred!.hash).not.toBe(first.hash);

    // The original is the record: the same bytes as uploaded.
    expect((await bytes(admin, `/media/${first.hash}`)).equals(original)).toBe(true);
    const blurred = await bytes(admin, r.blurred!.url);
    const meta = await sharp(blurred).metadata();
    expect([meta.width, meta.height]).toEqual([W, H]);
    // No EXIF: the public copy does not say where it was taken.
    expect(meta.exif).toBeUndefined();
    const inside = { left: 110, top: 70, width: 180, height: 140 };
    const outside = { left: 0, top: 0, width: 90, height: H };
    const before = await stats(original, inside);
    const after = await stats(blurred, inside);
    expect(before.across).toBeGreaterThan(40);
    // Square cells of ~25 px: neighbours are alike except at a cell's edge.
    expect(after.across).toBeLessThan(before.across / 4);
    // Outside the rectangle the picture is the original's (give or take the JPEG).
    expect((await stats(blurred, outside, original)).vs).toBeLessThan(12);

    const h = HistoryResponse.parse((await getJson(admin, `/api/problems/${first.id}/history`)).body);
    expect(h.photos.find((p) => p.hash === first.hash)?.redaction).toEqual({
      status: 'blurred',
      screenUrl: r.blurred!.screenUrl,
      thumbUrl: r.blurred!.thumbUrl,
    });
    expect(Redaction.parse((await getJson(admin, `/api/media/${first.hash}/redaction`)).body)).toEqual(r);
  });

  it('blurs again from the original, not from the blurred copy', async () => {
    const once = Redaction.parse(await (await put(admin, first.hash, { status: 'blurred', regions: [{ x: 0, y: 0, w: 0.2, h: 0.2 }] })).json());
    const copy = await bytes(admin, once.blurred!.url);
    // The first rectangle is back to the original's noise.
    expect((await stats(copy, { left: 110, top: 70, width: 180, height: 140 })).across).toBeGreaterThan(40);
    const twice = Redaction.parse(await (await put(admin, first.hash, { status: 'blurred', regions: [{ x: 0.25, y: 0.2, w: 0.5, h: 0.5 }] })).json());
    expect(twice.blurred!.hash).not.toBe(once.blurred!.hash);
  });

  it('refuses what cannot be done, saying what to do', async () => {
    const bad = async (body: unknown, hash = first.hash) => {
      const res = await put(admin, hash, body);
      return { status: res.status, error: ((await res.json()) as { error: string }).error };
    };
    expect(await bad({ status: 'blurred', regions: [] })).toMatchObject({ status: 400 });
    expect((await bad({ status: 'blurred', regions: [] })).error).toContain('regions');
    expect((await bad({ status: 'clear', regions: [{ x: 0, y: 0, w: 0.1, h: 0.1 }] })).status).toBe(400);
    expect((await bad({ status: 'blurred', regions: [{ x: 0.8, y: 0, w: 0.5, h: 0.1 }] })).status).toBe(400);
    expect((await bad({ status: 'blurred', regions: [{ x: 0, y: 0, w: 0.001, h: 0.1 }] })).status).toBe(400);
    const onClip = await bad({ status: 'blurred', regions: [{ x: 0, y: 0, w: 0.1, h: 0.1 }] }, third.clipHash);
    expect(onClip.status).toBe(422);
    expect(onClip.error).toContain('不用于曝光');
    expect((await bad({ status: 'clear' }, 'f'.repeat(64))).status).toBe(404);
    // An after photo uploaded but checked by nobody is still a problem's photo; a stray upload is not.
    const fd = new FormData();
    fd.append(
      'photos',
      new File(
        [
          new Uint8Array(
            await sharp({ create: { width: 30, height: 20, channels: 3, background: '#ffee00' } })
              .jpeg()
              .toBuffer(),
          ),
        ],
        'stray.jpg',
      ),
    );
    const stray = ((await (await admin.request('/api/media', { method: 'POST', body: fd })).json()) as { photos: { hash: string }[] }).photos[0].hash;
    expect((await bad({ status: 'clear' }, stray)).status).toBe(404);
    // A unit account does not check photos for public use.
    expect((await put(unit, first.hash, { status: 'clear' })).status).toBe(403);
    // A district office checks its district's photos only.
    expect((await put(caller('inspector', 'dt99'), first.hash, { status: 'clear' })).status).toBe(404);
  });

  it('lets the big screen read the blurred copy only, and shows it in the ticker and the 通报', async () => {
    const r = Redaction.parse((await getJson(admin, `/api/media/${first.hash}/redaction`)).body);
    const issued = await admin.request('/api/screen-tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '会议室' }),
    });
    const token = ((await issued.json()) as { secret: string }).secret;
    for (const v of ['', '/screen', '/thumb']) expect((await app.request(`/media/${first.hash}${v}?screen_token=${token}`)).status).toBe(404);
    expect((await app.request(`${r.blurred!.screenUrl}?screen_token=${token}`)).status).toBe(200);
    // Unchecked photos are read as before.
    expect((await app.request(`/media/${second.hash}/thumb?screen_token=${token}`)).status).toBe(200);

    const summary = (await getJson(app, `/api/screen/summary?from=2026-03-17&to=2026-03-20&screen_token=${token}`)).body as {
      latest: { id: string; thumbUrl: string }[];
    };
    expect(summary.latest.find((l) => l.id === first.id)?.thumbUrl).toBe(r.blurred!.thumbUrl);
    const briefing = await (await admin.request('/api/briefings/weekly?subdistrict=sd01&week=2026-03-17')).text();
    expect(briefing).not.toContain(`/media/${first.hash}/thumb`);
  });

  it('undoes a check, and an excluded photo is shown nowhere in public', async () => {
    expect((await put(admin, second.hash, { status: 'excluded' })).status).toBe(200);
    const summary = (await getJson(admin, '/api/screen/summary?from=2026-03-17&to=2026-03-20')).body as { latest: { id: string; thumbUrl: string | null }[] };
    expect(summary.latest.find((l) => l.id === second.id)?.thumbUrl).toBeNull();
    expect((await admin.request(`/api/media/${second.hash}/redaction`, { method: 'DELETE' })).status).toBe(204);
    expect((await getJson(admin, `/api/media/${second.hash}/redaction`)).body).toBeNull();
    const h = HistoryResponse.parse((await getJson(admin, `/api/problems/${second.id}/history`)).body);
    expect(h.photos.find((p) => p.hash === second.hash)?.redaction).toBeUndefined();
  });
});

describe('the 暗访片 (GET /api/screen/reel)', () => {
  const reel = async (query: string, r: Requester = admin) => {
    const res = await getJson(r, `/api/screen/reel?${query}`);
    expect(res.status).toBe(200);
    return Reel.parse(res.body);
  };

  it('plays the period’s problems with photos in report order, with their place, age and before/after', async () => {
    const r = await reel('from=2026-03-17&to=2026-03-20');
    expect(r.slides.map((s) => s.id)).toEqual([first.id, second.id, third.id]);
    expect(r.scope).toBe('示例市 · 2026-03-17 至 2026-03-20'.replace('示例市', (await fx.store.getCity())!.name));
    // The fixture's problems of those days have no photos: matched, not in the reel.
    expect(r.withMedia).toBe(3);
    expect(r.matched).toBeGreaterThan(3);

    const [a, b, c] = r.slides;
    expect(a).toMatchObject({ categoryName: { zh: '占道经营' }, lngLat: WEST, subdistrictName: expect.any(String), status: 'reported', rectifiedAt: null });
    // Reported 03-17 09:00, open until now (03-20 12:00): three whole days.
    expect(a.openDays).toBe(3);
    expect(a.before).toHaveLength(1);
    expect(a.before[0]).toMatchObject({ kind: 'photo', review: 'blurred' });
    // The blurred copy, never the original.
    expect(a.before[0].src).not.toContain(first.hash);
    expect(a.after).toEqual([]);

    // Rectified 03-19 15:00, a day and five hours after it was reported.
    expect(b).toMatchObject({ status: 'rectified', openDays: 1 });
    expect(b.before[0]).toMatchObject({ src: `/media/${second.hash}/screen`, review: 'unchecked' });
    expect(b.after.map((m) => m.src)).toEqual([`/media/${second.afterHash}/screen`]);

    expect(c.before[0]).toMatchObject({ kind: 'video', src: `/media/${third.clipHash}`, posterUrl: `/media/${third.clipHash}/screen`, review: 'unchecked' });
    expect(c.before[0].durationMs).toBeGreaterThan(1800);
    expect(r.unreviewed).toBe(3);
    expect(r.excluded).toBe(0);
  });

  it('narrows by place and period, keeps checked photos only with reviewed=1, and leaves excluded ones out', async () => {
    expect((await reel('from=2026-03-18&to=2026-03-18')).slides.map((s) => s.id)).toEqual([second.id]);
    const sd01 = await reel('from=2026-03-17&to=2026-03-20&subdistrict=sd01');
    expect(sd01.slides.map((s) => s.id)).toEqual([first.id, third.id]);
    expect(sd01.scope).toContain((await fx.store.subdistrictName('sd01'))!);
    expect((await reel('from=2026-03-17&to=2026-03-20&unit=u02')).slides.map((s) => s.id)).toEqual([second.id]);
    expect((await reel('from=2026-03-17&to=2026-03-20&limit=2')).slides.map((s) => s.id)).toEqual([first.id, second.id]);

    const checked = await reel('from=2026-03-17&to=2026-03-20&reviewed=1');
    expect(checked.slides.map((s) => s.id)).toEqual([first.id]);
    expect(checked.unreviewed).toBe(0);

    expect((await put(admin, third.clipHash, { status: 'excluded' })).status).toBe(200);
    const without = await reel('from=2026-03-17&to=2026-03-20');
    expect(without.slides.map((s) => s.id)).toEqual([first.id, second.id]);
    expect((await put(admin, third.clipHash, { status: 'clear' })).status).toBe(200);
    const cleared = await reel('from=2026-03-17&to=2026-03-20&reviewed=1');
    expect(cleared.slides.map((s) => s.id)).toEqual([first.id, third.id]);
    expect(cleared.slides[1].before[0].review).toBe('clear');
  });

  it('is the district’s for a district account, refuses bad input, and is not a unit’s', async () => {
    const mine = await reel('from=2026-03-17&to=2026-03-20&district=dt99', await fx.signedInDistrict('leader', 'dt01'));
    expect(mine.slides.length).toBeGreaterThan(0);
    expect((await getJson(admin, '/api/screen/reel?limit=301')).status).toBe(400);
    expect((await getJson(admin, '/api/screen/reel?from=2026-03-20&to=2026-03-01')).status).toBe(400);
    const unknown = await getJson(admin, '/api/screen/reel?subdistrict=sd99');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toContain('sd99');
    expect((await getJson(unit, '/api/screen/reel')).status).toBe(403);
    // The wall PC plays it with its token.
    const issued = await admin.request('/api/screen-tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '会场' }),
    });
    const token = ((await issued.json()) as { secret: string }).secret;
    const wall = await getJson(app, `/api/screen/reel?from=2026-03-17&to=2026-03-20&screen_token=${token}`);
    expect(wall.status).toBe(200);
    expect(Reel.parse(wall.body).slides.length).toBeGreaterThan(0);
    const empty = await reel('from=2025-01-01&to=2025-01-31');
    expect(empty).toMatchObject({ slides: [], withMedia: 0, unreviewed: 0 });
  });
});
