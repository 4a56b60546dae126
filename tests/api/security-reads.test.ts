import { afterAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../server/services/auth/auth';
import { SCREEN_REPLAY_MAX } from '../../server/services/problems/events';
import { fixtureApp, getJson, NOW, readSse, type Requester, type Sse } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

/** Reads the stream until `until` says stop; then closes it. */
async function readEvents(r: Requester, path: string, until: (events: Sse[]) => boolean): Promise<Sse[]> {
  const res = await r.request(path);
  expect(res.status).toBe(200);
  return readSse(res, until);
}

const move = (id: string, body: unknown) =>
  fx.app.request(`/api/problems/${id}/transitions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const screen = async (): Promise<Requester> => {
  const { secret } = await issueToken(fx.store, 'screen', 'wall', new Date(NOW));
  return { request: (p, init = {}) => fx.raw.request(p, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-screen-token': secret } }) };
};

describe('the event stream holds what the caller may read', () => {
  it('replays to a unit the events of its own problems only', async () => {
    // p03 is u02's, p08 u01's.
    expect((await move('p03', { to: 'rectified', note: '已整改' })).status).toBe(200);
    expect((await move('p08', { to: 'rectified', note: '已整改' })).status).toBe(200);
    const unit = await fx.signedIn('unit', 'u01');
    const events = await readEvents(unit, '/api/events?since=0', (e) => e.some((x) => x.data.includes('"p08"')));
    const ids = events.filter((e) => e.event !== 'ready').map((e) => JSON.parse(e.data).id as string);
    expect(ids).toContain('p08');
    expect(ids).not.toContain('p03');
  });

  it('gives a screen a short replay and only the fields it shows', async () => {
    for (let i = 0; i < SCREEN_REPLAY_MAX + 20; i++) {
      await fx.store.appendEvent('problem.created', '2026-03-20T12:00:00+08:00', {
        id: 'p01',
        category: 'c',
        lng: 1,
        lat: 2,
        status: 'reported',
        reporter: '王某某',
      });
    }
    const last = await fx.store.lastEventSeq();
    const events = await readEvents(await screen(), '/api/events?since=0', (e) => e.some((x) => x.id === String(last)));
    const replayed = events.filter((e) => e.id !== undefined);
    expect(replayed.length).toBeLessThanOrEqual(SCREEN_REPLAY_MAX);
    expect(replayed.every((e) => !e.data.includes('王某某'))).toBe(true);
  });
});

describe('a screen reads problems without what people wrote or who they are', () => {
  it('gets lists and details without reporter and description', async () => {
    const wall = await screen();
    const all = await getJson(fx.app, '/api/problems?limit=100');
    expect(all.body.features.some((f: { properties: { reporter: string; description: string } }) => f.properties.reporter && f.properties.description)).toBe(
      true,
    );
    const list = await getJson(wall, '/api/problems?limit=100');
    expect(list.body.features).toHaveLength(all.body.features.length);
    for (const f of list.body.features) expect(f.properties).toMatchObject({ reporter: '', description: '' });
    const detail = await getJson(wall, `/api/problems/${all.body.features[0].id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.properties).toMatchObject({ reporter: '', description: '' });
  });
});
