import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  ConflictError,
  memoryStorage,
  SendError,
  SyncQueue,
  type CheckPayload,
  type QueuedRecord,
  type ReportPayload,
  type TrackPayload,
  type TransitionPayload,
} from '../../../client/src/lib/sync-queue';

const payload = (description: string): ReportPayload => ({
  category: 'occupy-road',
  lng: 120.1,
  lat: 30.2,
  description,
  reporter: 'a',
  source: 'inspection',
  photos: [],
});
const check = (pointId: string, problemIds: string[] = []): CheckPayload => ({
  planId: 'plan-1',
  pointId,
  pointName: pointId,
  items: [{ itemId: 'market-zoning', result: problemIds.length ? 'fail' : 'pass' }],
  at: '2026-03-20T10:00:00+08:00',
  lngLat: null,
  problemIds,
});
const lookBack = (problemId: string, to: 'closed' | 'assigned' = 'closed'): TransitionPayload => ({
  problemId,
  to,
  expect: 'rectified',
  note: '',
  label: problemId,
  lngLat: [120.1, 30.2],
  category: 'small-ads',
});
const track = (...pointIds: string[]): TrackPayload => ({
  planId: 'plan-1',
  team: 0,
  points: pointIds.map((id, i) => ({ id, lng: 120.1, lat: 30.2 + i * 1e-4, at: `2026-03-20T10:00:${String(i * 6).padStart(2, '0')}+08:00`, accuracyM: 8 })),
});
/** What a record is, in a word, for comparing sent orders. */
function nameOf(r: QueuedRecord): string {
  switch (r.kind) {
    case 'report':
      return r.payload.description;
    case 'check':
      return `check:${r.payload.pointId}`;
    case 'transition':
      return `step:${r.payload.problemId}`;
    case 'track':
      return `track:${r.payload.points.map((p) => p.id).join(',')}`;
  }
}

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
      received.push(nameOf(r));
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
    expect((await queue.list()).map((r) => [r.state, r.resultId])).toEqual([
      ['sent', 'P1'],
      ['sent', 'P2'],
      ['sent', 'P3'],
    ]);
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
      if (nameOf(r) === 'bad' && refuse) throw new SendError('unknown category', true);
      sent.push(nameOf(r));
      return r.id;
    });
    await queue.addReport(payload('bad'), 'li');
    await queue.addReport(payload('good'), 'li');
    await queue.sync('li');
    let list = await queue.list();
    expect(list.map((r) => [r.state, r.reason])).toEqual([
      ['failed', 'unknown category'],
      ['sent', null],
    ]);
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
    expect((await queue.list()).map(nameOf)).toEqual(['b']);
  });

  it('sends reports, check results and look-backs in the one order they were made', async () => {
    const { queue, server } = setup();
    const reportId = queue.makeId();
    await queue.add('report', payload('stall'), 'li', reportId);
    await queue.add('check', check('mk01', [reportId]), 'li');
    await queue.add('transition', lookBack('p06'), 'li');
    await queue.sync('li');
    expect(server.received).toEqual(['stall', 'check:mk01', 'step:p06']);
    const list = await queue.list();
    expect(list.map((r) => r.kind)).toEqual(['report', 'check', 'transition']);
    // The check names the report by the UUID it was queued under, which is also its idempotency key.
    expect(list[1].kind === 'check' && list[1].payload.problemIds).toEqual([reportId]);
    expect(server.byKey.has(reportId)).toBe(true);
  });

  it('a look-back refused because someone else moved the problem becomes a conflict: kept, never retried, the rest goes on in order', async () => {
    const storage = memoryStorage();
    const sent: string[] = [];
    let calls = 0;
    const queue = new SyncQueue(
      storage,
      async (r) => {
        calls++;
        if (r.kind === 'transition' && r.payload.problemId === 'p15') {
          throw new ConflictError({
            message: 'Problem p15 is closed now',
            status: 'closed',
            by: '王主任（leader）',
            at: '2026-03-20T11:40:00+08:00',
            to: 'closed',
          });
        }
        sent.push(nameOf(r));
        return r.id;
      },
      { backoff: () => 0 },
    );
    await queue.add('report', payload('a'), 'li');
    await queue.add('transition', lookBack('p15', 'assigned'), 'li');
    await queue.add('check', check('mk02'), 'li');
    await queue.add('transition', lookBack('p06'), 'li');
    await queue.sync('li');
    expect(sent).toEqual(['a', 'check:mk02', 'step:p06']);
    let list = await queue.list();
    expect(list.map((r) => r.state)).toEqual(['sent', 'conflict', 'sent', 'sent']);
    expect(list[1].conflict).toEqual({
      message: 'Problem p15 is closed now',
      status: 'closed',
      by: '王主任（leader）',
      at: '2026-03-20T11:40:00+08:00',
      to: 'closed',
    });

    // Later passes and a "retry" do not resend it; only the inspector's "知道了" removes it.
    const before = calls;
    await queue.sync('li');
    await queue.retry(list[1].id);
    await queue.sync('li');
    expect(calls).toBe(before);
    expect((await queue.list())[1].state).toBe('conflict');
    await queue.dismiss(list[1].id);
    list = await queue.list();
    expect(list.map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);
  });

  it('keeps track batches in the one order with the other records, offline and back, each sent once with its points', async () => {
    const { queue, server } = setup();
    server.setDown(true);
    await queue.add('track', track('t1', 't2'), 'li');
    await queue.add('report', payload('heap'), 'li');
    await queue.add('track', track('t3'), 'li');
    await queue.sync('li');
    expect(server.received).toEqual([]);
    server.setDown(false);
    await queue.retry((await queue.list('li'))[0].id);
    await queue.sync('li');
    expect(server.received).toEqual(['track:t1,t2', 'heap', 'track:t3']);
    const list = await queue.list('li');
    expect(list.map((r) => [r.kind, r.state])).toEqual([
      ['track', 'sent'],
      ['report', 'sent'],
      ['track', 'sent'],
    ]);
    expect(list[0].payload).toEqual(track('t1', 't2'));
  });

  it('dismiss leaves waiting and sent records alone', async () => {
    const { queue, server } = setup();
    const a = await queue.addReport(payload('a'), 'li');
    server.setDown(true);
    const b = await queue.addReport(payload('b'), 'li');
    server.setDown(false);
    await queue.sync('li');
    server.setDown(true);
    const c = await queue.addReport(payload('c'), 'li');
    for (const r of [a, b, c]) await queue.dismiss(r.id);
    expect((await queue.list()).map(nameOf)).toEqual(['a', 'b', 'c']);
  });
});
