import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { posterNameFor } from '../../server/contract/media-rules';
import { HistoryResponse, PhotoRef } from '../../server/contract/workflow';
import { IntakeResponse } from '../../server/contract/intake';
import { MediaUploadResponse } from '../../server/contract/media';
import { createWorkflowDeps } from '../../server/services/problems/deps';
import { clip, paddedMp4, progressiveMp4 } from '../fixtures/media/clips';
import { jpegWithExif } from '../fixtures/media/photos';
import { as, fixtureApp, NOW, signIn, type Requester } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());
// The limits set small (1 MB, 10 s) so the refusals are cheap to provoke; no ffmpeg, whatever this machine has.
const wf = createWorkflowDeps(fx.store, { ffmpeg: null, env: { MAX_VIDEO_MB: '1', MAX_VIDEO_SECONDS: '10' } });
const app = await createApp({ store: fx.store, catalog: fx.catalog, now: () => NOW, workflow: wf });
const admin = as(app, await signIn(fx.store, 'admin', 'u01', NOW));
const inspector = as(app, await signIn(fx.store, 'inspector', 'u01', NOW));
const unit1 = as(app, await signIn(fx.store, 'unit', 'u01', NOW));
const unit2 = as(app, await signIn(fx.store, 'unit', 'u02', NOW));

const MARKET: [number, number] = [115.9841, 36.4481]; // sd02, unit u02
const WEST: [number, number] = [115.975, 36.451]; // sd01, unit u01

function form(at: [number, number], files: { data: Buffer; name: string; type?: string }[], category = 'occupy-road') {
  const fd = new FormData();
  for (const [k, v] of Object.entries({ category, lng: at[0], lat: at[1], description: '视频证据：占道经营', reporter: '督查组 李' })) fd.set(k, String(v));
  for (const f of files) fd.append('photos', new File([new Uint8Array(f.data)], f.name, { type: f.type ?? 'video/mp4' }));
  return fd;
}
async function report(r: Requester, at: [number, number], files: { data: Buffer; name: string; type?: string }[], category?: string) {
  const res = await r.request('/api/problems', { method: 'POST', body: form(at, files, category) });
  return { status: res.status, body: (await res.json()) as any };
}

describe('a clip attached to a report', () => {
  it('is stored like a photo, says its kind, length and poster, and is served with byte ranges', async () => {
    const data = clip('clip-2s.webm');
    const r = await report(inspector, MARKET, [{ data, name: 'lane.webm', type: 'video/webm' }]);
    expect(r.status).toBe(201);
    const body = IntakeResponse.parse(r.body);
    const ref = body.photos[0];
    expect(ref).toMatchObject({ kind: 'video', mime: 'video/webm', role: 'before', width: 192, height: 108, posterSource: 'generated' });
    expect(ref.durationMs).toBeGreaterThan(1800);
    expect(ref.posterUrl).toBe(ref.screenUrl);

    const whole = await admin.request(ref.url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('content-type')).toBe('video/webm');
    expect(whole.headers.get('content-length')).toBe(String(data.length));
    expect(Buffer.from(await whole.arrayBuffer()).equals(data)).toBe(true);

    const part = await admin.request(ref.url, { headers: { Range: 'bytes=100-1099' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-1099/${data.length}`);
    expect(part.headers.get('content-length')).toBe('1000');
    expect(Buffer.from(await part.arrayBuffer()).equals(data.subarray(100, 1100))).toBe(true);

    const tail = await admin.request(ref.url, { headers: { Range: 'bytes=-10' } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(data.subarray(data.length - 10))).toBe(true);

    const past = await admin.request(ref.url, { headers: { Range: `bytes=${data.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${data.length}`);
    // A Range for another version of the file (If-Range with another tag) gets the whole file.
    expect((await admin.request(ref.url, { headers: { Range: 'bytes=0-9', 'If-Range': '"other"' } })).status).toBe(200);
  });

  it('has its poster served as the thumbnail and screen copy, in the history and the ledger export', async () => {
    const poster = await jpegWithExif({ width: 192, height: 108, color: '#00ff00' });
    const r = await report(
      inspector,
      WEST,
      [
        { data: clip('clip-2s.mp4'), name: 'clip-1.mp4' },
        { data: poster, name: posterNameFor('clip-1.mp4'), type: 'image/jpeg' },
      ],
      'outside-store',
    );
    expect(r.status).toBe(201);
    // The poster is the clip's picture, not a photo of the report.
    expect(r.body.photos).toHaveLength(1);
    const ref: PhotoRef = r.body.photos[0];
    expect(ref).toMatchObject({ kind: 'video', posterSource: 'browser' });
    const thumb = await admin.request(ref.thumbUrl);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    const thumbBytes = Buffer.from(await thumb.arrayBuffer());
    const { data: px } = await sharp(thumbBytes).raw().toBuffer({ resolveWithObject: true });
    expect([px[0] < 60, px[1] > 200, px[2] < 60]).toEqual([true, true, true]); // green: the browser's frame
    expect((await admin.request(ref.screenUrl)).headers.get('content-type')).toBe('image/jpeg');

    const history = HistoryResponse.parse(await (await admin.request(`/api/problems/${r.body.problem.id}/history`)).json());
    expect(history.photos[0]).toMatchObject({ hash: ref.hash, kind: 'video', durationMs: ref.durationMs });
    expect(history.history[0].photos[0].kind).toBe('video');

    const res = await admin.request(`/api/ledger/export.xlsx?thumbnails=1&category=outside-store&sort=id&order=asc`);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const images = (wb.model.media as unknown as { buffer: Buffer }[]).map((m) => Buffer.from(m.buffer));
    expect(images.some((b) => b.equals(thumbBytes))).toBe(true);

    // Open311's media_url is the clip itself.
    const o = await fx.app.request(`/open311/v2/requests/${r.body.problem.id}.json`);
    expect(((await o.json()) as { media_url: string }[])[0].media_url).toMatch(new RegExp(`/media/${ref.hash}$`));
  });

  it('is attached to a transition by hash after POST /api/media, as after-evidence', async () => {
    const fd = new FormData();
    fd.append('photos', new File([new Uint8Array(progressiveMp4({ duration: 3000, timescale: 600, width: 640, height: 360 }))], 'after.mp4'));
    const up = await unit1.request('/api/media', { method: 'POST', body: fd });
    expect(up.status).toBe(200);
    const stored = MediaUploadResponse.parse(await up.json()).photos[0];
    expect(stored).toMatchObject({ kind: 'video', durationMs: 5000, width: 640, height: 360, posterSource: 'generated' });
    const res = await unit1.request('/api/problems/p08/transitions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'rectified', note: '已整改，附视频', photos: [stored.hash] }),
    });
    expect(res.status).toBe(200);
    const h = HistoryResponse.parse(await res.json());
    expect(h.photos.find((p) => p.hash === stored.hash)).toMatchObject({ role: 'after', kind: 'video', durationMs: 5000 });
  });
});

describe('a unit reads its own problems’ clips only', () => {
  it("answers 404 for another unit's clip, its range and its poster, and serves its own", async () => {
    const others = await report(inspector, MARKET, [{ data: clip('clip-2s.webm'), name: 'theirs.webm' }]); // u02's
    const mine = await report(inspector, WEST, [{ data: paddedMp4(clip('clip-2s.mp4'), 6000), name: 'mine.mp4' }]); // u01's
    expect([others.body.problem.properties.unitId, mine.body.problem.properties.unitId]).toEqual(['u02', 'u01']);
    const theirs: PhotoRef = others.body.photos[0];
    for (const path of [theirs.url, theirs.thumbUrl, theirs.screenUrl]) expect((await unit1.request(path)).status, path).toBe(404);
    expect((await unit1.request(theirs.url, { headers: { Range: 'bytes=0-99' } })).status).toBe(404);
    expect((await unit2.request(theirs.url, { headers: { Range: 'bytes=0-99' } })).status).toBe(206);
    const own: PhotoRef = mine.body.photos[0];
    expect((await unit1.request(own.url, { headers: { Range: 'bytes=0-99' } })).status).toBe(206);
    expect((await unit1.request(own.thumbUrl)).status).toBe(200);
    expect((await unit2.request(own.url)).status).toBe(404);
  });
});

describe('bad clips are refused, saying the limit', () => {
  it('answers 415 for a text file named .mp4 and for an audio recording', async () => {
    const text = await report(inspector, MARKET, [{ data: Buffer.from('just some text, named like a video'), name: 'clip.mp4' }]);
    expect(text.status).toBe(415);
    expect(text.body.error).toMatch(/clip\.mp4.*只接受 JPEG\/PNG\/WebP 照片或 MP4\/WebM 视频/);
    const audio = await report(inspector, MARKET, [{ data: clip('tone-1s.m4a'), name: 'voice.m4a' }]);
    expect(audio.status).toBe(415);
    expect(audio.body.error).toMatch(/voice\.m4a.*no video track/);
  });

  it('answers 413 for a clip over MAX_VIDEO_MB', async () => {
    const big = await report(inspector, MARKET, [{ data: paddedMp4(clip('clip-2s.mp4'), 1.5 * 1024 * 1024), name: 'big.mp4' }]);
    expect(big.status).toBe(413);
    expect(big.body.error).toMatch(/big\.mp4.*1\.5 MB.*1 MB.*the limit is 1 MB per clip/);
  });

  it('answers 422 for a clip over MAX_VIDEO_SECONDS or whose length cannot be read, and stores nothing', async () => {
    const before = (await fx.store.counts()).problems;
    const long = await report(inspector, MARKET, [
      { data: await jpegWithExif(), name: 'ok.jpg', type: 'image/jpeg' },
      { data: progressiveMp4({ duration: 12 * 600, timescale: 600 }), name: 'long.mp4' },
    ]);
    expect(long.status).toBe(422);
    expect(long.body.error).toMatch(/long\.mp4.*12 秒.*10 秒.*12 s long.*at most 10 s/);
    const unknown = await report(inspector, MARKET, [{ data: progressiveMp4({ duration: 0 }), name: 'unknown.mp4' }]);
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatch(/unknown\.mp4.*10 秒.*at most 10 s/);
    expect((await fx.store.counts()).problems).toBe(before);
  });

  it('answers 400 for a poster frame that belongs to no clip of the upload', async () => {
    const r = await report(inspector, MARKET, [
      { data: await jpegWithExif(), name: 'ok.jpg', type: 'image/jpeg' },
      { data: await jpegWithExif(), name: posterNameFor('missing.webm'), type: 'image/jpeg' },
    ]);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/missing\.webm\.poster\.jpg/);
  });
});

describe('GET /api/meta', () => {
  it('tells the forms the clip limits and that this server takes no poster frames itself', async () => {
    const meta = (await (await admin.request('/api/meta')).json()) as any;
    expect(meta.media).toEqual({ photo: { maxMb: 15 }, video: { maxMb: 1, maxSeconds: 10, serverPoster: false } });
  });
});
