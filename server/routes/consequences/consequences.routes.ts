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
  const inDistrict = async (c: Context, unitId: string | null | undefined): Promise<void> => {
    const district = districtScope(c);
    if (district && (await deps.store.listUnits()).find((u) => u.id === unitId)?.districtId !== district) {
      throw new NotFoundError(bilingual(`本区县没有责任单位 ${unitId ?? ''}。`, `There is no unit ${unitId ?? ''} in your account's district.`));
    }
  };
  const unitOf = async (c: Context): Promise<string> => {
    const unit = c.req.param('unit') ?? '';
    await inDistrict(c, unit);
    return unit;
  };
  return declareRoutes()
    .route('GET /api/consequences', async (c) => {
      c.header('Cache-Control', 'no-cache');
      const overview = await consequenceOverview(deps.store, c.req.valid('query').year, unitScope(c), deps.now());
      const district = districtScope(c);
      if (!district) return c.json(overview, 200);
      const mine = new Set((await deps.store.listUnits()).filter((u) => u.districtId === district).map((u) => u.id));
      return c.json({ ...overview, units: overview.units.filter((u) => mine.has(u.unitId)) }, 200);
    })
    .route('GET /api/consequences/units/:unit', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(await unitLedger(deps.store, await unitOf(c), c.req.valid('query').year, unitScope(c), deps.now()), 200);
    })
    .route('POST /api/consequences/units/:unit/deductions', async (c) =>
      c.json(await addManualDeduction(deps.store, await unitOf(c), c.req.valid('json'), actor(c), deps.now()), 201),
    )
    .route('POST /api/consequences/deductions/:id/reversal', async (c) => {
      await inDistrict(c, (await deps.store.getDeduction(c.req.valid('param').id))?.unitId);
      return c.json(await reverseDeduction(deps.store, c.req.valid('param').id, c.req.valid('json').reason, actor(c), deps.now()), 200);
    })
    .route('PUT /api/consequences/units/:unit/veto', async (c) =>
      c.json(await setVeto(deps.store, await unitOf(c), c.req.valid('json'), actor(c), deps.now()), 200),
    )
    .route('POST /api/consequences/units/:unit/notices', async (c) =>
      c.json(await issueNotice(deps.store, deps.catalog, await unitOf(c), c.req.valid('json'), actor(c), deps.now()), 201),
    )
    .route('GET /api/consequences/notices/:id', async (c) => {
      await inDistrict(c, (await deps.store.getNotice(c.req.valid('param').id))?.unitId);
      const { notice, facts } = await storedNotice(deps.store, c.req.valid('param').id, unitScope(c));
      return c.html(accountabilityNotice(notice, facts));
    })
    .route('PUT /api/consequences/settings', async (c) => c.json(await putConsequenceSettings(deps.store, c.req.valid('json'), deps.now()), 200)).app;
}
