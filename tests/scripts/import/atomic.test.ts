import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importCity } from '../../../scripts/import/import-city';
import { swapInto } from '../../../scripts/import/write-layers';
import { openStore } from '../../../server/store/index';
import { OSM_FIXTURES, tempDir } from './helpers';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function city(): Promise<{ dataDir: string; cityJson: string }> {
  const dataDir = tempDir();
  dirs.push(dataDir);
  await importCity({ file: join(OSM_FIXTURES, 'roads.osm'), dataDir, name: '旧城' });
  return { dataDir, cityJson: readFileSync(join(dataDir, 'layers', 'city.json'), 'utf8') };
}

async function expectIntact(dataDir: string, cityJson: string): Promise<void> {
  expect(readFileSync(join(dataDir, 'layers', 'city.json'), 'utf8')).toBe(cityJson);
  expect(readdirSync(dataDir).sort()).toEqual(['layers', 'xuncha.db']);
  const store = openStore(join(dataDir, 'xuncha.db'));
  try {
    expect((await store.getCity())?.name).toBe('旧城');
    expect((await store.counts()).roads).toBe(14);
  } finally {
    await store.close();
  }
}

describe('atomic import', () => {
  it('a malformed OSM file leaves the previous city (folder and database) intact', async () => {
    const { dataDir, cityJson } = await city();
    await expect(importCity({ file: join(OSM_FIXTURES, 'broken.osm'), dataDir })).rejects.toThrow(/broken\.osm:6:8/);
    await expectIntact(dataDir, cityJson);
  });

  it('a truncated PBF names the byte offset and leaves the previous city intact', async () => {
    const { dataDir, cityJson } = await city();
    const bad = join(tempDir(), 'cut.osm.pbf');
    dirs.push(join(bad, '..'));
    // A blob header that announces 13 bytes, then only 3.
    writeFileSync(bad, Buffer.from([0, 0, 0, 13, 0x0a, 0x09, 0x4f, 0x53]));
    await expect(importCity({ file: bad, dataDir })).rejects.toThrow('cut.osm.pbf: truncated at byte 4 (blob header)');
    await expectIntact(dataDir, cityJson);
  });

  it('a file without roads inside --bbox is refused before anything is written', async () => {
    const { dataDir, cityJson } = await city();
    await expect(importCity({ file: join(OSM_FIXTURES, 'roads.osm'), dataDir, bbox: [100, 20, 100.1, 20.1] })).rejects.toThrow(/no roads inside --bbox/);
    await expectIntact(dataDir, cityJson);
  });

  it('when loading the new folder fails, the previous folder is put back', () => {
    const root = tempDir();
    dirs.push(root);
    const target = join(root, 'layers');
    const next = join(root, 'next');
    mkdirSync(target);
    mkdirSync(next);
    writeFileSync(join(target, 'city.json'), 'old');
    writeFileSync(join(next, 'city.json'), 'new');
    expect(() =>
      swapInto(target, next, (dir) => {
        expect(readFileSync(join(dir, 'city.json'), 'utf8')).toBe('new');
        throw new Error('store refused it');
      }),
    ).toThrow('store refused it');
    expect(readFileSync(join(target, 'city.json'), 'utf8')).toBe('old');
    expect(readdirSync(root)).toEqual(['layers']);
    expect(existsSync(next)).toBe(false);
  });
});
