import { afterAll, describe, expect, it } from 'vitest';
import { fixtureApp, readSse, type Sse } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

/** Opens the stream and reads events until `until` says stop; then closes it. */
async function readEvents(path: string, headers: Record<string, string>, until: (events: Sse[]) => boolean, during?: () => Promise<void>): Promise<Sse[]> {
  const res = await fx.app.request(path, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  return readSse(res, until, during);
}

const move = (id: string, body: unknown) =>
  fx.app.request(`/api/problems/${id}/transitions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('GET /api/events', () => {
  it('sends transitions as they happen, then replays what a reconnect missed', async () => {
    const live = await readEvents(
      '/api/events',
      {},
      (e) => e.filter((x) => x.event === 'problem.transition').length >= 2,
      async () => {
        await move('p04', { to: 'assigned' });
        await move('p04', { to: 'rectified', note: '已清运' });
      },
    );
    expect(live[0].event).toBe('ready');
    const transitions = live.filter((e) => e.event === 'problem.transition');
    expect(transitions.map((e) => JSON.parse(e.data))).toMatchObject([
      { id: 'p04', action: 'assign', from: 'reported', to: 'assigned' },
      { id: 'p04', action: 'rectify', from: 'assigned', to: 'rectified' },
    ]);
    const lastSeen = transitions[0].id!;

    // Disconnected after the first; meanwhile one more happens. Reconnecting replays both missed ones.
    await move('p04', { to: 'closed' });
    const replay = await readEvents('/api/events', { 'Last-Event-ID': lastSeen }, (e) => e.filter((x) => x.event === 'problem.transition').length >= 2);
    expect(replay.filter((e) => e.event === 'problem.transition').map((e) => JSON.parse(e.data).action)).toEqual(['rectify', 'pass']);
    expect(Number(replay.find((e) => e.event === 'problem.transition')!.id)).toBe(Number(lastSeen) + 1);

    const since = await readEvents(`/api/events?since=${lastSeen}`, {}, (e) => e.filter((x) => x.event === 'problem.transition').length >= 2);
    expect(since.filter((e) => e.event === 'problem.transition').map((e) => e.id)).toEqual(
      replay.filter((e) => e.event === 'problem.transition').map((e) => e.id),
    );
  });

  it('400s a bad since', async () => {
    expect((await fx.app.request('/api/events?since=yesterday')).status).toBe(400);
  });
});
