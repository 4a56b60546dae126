import { describe, expect, it } from 'vitest';
import { backoffMs, memoryStorage, SendError, SyncQueue, type QueuedRecord, type ReportPayload } from '../../../client/src/lib/sync-queue';

const payload = (description: string): ReportPayload => ({ category: 'occupy-road', lng: 120.1, lat: 30.2, description, reporter: 'a', source: 'inspection', photos: [] });

/** A fake server that stores a report once per Idempotency-Key, like POST /api/problems. */
function fakeServer() {
  const byKey = new Map<string, string>();
  const received: string[] = [];
  let down = false;
  let loseAnswers = 0;
  return {
    byKey,
    received,
    setDown: (v: boolean) => void (down = v),
    loseNextAnswers: (n: number) => void (loseAnswers = n),
    send: async (r: QueuedRecord) => {
      if (down) throw new SendError('offline', false);
      received.push(r.payload.description);
      if (!byKey.has(r.id)) byKey.set(r.id, `P${byKey.size + 1}`);
      if (loseAnswers > 0) {
        loseAnswers--;
        throw new SendError('the answer was lost', false);
      }
      return byKey.get(r.id)!;
    },
  };
}

function setup() {
  let t = 1_000_000;
  let n = 0;
  const server = fakeServer();
  const storage = memoryStorage();
  const queue = new SyncQueue(storage, server.send, { now: () => t, newId: () => `uuid-${++n}`, backoff: (a) => backoffMs(a, 1000, 8000) });
  return { queue, server, storage, advance: (ms: number) => void (t += ms) };
}

describe('SyncQueue', () => {
  it('stores a record as waiting before anything is sent', async () => {
    const { queue, server } = setup();
    await queue.addReport(payload('one'), 'li');
    expect((await queue.list()).map((r) => r.state)).toEqual(['waiting']);
    expect(server.received).toEqual([]);
  });

  it('sends in the order the records were made', async () => {
    const { queue, server } = setup();
    for (const d of ['a', 'b', 'c']) await queue.addReport(payload(d), 'li');
    await queue.sync('li');
    expect(server.received).toEqual(['a', 'b', 'c']);
    expect((await queue.list()).map((r) => [r.state, r.resultId])).toEqual([['sent', 'P1'], ['sent', 'P2'], ['sent', 'P3']]);
  });

  it('stops at a passing failure so later records do not overtake, and backs off', async () => {
    const { queue, server, advance } = setup();
    await queue.addReport(payload('a'), 'li');
    await queue.addReport(payload('b'), 'li');
    server.setDown(true);
    await queue.sync('li');
    let list = await queue.list();
    expect(list.map((r) => r.state)).toEqual(['waiting', 'waiting']);
    expect(list[0]).toMatchObject({ attempts: 1, reason: 'offline', nextAttemptAt: 1_000_000 + 1000 });
    expect(list[1].attempts).toBe(0);
    server.setDown(false);
    await queue.sync('li'); // not due yet: nothing is sent
    expect(server.received).toEqual([]);
    advance(1000);
    await queue.sync('li');
    expect(server.received).toEqual(['a', 'b']);
    list = await queue.list();
    expect(list.map((r) => r.state)).toEqual(['sent', 'sent']);
  });

  it('doubles the delay up to the cap', () => {
    expect([1, 2, 3, 4, 5, 10].map((a) => backoffMs(a, 1000, 8000))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoffMs(1)).toBe(2000);
  });

  it('a lost answer is resent with the same key and the server stores the record once', async () => {
    const { queue, server, advance } = setup();
    await queue.addReport(payload('a'), 'li');
    server.loseNextAnswers(1);
    await queue.sync('li');
    advance(60_000);
    await queue.sync('li');
    expect(server.received).toEqual(['a', 'a']);
    expect(server.byKey.size).toBe(1);
    expect((await queue.list())[0]).toMatchObject({ state: 'sent', resultId: 'P1', attempts: 2 });
  });

  it('resends a record left "sending" by a closed page, with the same key', async () => {
    const { queue, server, storage } = setup();
    const r = await queue.addReport(payload('a'), 'li');
    await storage.put({ ...r, state: 'sending' });
    await queue.sync('li');
    expect(server.received).toEqual(['a']);
    expect([...server.byKey.keys()]).toEqual([r.id]);
  });

  it('marks a refused record failed with the reason, goes on, and retries it only by hand', async () => {
    const storage = memoryStorage();
    let refuse = true;
    const sent: string[] = [];
    const queue = new SyncQueue(storage, async (r) => {
      if (r.payload.description === 'bad' && refuse) throw new SendError('unknown category', true);
      sent.push(r.payload.description);
      return r.id;
    });
    await queue.addReport(payload('bad'), 'li');
    await queue.addReport(payload('good'), 'li');
    await queue.sync('li');
    let list = await queue.list();
    expect(list.map((r) => [r.state, r.reason])).toEqual([['failed', 'unknown category'], ['sent', null]]);
    await queue.sync('li');
    expect(sent).toEqual(['good']);
    refuse = false;
    await queue.retry(list[0].id);
    await queue.sync('li');
    list = await queue.list();
    expect(list.map((r) => r.state)).toEqual(['sent', 'sent']);
    expect(sent).toEqual(['good', 'bad']);
  });

  it('runs one pass at a time: two sync calls send each record once', async () => {
    const { queue, server } = setup();
    await queue.addReport(payload('a'), 'li');
    await queue.addReport(payload('b'), 'li');
    await Promise.all([queue.sync('li'), queue.sync('li')]);
    expect(server.received).toEqual(['a', 'b']);
  });

  it("sends only the signed-in person's records, and others' do not hold mine back", async () => {
    const { queue, server } = setup();
    await queue.addReport(payload('zhang-1'), 'zhang');
    await queue.addReport(payload('li-1'), 'li');
    await queue.sync('li');
    expect(server.received).toEqual(['li-1']);
    expect((await queue.list('zhang')).map((r) => r.state)).toEqual(['waiting']);
    await queue.sync('zhang');
    expect(server.received).toEqual(['li-1', 'zhang-1']);
  });

  it('clearSent forgets only sent records', async () => {
    const { queue, server } = setup();
    await queue.addReport(payload('a'), 'li');
    await queue.sync('li');
    server.setDown(true);
    await queue.addReport(payload('b'), 'li');
    await queue.sync('li');
    await queue.clearSent();
    expect((await queue.list()).map((r) => r.payload.description)).toEqual(['b']);
  });
});
