import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app';
import type { RegistryImportResult } from '../../../server/contract/places';
import { loadCatalog } from '../../../server/services/assessment/catalog';
import { openStore, type Store } from '../../../server/store/index';
import { importCity } from '../../../scripts/import/import-city';
import { as, signIn } from '../../api/fixture';
import { jpegWithExif } from '../../fixtures/media/photos';
import { OSM_EXTRACTS, tempDir } from './helpers';

/*
 * A real extract merged into the city it made, after the city has lived a while (a problem reported, a
 * point edited by hand): the extract edited as a mapper would in JOSM — one bus stop moved, one community
 * renamed, one market deleted (action="delete"), one market added — shows exactly those four in the dry
 * run, applies them as registry edits, and keeps every problem.
 */
const CATALOG = new URL('../../../data/catalog', import.meta.url).pathname;
const EXTRACT = join(OSM_EXTRACTS, 'nanjing-xinjiekou-2021.osm');
const dirs: string[] = [];
const brief = (m: RegistryImportResult) => m.changes.map((c) => [c.action, c.name, c.fields.join(','), c.movedM]);
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function edited(dir: string): string {
  let s = readFileSync(EXTRACT, 'utf8');
  const swap = (from: string, to: string) => {
    expect(s.includes(from), from).toBe(true);
    s = s.replace(from, to);
  };
  swap('<node id="1378529899" lat="32.0362206" lon="118.7889670">', '<node id="1378529899" lat="32.0367206" lon="118.7889670">'); // 杨公井 bus stop, 55.6 m north
  swap('<way id="857245092">', '<way id="857245092" action="delete">'); // 科巷菜市场
  const i = s.indexOf('<way id="857726131"');
  s = s.slice(0, i) + s.slice(i).replace('华侨路二十六号小区', '华侨路二十六号院');
  swap(
    '</osm>',
    '  <node id="-101" action="modify" lat="32.0400" lon="118.7850">\n    <tag k="amenity" v="marketplace"/>\n    <tag k="name" v="新街口农贸市场"/>\n  </node>\n</osm>',
  );
  const file = join(dir, 'edited.osm');
  writeFileSync(file, s);
  return file;
}

async function withApp<T>(dataDir: string, f: (app: ReturnType<typeof as>, store: Store) => Promise<T>): Promise<T> {
  const store = openStore(join(dataDir, 'xuncha.db'));
  try {
    const app = await createApp({
      store,
      catalog: loadCatalog(CATALOG),
      clientDir: null,
      logError: (e) => {
        throw e;
      },
    });
    return await f(as(app, await signIn(store, 'admin')), store);
  } finally {
    await store.close();
  }
}

/** A problem reported at 科巷菜市场 (the market the edited extract deletes), as the field page reports one. */
async function report(app: ReturnType<typeof as>): Promise<string> {
  const fd = new FormData();
  for (const [k, v] of Object.entries({ category: 'occupy-road', lng: 118.7911, lat: 32.0409, description: '占道经营', reporter: '督查组 李' }))
    fd.set(k, String(v));
  fd.append('photos', new File([new Uint8Array(await jpegWithExif({}))], 'IMG_0001.jpg', { type: 'image/jpeg' }));
  const res = await app.request('/api/problems', { method: 'POST', body: fd });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { problem: { id: string } }).problem.id;
}

describe('npm run import --merge: a map file merged into the registry', () => {
  it("a dry run lists what the JOSM-edited extract adds, renames and moves, keeps the clerk's hand edits and writes nothing; loading it as the city is refused", async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    await importCity({ file: EXTRACT, dataDir, name: '南京新街口' });
    const file = edited(dataDir);

    // The city lives: a problem at the market about to be deleted, a contact and a name typed in the office.
    const problemId = await withApp(dataDir, async (app) => {
      const id = await report(app);
      for (const [id, body] of [
        ['mkw857245092', { contact: '王经理', phone: '13812345678' }],
        ['ptn1378534757', { name: '户部街站' }],
      ] as const) {
        const v = (await (await app.request(`/api/places/${id}`)).json()) as { properties: { version: number } };
        const res = await app.request(`/api/places/${id}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ version: v.properties.version, ...body }),
        });
        expect(res.status, await res.clone().text()).toBe(200);
      }
      return id;
    });

    // Loading the file as the city would lose all that: refused, saying what and what to run instead.
    await expect(importCity({ file, dataDir })).rejects.toThrow(/would remove 1 problems, 2 registry edits .*--merge .*--replace/);

    const dry = (await importCity({ file, dataDir, merge: true, actor: '测试' })).merge!;
    // The deleted market was edited in the office (a contact), the renamed stop by hand: both stay as the clerk made them.
    expect(brief(dry)).toEqual([
      ['add', '新街口农贸市场', '', null],
      ['update', '华侨路二十六号院', 'name', null],
      ['update', '杨公井', 'geometry', 55.6],
    ]);
    expect(dry).toMatchObject({ dryRun: true, added: 1, changed: 1, moved: 1, retired: 0, kept: 2, skipped: [] });
    await withApp(dataDir, async (app, store) => {
      expect((await store.placeState('ptn1378534757'))!.state.name).toBe('户部街站');
      expect((await store.listPlaces({ status: 'in-use' })).find((p) => p.state.name === '新街口农贸市场')).toBeUndefined(); // a dry run writes nothing
      expect((await app.request(`/api/problems/${problemId}`)).status).toBe(200);
    });
  });

  it('applied, exactly the four changes of the dry run are history entries of action merge, the retired market keeps its problem, and a second merge finds nothing to do', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    await importCity({ file: EXTRACT, dataDir, name: '南京新街口' });
    const file = edited(dataDir);
    const { before, problemId } = await withApp(dataDir, async (app, store) => ({
      before: (await store.listPlaces({ status: 'all' })).length,
      problemId: await report(app),
    }));

    const dry = (await importCity({ file, dataDir, merge: true })).merge!;
    const applied = (await importCity({ file, dataDir, merge: true, apply: true, actor: '测试' })).merge!;
    expect(brief(dry)).toEqual(brief(applied));
    expect(brief(applied)).toEqual([
      ['add', '新街口农贸市场', '', null],
      ['update', '华侨路二十六号院', 'name', null],
      ['update', '杨公井', 'geometry', 55.6],
      ['retire', '科巷菜市场', 'retired', null],
    ]);
    expect(applied).toMatchObject({ dryRun: false, unchanged: 262, added: 1, changed: 1, moved: 1, retired: 1, kept: 0 });
    const added = applied.changes.find((c) => c.action === 'add')!;
    expect(added.id).toBe('mkn-101'); // the file's own id: the next merge matches it

    await withApp(dataDir, async (app, store) => {
      expect(await store.listPlaces({ status: 'all' })).toHaveLength(before + 1);
      expect((await store.placeState('mkw857245092'))!.state.retired?.reason).toMatch(/地图数据中已无此点位/);
      const h = (await (await app.request('/api/places/ptn1378529899/history')).json()) as { entries: { action: string; by: string }[] };
      expect(h.entries[0]).toMatchObject({ action: 'merge', by: '测试' });
      // Retired, not deleted: its page still answers, and the problem reported there is still there.
      expect((await app.request('/api/places/mkw857245092')).status).toBe(200);
      expect((await app.request(`/api/problems/${problemId}`)).status).toBe(200);
    });
    expect((await importCity({ file, dataDir, merge: true })).merge).toMatchObject({ added: 0, changed: 0, moved: 0, retired: 0, unchanged: 265 });
  });
});
