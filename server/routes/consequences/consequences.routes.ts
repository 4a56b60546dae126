import { actorOf, unitScope } from '../../auth/middleware';
import {
  addManualDeduction,
  consequenceOverview,
  issueNotice,
  putConsequenceSettings,
  reverseDeduction,
  setVeto,
  storedNotice,
  unitLedger,
} from '../../services/consequences/consequences';
import { accountabilityNotice } from '../../services/documents/accountability';
import { ANONYMOUS_ACTOR } from '../../services/problems/workflow';
import type { Context } from 'hono';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

// Only signed-in people reach these writes; the fallback is for an app without accounts (tests).
const actor = (c: Context) => actorOf(c, undefined) ?? ANONYMOUS_ACTOR;

/** 目标考核: the units' deduction ledgers, 一票否决 and 问责通报 (a unit account reads its own). */
export function consequencesRoutes(deps: RouteDeps) {
  return declareRoutes()
    .route('GET /api/consequences', (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(consequenceOverview(deps.store, c.req.valid('query').year, unitScope(c), deps.now()), 200);
    })
    .route('GET /api/consequences/units/:unit', (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(unitLedger(deps.store, c.req.valid('param').unit, c.req.valid('query').year, unitScope(c), deps.now()), 200);
    })
    .route('POST /api/consequences/units/:unit/deductions', (c) =>
      c.json(addManualDeduction(deps.store, c.req.valid('param').unit, c.req.valid('json'), actor(c), deps.now()), 201),
    )
    .route('POST /api/consequences/deductions/:id/reversal', (c) =>
      c.json(reverseDeduction(deps.store, c.req.valid('param').id, c.req.valid('json').reason, actor(c), deps.now()), 200),
    )
    .route('PUT /api/consequences/units/:unit/veto', (c) =>
      c.json(setVeto(deps.store, c.req.valid('param').unit, c.req.valid('json'), actor(c), deps.now()), 200),
    )
    .route('POST /api/consequences/units/:unit/notices', (c) =>
      c.json(issueNotice(deps.store, deps.catalog, c.req.valid('param').unit, c.req.valid('json'), actor(c), deps.now()), 201),
    )
    .route('GET /api/consequences/notices/:id', (c) => {
      const { notice, facts } = storedNotice(deps.store, c.req.valid('param').id, unitScope(c));
      return c.html(accountabilityNotice(notice, facts));
    })
    .route('PUT /api/consequences/settings', (c) => c.json(putConsequenceSettings(deps.store, c.req.valid('json'), deps.now()), 200)).app;
}
