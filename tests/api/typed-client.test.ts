import { hc } from 'hono/client';
import type { AppType } from '../../server/app';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureApp } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

// The client gets its request and response types from AppType; these calls only compile if they flow.
describe('AppType', () => {
  // The client over the signed-in fixture app, the way the page uses it over the network.
  const client = hc<AppType>('http://localhost', {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => fx.app.request(input instanceof Request ? input : String(input), init),
  });

  it('types the query and the response of /api/problems', async () => {
    const res = await client.api.problems.$get({ query: { status: 'overdue', limit: '2' } });
    expect(res.status).toBe(200);
    if (res.status !== 200) return;
    const body = await res.json();
    const ids: string[] = body.features.map((f) => f.properties.id);
    const overdue: boolean[] = body.features.map((f) => f.properties.overdue);
    expect(ids).toEqual(['p03', 'p08']);
    expect(overdue).toEqual([true, true]);
    expect(typeof body.nextCursor).toBe('string');
  });

  it('types path parameters', async () => {
    const res = await client.api.places[':id'].$get({ param: { id: 'mk01' } });
    const body = await res.json();
    expect('properties' in body && body.properties.problemCounts.total).toBe(4);
    const meta = await (await client.api.meta.$get()).json();
    expect('city' in meta && meta.city.name).toBe('示例区');
  });
});
