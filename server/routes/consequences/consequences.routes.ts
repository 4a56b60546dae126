import { actorOf, districtScope, unitScope } from '../../auth/middleware';
import { bilingual, NotFoundError } from '../../errors';
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
  /** A district office's leader answers for its district's units: another district's unit does not exist for it. */
  const inDistrict = (c: Context, unitId: string | null | undefined): void => {
    const district = districtScope(c);
    if (district && deps.store.listUnits().find((u) => u.id === unitId)?.districtId !== district) {
      throw new NotFoundError(bilingual(`本区县没有责任单位 ${unitId ?? ''}。`, `There is no unit ${unitId ?? ''} in your account's district.`));
    }
  };
  const unitOf = (c: Context): string => {
    const unit = c.req.param('unit') ?? '';
    inDistrict(c, unit);
    return unit;
  };
  return declareRoutes()
    .route('GET /api/consequences', (c) => {
      c.header('Cache-Control', 'no-cache');
      const overview = consequenceOverview(deps.store, c.req.valid('query').year, unitScope(c), deps.now());
      const district = districtScope(c);
      if (!district) return c.json(overview, 200);
      const mine = new Set(
        deps.store
          .listUnits()
          .filter((u) => u.districtId === district)
          .map((u) => u.id),
      );
      return c.json({ ...overview, units: overview.units.filter((u) => mine.has(u.unitId)) }, 200);
    })
    .route('GET /api/consequences/units/:unit', (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(unitLedger(deps.store, unitOf(c), c.req.valid('query').year, unitScope(c), deps.now()), 200);
    })
    .route('POST /api/consequences/units/:unit/deductions', (c) =>
      c.json(addManualDeduction(deps.store, unitOf(c), c.req.valid('json'), actor(c), deps.now()), 201),
    )
    .route('POST /api/consequences/deductions/:id/reversal', (c) => {
      inDistrict(c, deps.store.getDeduction(c.req.valid('param').id)?.unitId);
      return c.json(reverseDeduction(deps.store, c.req.valid('param').id, c.req.valid('json').reason, actor(c), deps.now()), 200);
    })
    .route('PUT /api/consequences/units/:unit/veto', (c) => c.json(setVeto(deps.store, unitOf(c), c.req.valid('json'), actor(c), deps.now()), 200))
    .route('POST /api/consequences/units/:unit/notices', (c) =>
      c.json(issueNotice(deps.store, deps.catalog, unitOf(c), c.req.valid('json'), actor(c), deps.now()), 201),
    )
    .route('GET /api/consequences/notices/:id', (c) => {
      inDistrict(c, deps.store.getNotice(c.req.valid('param').id)?.unitId);
      const { notice, facts } = storedNotice(deps.store, c.req.valid('param').id, unitScope(c));
      return c.html(accountabilityNotice(notice, facts));
    })
    .route('PUT /api/consequences/settings', (c) => c.json(putConsequenceSettings(deps.store, c.req.valid('json'), deps.now()), 200)).app;
}
