import { districtSubdistrictsOf, principalOf } from '../../auth/middleware';
import { cityDate, cityMidnight } from '../../contract/city-time';
import type { TeamPositions } from '../../contract/tracks';
import { bilingual, ForbiddenError, NotFoundError, StoreError } from '../../errors';
import { planWithin } from '../../services/plans/plans';
import type { WorkflowDeps } from '../../services/problems/deps';
import { logEvent } from '../../services/problems/events';
import { acceptTrackBatch } from '../../services/tracks/tracks';
import { visiblePlan } from '../plans/plans.routes';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/**
 * Walked tracks: the field page's batches in, a plan's progress and tracks out (computed in the pool: a
 * day of twenty teams is a few hundred thousand fixes), today's positions for the big screen.
 */
export function tracksRoutes(deps: RouteDeps, wf: WorkflowDeps) {
  return declareRoutes()
    .route('POST /api/tracks', async (c) => {
      const p = principalOf(c);
      if (p?.kind !== 'user') throw new ForbiddenError('Tracks are sent by a signed-in person walking a plan, not by an API key.');
      const batch = c.req.valid('json');
      const plan = await visiblePlan(c, deps.store, batch.planId);
      const city = await deps.store.getCity();
      if (!city) throw new StoreError('No city is loaded; import one first.');
      const nowMs = deps.now();
      const out = await deps.store.transaction(async () => {
        const accepted = await acceptTrackBatch(deps.store, plan, batch, p.userId, city.bbox, nowMs);
        if (accepted.moved) await logEvent(deps.store, 'team.position', accepted.moved.at, { ...accepted.moved });
        return accepted;
      });
      if (out.moved) wf.hub.notify();
      return c.json(out.result, 200);
    })
    .route('GET /api/plans/:id/progress', async (c) => {
      c.header('Cache-Control', 'no-cache');
      const plan = await visiblePlan(c, deps.store, c.req.valid('param').id);
      return c.json(await deps.pool.run('tracks.progress', { planId: plan.id }, { signal: c.req.raw.signal }), 200);
    })
    .route('GET /api/plans/:id/tracks', async (c) => {
      c.header('Cache-Control', 'no-cache');
      const plan = await visiblePlan(c, deps.store, c.req.valid('param').id);
      // A wall screen sees where the teams are today, not where people walked on other days.
      if (principalOf(c)?.kind === 'screen' && plan.date !== cityDate(deps.now()))
        throw new NotFoundError(
          bilingual(`大屏只能查看今天路线的轨迹`, `A big screen reads the tracks of today's plans only; plan "${plan.id}" is of ${plan.date}.`),
        );
      return c.json(await deps.pool.run('tracks.walked', { planId: plan.id }, { signal: c.req.raw.signal }), 200);
    })
    .route('GET /api/tracks/positions', async (c) => {
      c.header('Cache-Control', 'no-cache');
      const date = cityDate(deps.now());
      const mine = await districtSubdistrictsOf(c, deps.store);
      const plans = new Map((await deps.store.listPlans(date)).map(({ plan }) => [plan.id, plan]));
      const teams: TeamPositions['teams'] = [];
      for (const fix of await deps.store.latestTrackPoints(cityMidnight(date))) {
        const plan = plans.get(fix.planId);
        const team = plan?.teams.find((t) => t.index === fix.team);
        if (!plan || !team || (mine && !planWithin(plan, mine))) continue;
        teams.push({
          planId: plan.id,
          team: team.index,
          name: team.name,
          color: team.color,
          position: { lngLat: [fix.lng, fix.lat], at: new Date(fix.atMs).toISOString() },
        });
      }
      return c.json({ date, teams } satisfies TeamPositions, 200);
    })
    .route('DELETE /api/users/:id/tracks', async (c) => {
      const id = Number(c.req.valid('param').id);
      const user = Number.isInteger(id) ? await deps.store.userById(id) : null;
      if (!user) throw new NotFoundError(`There is no account with id "${c.req.valid('param').id}". List the accounts with GET /api/users.`);
      return c.json({ deleted: await deps.store.deleteTracksOfUser(user.id) }, 200);
    }).app;
}
