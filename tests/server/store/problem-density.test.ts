/** The bbox estimate grid is made once per import and kept, so a start or a pool worker does not make it again. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importLayers } from '../../../server/store/import-layers';
import { openStore } from '../../../server/store/index';
import { FIXTURE_DIR } from '../../api/fixture';

const dir = mkdtempSync(join(tmpdir(), 'xuncha-density-'));
const file = join(dir, 'xuncha.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('warmProblemEstimates', () => {
  it('keeps the grid under the import’s stamp, and makes a new one after the next import', async () => {
    const store = openStore(file);
    importLayers(store, FIXTURE_DIR);
    const bbox = [115.9, 36.4, 116.1, 36.5] as [number, number, number, number];
    const before = await store.queryProblems({ bbox }, { limit: 100, nowMs: 0 });
    await store.warmProblemEstimates();
    const saved = (await store.getSetting('problem-density'))?.value as { stamp: string; value: { total: number; counts: number[] } };
    expect(saved.stamp).toBe(await store.cityStamp());
    expect(saved.value.total).toBe((await store.counts()).problems);
    expect(saved.value.counts.reduce((a, b) => a + b, 0)).toBe((await store.counts()).problems);
    await store.close();

    // Another connection (a restart, a worker) answers the same from the kept grid.
    const again = openStore(file);
    expect(await again.queryProblems({ bbox }, { limit: 100, nowMs: 0 })).toEqual(before);
    importLayers(again, FIXTURE_DIR);
    await again.warmProblemEstimates();
    expect(((await again.getSetting('problem-density'))?.value as { stamp: string }).stamp).toBe(await again.cityStamp());
    await again.close();
  });
});
