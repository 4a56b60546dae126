/**
 * A full worker queue as the planner sees it: the client's call of `POST /api/plans` against the real API
 * (its pool one worker with no waiting room) fails with an ApiError carrying the Retry-After seconds, and
 * the page says "busy, click again in about N s" in its language.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { as, fixtureApp, NOW, signIn } from '../../../api/fixture';
import { createApp } from '../../../../server/app';
import { createAppPool } from '../../../../server/pool/app-pool';
import { createRoadEngine } from '../../../../server/services/routing/road-engine';
import { translate } from '../../../../client/src/app/i18n';

const fx = await fixtureApp();
const pool = createAppPool({ store: fx.store, catalog: fx.catalog, roads: createRoadEngine(fx.store), workers: 1, maxQueue: 0 });
const app = as(await createApp({ store: fx.store, catalog: fx.catalog, now: () => NOW, pool }), await signIn(fx.store, 'inspector', 'u01', NOW));

let plans: typeof import('../../../../client/src/api/plans');
let planErrorMessage: typeof import('../../../../client/src/pages/plan/plan-errors').planErrorMessage;
let ApiError: typeof import('../../../../client/src/api/client').ApiError;

beforeAll(async () => {
  vi.stubGlobal('window', { location: new URL('http://xuncha.test/plan'), sessionStorage: { getItem: () => null, setItem: () => undefined } });
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => app.request(String(input), init));
  // Imported after the globals exist: the session layer reads them at load.
  plans = await import('../../../../client/src/api/plans');
  planErrorMessage = (await import('../../../../client/src/pages/plan/plan-errors')).planErrorMessage;
  ApiError = (await import('../../../../client/src/api/client')).ApiError;
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await pool.close();
  fx.close();
});

describe('the planner when the server is busy', () => {
  it('says so with the seconds to wait, Chinese first, and in English after the switch', async () => {
    const req = {
      date: '2026-03-20',
      profile: 'walk' as const,
      teams: [{ name: '一组', start: [115.98, 36.45] as [number, number], shiftStart: '08:30', budgetS: 4 * 3600 }],
      stops: { kinds: ['market' as const] },
    };
    // The first takes the only worker; the second finds no room.
    const first = plans.createPlan(req);
    const err = await plans.createPlan(req).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    const busy = err as InstanceType<typeof ApiError>;
    expect(busy.status).toBe(503);
    expect(busy.retryAfterS).toBeGreaterThanOrEqual(1);
    const s = busy.retryAfterS!;
    expect(planErrorMessage(busy, 'zh', (k, p) => translate('zh', k, p))).toBe(
      `服务器正忙，其他路线规划或导出正在计算。请约 ${s} 秒后再点一次，已填写的内容不会丢失。`,
    );
    expect(planErrorMessage(busy, 'en', (k, p) => translate('en', k, p))).toBe(
      `The server is busy computing other plans or exports. Click again in about ${s} s; what you entered is kept.`,
    );
    expect((await first).teams[0].stops.length).toBeGreaterThan(0);
  });

  it('says other failures as before: the server sentence, or that it cannot be reached', () => {
    expect(planErrorMessage(new ApiError('The selection picks no stops.', 422), 'zh', (k, p) => translate('zh', k, p))).toBe('The selection picks no stops.');
    expect(planErrorMessage(new ApiError('POST /api/plans: the server could not be reached', 0), 'en', (k, p) => translate('en', k, p))).toBe(
      translate('en', 'error.network'),
    );
    // A 503 without Retry-After (no city loaded yet) is the server's own sentence.
    expect(planErrorMessage(new ApiError('No city is loaded yet.', 503), 'en', (k, p) => translate('en', k, p))).toBe('No city is loaded yet.');
  });
});
