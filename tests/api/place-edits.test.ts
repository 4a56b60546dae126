import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { PlaceDetail, PlaceHistory } from '../../server/contract/places';
import { jpegWithExif } from '../fixtures/media/photos';
import { createBaseTiles } from '../../server/services/tiles/base-tiles';
import { BASE_MAX_ZOOM } from '../../server/contract/tiles';
import { decodeTile, fixtureApp, getJson, tileOf, type Requester } from './fixture';
import { clip } from '../fixtures/media/clips';

const fx = await fixtureApp();
afterAll(async () => fx.close());
const inspector = await fx.signedIn('inspector');
const leader = await fx.signedIn('leader');

async function send(app: Requester, method: string, path: string, body: unknown) {
  const res = await app.request(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}
const post = (path: string, body: unknown, app: Requester = fx.app) => send(app, 'POST', path, body);
const patch = (path: string, body: unknown, app: Requester = fx.app) => send(app, 'PATCH', path, body);

const market = (over: Record<string, unknown> = {}) => ({
  kind: 'market',
  name: '新华路便民市场',
  geometry: { type: 'Point', coordinates: [115.986, 36.455] },
  address: '新华路88号',
  unitId: 'u02',
  keeper: '赵点位',
  contact: '钱联系',
  phone: '0634-1234567',
  notes: '早市 6:00–9:00',
  ...over,
});

const markets = async () => ((await getJson(fx.app, '/api/layers/markets')).body.features as { id: string }[]).map((f) => f.id);

async function registrySheet(): Promise<unknown[][]> {
  const res = await fx.app.request('/api/places/export.xlsx');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  wb.getWorksheet('点位信息表')!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  return rows.slice(2);
}

describe('POST /api/places', () => {
  it('adds a point at version 1 in the subdistrict it lies in, with who answers for it, on the map and in the 点位信息表', async () => {
    const leaderId = (await fx.store.userForLogin('test-leader'))!.user.id;
    const { status, headers, body } = await post('/api/places', market({ leaderId }), inspector);
    expect(status).toBe(201);
    expect(PlaceDetail.parse(body)).toEqual(body);
    expect(body.id).toMatch(/^mk-[0-9a-f]{8}$/);
    expect(headers.get('location')).toBe(`/api/places/${body.id}`);
    expect(body.properties).toMatchObject({
      kind: 'market',
      name: '新华路便民市场',
      subdistrictId: 'sd02',
      subdistrictName: '东城街道',
      unitName: '东关市场服务中心',
      leaderId,
      leaderName: 'test-leader',
      keeper: '赵点位',
      contact: '钱联系',
      phone: '0634-1234567',
      version: 1,
      retiredAt: null,
      problemCounts: { total: 0, open: 0, overdue: 0 },
    });
    expect(await markets()).toContain(body.id);
    const row = (await registrySheet()).find((r) => r[2] === '新华路便民市场')!;
    expect(row.slice(1, 12)).toEqual([
      '农贸市场',
      '新华路便民市场',
      '新华路88号',
      '东城街道',
      '东关市场服务中心',
      'test-leader',
      '赵点位',
      '钱联系',
      '0634-1234567',
      115.986,
      36.455,
    ]);
    const history = (await getJson(fx.app, `/api/places/${body.id}/history`)).body;
    expect(PlaceHistory.parse(history)).toEqual(history);
    expect(history.entries).toHaveLength(1);
    expect(history.entries[0]).toMatchObject({ version: 1, action: 'create', by: 'test-inspector（test-inspector）' });
    expect(history.entries[0].changes.map((c: { field: string }) => c.field)).toEqual(
      expect.arrayContaining(['kind', 'name', 'geometry', 'address', 'subdistrictId', 'unitId', 'leaderId', 'keeper', 'contact', 'phone', 'notes']),
    );
  });

  it('measures a back street and takes a community with its entrance', async () => {
    const bs = await post('/api/places', {
      kind: 'back-street',
      name: '槐荫巷',
      geometry: {
        type: 'LineString',
        coordinates: [
          [115.972, 36.457],
          [115.974, 36.457],
        ],
      },
    });
    expect(bs.status).toBe(201);
    expect(bs.body.id).toMatch(/^bs-/);
    expect(bs.body.properties.lengthM).toBeCloseTo(179, 0);
    const cm = await post('/api/places', {
      kind: 'community',
      name: '槐荫小区',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [115.971, 36.4555],
            [115.973, 36.4555],
            [115.973, 36.4565],
            [115.971, 36.4565],
            [115.971, 36.4555],
          ],
        ],
      },
      entrance: [115.973, 36.456],
    });
    expect(cm.status).toBe(201);
    expect(cm.body.properties).toMatchObject({ kind: 'community', entrance: [115.973, 36.456], subdistrictId: 'sd01' });
  });

  it('refuses what would spoil the registry with a 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ geometry: { type: 'Point', coordinates: [116.2, 36.455] } }, 'json.geometry', /outside the city/],
      [{ name: '   ' }, 'json.name', /name/],
      [{ phone: '电话待补' }, 'json.phone', /not a phone number/],
      [{ unitId: 'u99' }, 'json.unitId', /no responsible unit "u99"/],
      [{ kind: 'shop' }, 'json.kind', /no point type "shop"/],
      [
        {
          geometry: {
            type: 'LineString',
            coordinates: [
              [115.985, 36.455],
              [115.986, 36.455],
            ],
          },
        },
        'json.geometry',
        /market is drawn as Point/,
      ],
      [{ leaderId: (await fx.store.userForLogin('test-inspector'))!.user.id }, 'json.leaderId', /no leader's account/],
      [
        {
          kind: 'community',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [115.971, 36.451],
                [115.973, 36.453],
                [115.973, 36.451],
                [115.971, 36.453],
                [115.971, 36.451],
              ],
            ],
          },
        },
        'json.geometry',
        /crosses itself/,
      ],
    ];
    for (const [over, path, message] of cases) {
      const { status, body } = await post('/api/places', market({ name: '测试市场', ...over }));
      expect(status, JSON.stringify(over)).toBe(400);
      expect(body.details[0].path, JSON.stringify(over)).toBe(path);
      expect(body.details[0].message, JSON.stringify(over)).toMatch(message);
    }
  });

  it('refuses a second market of the same name within 20 m, and takes one 30 m away', async () => {
    // mk01 东关农贸市场 is at [115.984, 36.448]; 0.0001° of latitude is 11 m.
    const near = await post('/api/places', market({ name: '东关农贸市场', geometry: { type: 'Point', coordinates: [115.984, 36.4481] } }));
    expect(near.status).toBe(400);
    expect(near.body.details[0]).toEqual({ path: 'json.name', message: expect.stringMatching(/「东关农贸市场」 \(mk01\) of the same type is 11 m away/) });
    const apart = await post('/api/places', market({ name: '东关农贸市场', geometry: { type: 'Point', coordinates: [115.984, 36.4483] } }));
    expect(apart.status).toBe(201);
  });

  it('is for the office: a responsible unit may not add points', async () => {
    expect((await post('/api/places', market({ name: '单位市场' }), await fx.signedIn('unit'))).status).toBe(403);
  });
});

describe('PATCH, history and undo', () => {
  it('renames and moves a point, shows who changed what, and undoes the latest edit as a new version', async () => {
    const created = (await post('/api/places', market({ name: '河西市场', geometry: { type: 'Point', coordinates: [115.985, 36.442] } }))).body;
    const id = created.id as string;
    const renamed = await patch(`/api/places/${id}`, { version: 1, name: '河西综合市场', phone: '13812345678' }, inspector);
    expect(renamed.status).toBe(200);
    expect(renamed.body.properties).toMatchObject({ name: '河西综合市场', phone: '13812345678', version: 2 });
    // Moved west across the boundary: its subdistrict follows it.
    const moved = await patch(`/api/places/${id}`, { version: 2, geometry: { type: 'Point', coordinates: [115.975, 36.442] } }, leader);
    expect(moved.body.properties).toMatchObject({ subdistrictId: 'sd01', version: 3 });

    const history = (await getJson(fx.app, `/api/places/${id}/history`)).body;
    expect(history.entries.map((e: { version: number; action: string; by: string }) => [e.version, e.action, e.by])).toEqual([
      [3, 'update', 'test-leader（test-leader）'],
      [2, 'update', 'test-inspector（test-inspector）'],
      [1, 'create', 'admin（admin）'].map((v, i) => (i === 2 ? expect.any(String) : v)),
    ]);
    expect(history.entries[1].changes).toEqual([
      { field: 'name', before: '河西市场', after: '河西综合市场' },
      { field: 'phone', before: '0634-1234567', after: '13812345678' },
    ]);
    expect(history.entries[0].changes).toEqual([
      { field: 'geometry', before: { type: 'Point', coordinates: [115.985, 36.442] }, after: { type: 'Point', coordinates: [115.975, 36.442] } },
      { field: 'subdistrictId', before: 'sd02', after: 'sd01' },
    ]);

    const undone = await post(`/api/places/${id}/undo`, { version: 3 });
    expect(undone.status).toBe(200);
    expect(undone.body.geometry.coordinates).toEqual([115.985, 36.442]);
    expect(undone.body.properties).toMatchObject({ subdistrictId: 'sd02', name: '河西综合市场', version: 4 });
    const latest = (await getJson(fx.app, `/api/places/${id}/history`)).body.entries[0];
    expect(latest).toMatchObject({ version: 4, action: 'undo' });
  });

  it('keeps photos of a point: uploaded, listed in order, in its history, undone like any field; an unknown hash is a 400', async () => {
    const upload = async (color: string) => {
      const fd = new FormData();
      fd.append('photos', new File([new Uint8Array(await jpegWithExif({ color, takenAt: '2026:03:19 09:30:00' }))], '大门.jpg', { type: 'image/jpeg' }));
      const res = await inspector.request('/api/media', { method: 'POST', body: fd });
      expect(res.status).toBe(200);
      return ((await res.json()) as { photos: { hash: string }[] }).photos[0].hash;
    };
    const [gate, stalls] = [await upload('#c04040'), await upload('#4040c0')];
    const made = await post(
      '/api/places',
      market({ name: '光明市场', geometry: { type: 'Point', coordinates: [115.986, 36.452] }, photos: [gate] }),
      inspector,
    );
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.properties.photos).toEqual([
      { hash: gate, url: `/media/${gate}`, screenUrl: `/media/${gate}/screen`, thumbUrl: `/media/${gate}/thumb`, takenAt: '2026-03-19T09:30:00+08:00' },
    ]);
    const id = made.body.id as string;
    const both = await patch(`/api/places/${id}`, { version: 1, photos: [stalls, gate] }, inspector);
    expect(both.body.properties.photos.map((p: { hash: string }) => p.hash)).toEqual([stalls, gate]);
    expect((await inspector.request(both.body.properties.photos[0].thumbUrl)).status).toBe(200);
    const history = (await getJson(fx.app, `/api/places/${id}/history`)).body;
    expect(history.entries[0].changes).toEqual([{ field: 'photos', before: [gate], after: [stalls, gate] }]);

    const undone = await post(`/api/places/${id}/undo`, { version: 2 });
    expect(undone.body.properties.photos.map((p: { hash: string }) => p.hash)).toEqual([gate]);
    const none = await patch(`/api/places/${id}`, { version: 3, photos: [] }, inspector);
    expect(none.body.properties.photos).toEqual([]);

    const unknown = await patch(`/api/places/${id}`, { version: 4, photos: [gate, 'f'.repeat(64)] }, inspector);
    expect(unknown.status).toBe(400);
    expect(unknown.body.details[0].path).toBe('json.photos.1');
    const fd = new FormData();
    fd.append('photos', new File([new Uint8Array(clip('clip-2s.webm'))], '市场.webm', { type: 'video/webm' }));
    const uploaded = await inspector.request('/api/media', { method: 'POST', body: fd });
    expect(uploaded.status).toBe(200);
    const video = ((await uploaded.json()) as { photos: { hash: string }[] }).photos[0].hash;
    const asPhoto = await patch(`/api/places/${id}`, { version: 4, photos: [video] }, inspector);
    expect(asPhoto.status).toBe(400);
    expect(asPhoto.body.details[0]).toMatchObject({ path: 'json.photos.0', message: expect.stringContaining('video clip') });
    const twice = await patch(`/api/places/${id}`, { version: 4, photos: [gate, gate] }, inspector);
    expect(twice.status).toBe(400);
    const tooMany = await patch(`/api/places/${id}`, { version: 4, photos: Array.from({ length: 10 }, () => gate) }, inspector);
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body)).toMatch(/at most 9 photos/);
  });

  it('answers 409 to an edit made on a version someone changed since, naming who and when', async () => {
    const id = (await post('/api/places', market({ name: '南关市场', geometry: { type: 'Point', coordinates: [115.988, 36.442] } }))).body.id;
    expect((await patch(`/api/places/${id}`, { version: 1, contact: '孙经理' }, leader)).status).toBe(200);
    const second = await patch(`/api/places/${id}`, { version: 1, contact: '李经理' }, inspector);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatch(/点位「南关市场」已被 test-leader（test-leader） 于 2026-03-20 \d\d:\d\d 修改（现为第 2 版，你打开的是第 1 版）/);
    expect((await getJson(fx.app, `/api/places/${id}`)).body.properties.contact).toBe('孙经理');
    expect((await post(`/api/places/${id}/undo`, { version: 1 })).status).toBe(409);
  });

  it('has nothing to undo on a point as imported', async () => {
    const { status, body } = await post('/api/places/mk01/undo', { version: 1 });
    expect(status).toBe(409);
    expect(body.error).toMatch(/没有可撤销/);
  });

  it('undoes an addition by retiring the point', async () => {
    const id = (await post('/api/places', market({ name: '临时市场', geometry: { type: 'Point', coordinates: [115.988, 36.444] } }))).body.id;
    const undone = await post(`/api/places/${id}/undo`, { version: 1 });
    expect(undone.body.properties.retiredAt).not.toBeNull();
    expect(await markets()).not.toContain(id);
  });
});

describe('retire and restore', () => {
  it('takes a point off the map, the registry sheet and the counts, keeps its problems, and brings it back', async () => {
    const before = (await getJson(fx.app, '/api/places/mk01')).body.properties;
    const named = async () => (await registrySheet()).filter((r) => r[2] === '东关农贸市场').length;
    const sheetRows = await named();
    const retired = await post('/api/places/mk01/retire', { version: before.version, reason: '市场已拆除' });
    expect(retired.status).toBe(200);
    expect(retired.body.properties).toMatchObject({ retiredReason: '市场已拆除', problemCounts: before.problemCounts, version: before.version + 1 });
    expect(retired.body.properties.retiredAt).toMatch(/^2026-03-20T/);
    expect(await markets()).not.toContain('mk01');
    expect(await named()).toBe(sheetRows - 1);
    expect((await post('/api/places/mk01/retire', { reason: '再次' })).status).toBe(409);
    const history = (await getJson(fx.app, '/api/places/mk01/history')).body.entries;
    expect(history[0]).toMatchObject({ action: 'retire', changes: [{ field: 'retired', before: null, after: '市场已拆除' }] });

    const restored = await post('/api/places/mk01/restore', {});
    expect(restored.status).toBe(200);
    expect(restored.body.properties).toMatchObject({ retiredAt: null, version: before.version + 2 });
    expect(await markets()).toContain('mk01');
  });

  it('needs a reason', async () => {
    const { status, body } = await post('/api/places/cm01/retire', { reason: '' });
    expect(status).toBe(400);
    expect(body.details[0].path).toBe('json.reason');
  });
});

describe('GET /api/places and /api/places/leaders', () => {
  it('lists the points in use, by type, subdistrict, name and leader, and the retired ones apart', async () => {
    const leaderId = (await fx.store.userForLogin('test-leader'))!.user.id;
    const list = async (q: string) =>
      (await getJson(fx.app, `/api/places${q}`)).body.places as { id: string; name: string; at: number[]; retiredAt: string | null }[];
    const kept = (await post('/api/places', market({ name: '列表市场', leaderId, geometry: { type: 'Point', coordinates: [115.987, 36.451] } }))).body.id;
    const gone = (await post('/api/places', market({ name: '列表旧市场', geometry: { type: 'Point', coordinates: [115.987, 36.452] } }))).body.id;
    await post(`/api/places/${gone}/retire`, { reason: '已关闭' });

    const inUse = await list('?q=列表');
    expect(inUse.map((p) => p.id)).toEqual([kept]);
    expect(inUse[0].at).toEqual([115.987, 36.451]);
    expect((await list('?q=列表&status=retired')).map((p) => [p.id, typeof p.retiredAt])).toEqual([[gone, 'string']]);
    expect((await list('?q=列表&status=all')).map((p) => p.id).sort()).toEqual([kept, gone].sort());
    expect((await list(`?leader=${leaderId}`)).map((p) => p.id)).toContain(kept);
    expect((await list('?kind=back-street&subdistrict=sd01')).every((p) => p.id.startsWith('bs'))).toBe(true);
    // The lane's marker is halfway along it (28.7 m into its second segment).
    expect((await list('?q=羊市街'))[0].at).toEqual([expect.closeTo(115.975234, 5), expect.closeTo(36.444676, 5)]);
  });

  it('offers leaders and administrators as 包抓领导, and is not for a unit', async () => {
    const { body } = await getJson(fx.app, '/api/places/leaders');
    expect(body.leaders.map((l: { username: string }) => l.username)).toEqual(expect.arrayContaining(['test-leader', 'test-admin']));
    expect(body.leaders.map((l: { username: string }) => l.username)).not.toContain('test-inspector');
    expect((await (await fx.signedIn('unit')).request('/api/places')).status).toBe(403);
  });
});

describe('basemap tiles after edits', () => {
  /** A tile's registry features as sorted "layer id name geometry" lines, comparable between two builds. */
  const lines = async (pending: Promise<Uint8Array | null>) => {
    const bytes = await pending;
    if (!bytes) return [];
    const tile = await decodeTile(new Response(bytes as Uint8Array<ArrayBuffer>));
    return Object.entries(tile)
      .filter(([name]) => ['markets', 'communities', 'community-labels', 'back-streets', 'points'].includes(name))
      .flatMap(([name, fs]) => fs.map((f) => `${name} ${String(f.properties.id)} ${String(f.properties.name)} ${JSON.stringify(f.geometry)}`))
      .sort();
  };

  it('redraw the points edited since the registry was indexed, exactly as a fresh build of it draws them', async () => {
    const live = createBaseTiles(fx.store);
    await live.warm();
    const z = BASE_MAX_ZOOM;
    const { x, y } = tileOf(115.985, 36.45, z);
    const tile = () => live.getTile(z, x, y);
    const fresh = () => createBaseTiles(fx.store).getTile(z, x, y);
    const before = await lines(tile());

    // Renamed, moved, added, retired: each shows at once, the old shapes gone.
    const made = await post('/api/places', market({ name: '瓦片市场', geometry: { type: 'Point', coordinates: [115.9852, 36.4502] } }), inspector);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const id = made.body.id as string;
    expect((await lines(tile())).some((l) => l.includes(`${id} 瓦片市场`))).toBe(true);
    await patch(`/api/places/${id}`, { version: 1, name: '瓦片新市场', geometry: { type: 'Point', coordinates: [115.9856, 36.4504] } }, inspector);
    const renamed = await lines(tile());
    expect(renamed.filter((l) => l.includes(id))).toEqual([expect.stringContaining(`${id} 瓦片新市场`)]);
    expect(renamed).toEqual(await lines(fresh()));
    const mk01 = (await getJson(fx.app, '/api/places/mk01')).body;
    await patch('/api/places/mk01', { version: mk01.properties.version, name: '东关综合市场' }, inspector);
    await post(`/api/places/${id}/retire`, { reason: '拆除' }, inspector);
    const now = await lines(tile());
    expect(now.some((l) => l.includes(id))).toBe(false);
    expect(now.some((l) => l.includes('mk01 东关综合市场'))).toBe(true);
    expect(now).toEqual(await lines(fresh()));
    expect(now).not.toEqual(before);
  });
});
