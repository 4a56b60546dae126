import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importLayers } from '../../../server/store/import-layers';
import { CURSOR_BATCH, openStore, type Store } from '../../../server/store/index';
import { FIXTURE_DIR } from '../../api/fixture';

// The store's asynchronous interface over SQLite's one connection: what a transaction, a snapshot and a
// cursor hold back, and what they let through (server/store/gate.ts).
let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xuncha-async-store-'));
  store = openStore(join(dir, 'xuncha.db'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const AT = '2026-12-08T10:00:00+08:00';
const value = async (key: string) => (await store.getSetting(key))?.value ?? null;

describe('a transaction', () => {
  it('holds other callers back until it commits, and its own calls pass even after real waits', async () => {
    const order: string[] = [];
    const tx = store.transaction(async () => {
      await store.putSetting('a', 1, AT);
      await sleep(30); // a timer: other requests' work runs meanwhile
      await store.putSetting('b', 2, AT);
      order.push('committed');
    });
    // Asked while the transaction is open: answered after it, and sees both writes.
    const seen = value('b').then((v) => {
      order.push('read');
      return v;
    });
    await tx;
    expect(await seen).toBe(2);
    expect(order).toEqual(['committed', 'read']);
  });

  it('rolls every write back when it throws, and the callers it held back carry on', async () => {
    const tx = store.transaction(async () => {
      await store.putSetting('a', 1, AT);
      await sleep(10);
      throw new Error('refused');
    });
    const waiting = value('a');
    await expect(tx).rejects.toThrow('refused');
    expect(await waiting).toBeNull();
    await store.putSetting('a', 3, AT);
    expect(await value('a')).toBe(3);
  });

  it('nests as a savepoint: an inner failure caught inside undoes only the inner writes', async () => {
    await store.transaction(async () => {
      await store.putSetting('outer', 1, AT);
      await expect(
        store.transaction(async () => {
          await store.putSetting('inner', 2, AT);
          throw new Error('inner refused');
        }),
      ).rejects.toThrow('inner refused');
    });
    expect(await value('outer')).toBe(1);
    expect(await value('inner')).toBeNull();
  });

  it('runs one at a time: two read-then-write transactions never interleave', async () => {
    await store.putSetting('n', 0, AT);
    const bump = () =>
      store.transaction(async () => {
        const n = (await value('n')) as number;
        await sleep(5);
        await store.putSetting('n', n + 1, AT);
      });
    await Promise.all(Array.from({ length: 10 }, bump));
    expect(await value('n')).toBe(10);
  });

  it('does not let a timer it started pass a later transaction once it is over', async () => {
    let late: Promise<unknown> | null = null;
    await store.transaction(async () => {
      // Scheduled inside the first transaction (its async context), run during the second.
      setTimeout(() => (late = value('second')), 15);
    });
    await store.transaction(async () => {
      await sleep(40);
      await store.putSetting('second', 'written', AT);
    });
    expect(late).not.toBeNull();
    expect(await late).toBe('written');
  });
});

describe('a cursor', () => {
  it('gives every row in batches and holds writes back until it is done or let go', async () => {
    importLayers(store, FIXTURE_DIR);
    const expected = (await store.counts()).problems;
    let rows = 0;
    let written: Promise<void> | null = null;
    let writtenDuring = false;
    for await (const batch of store.iterateProblemPoints()) {
      expect(batch.length).toBeLessThanOrEqual(CURSOR_BATCH);
      rows += batch.length;
      written ??= store.putSetting('during', true, AT).then(() => void (writtenDuring = rows < expected));
      await sleep(5);
    }
    expect(rows).toBe(expected);
    await written;
    expect(writtenDuring).toBe(false);

    // Left early: the cursor lets go of the connection.
    for await (const _batch of store.iterateProblemPoints()) break;
    await store.putSetting('after', true, AT);
    expect(await value('after')).toBe(true);
  });
});

describe('a snapshot', () => {
  it('reads as one view: a write asked for meanwhile lands after it', async () => {
    await store.putSetting('v', 'before', AT);
    // Another request's write: its continuation belongs to this (outside) context, not the snapshot's.
    let go = () => {};
    const write = new Promise<void>((resolve) => (go = resolve)).then(() => store.putSetting('v', 'after', AT));
    const seen = await store.snapshot(async () => {
      const first = await value('v');
      go();
      await sleep(20);
      return [first, await value('v')];
    });
    expect(seen).toEqual(['before', 'before']);
    await write;
    expect(await value('v')).toBe('after');
  });
});

describe('close', () => {
  it('waits for the transaction under way', async () => {
    const tx = store.transaction(async () => {
      await sleep(20);
      await store.putSetting('last', 1, AT);
    });
    const closed = store.close();
    await tx;
    await closed;
    const again = openStore(join(dir, 'xuncha.db'));
    expect((await again.getSetting('last'))?.value).toBe(1);
    store = again;
  });
});
