import type { Context } from 'hono';
import { districtSubdistrictsOf, unitScope } from '../../auth/middleware';
import { NotFoundError } from '../../errors';
import type { RouteDeps } from '../deps';

/**
 * A guard for routes on one case: another unit's case does not exist for a unit account, nor another
 * district's for a district account (not even as a 403 that confirms it).
 */
export function ownProblemGuard(deps: Pick<RouteDeps, 'store' | 'now'>) {
  return async (c: Context, id: string): Promise<void> => {
    const unit = unitScope(c);
    if (unit && (await deps.store.getProblem(id, deps.now()))?.properties.unitId !== unit) {
      throw new NotFoundError(`There is no problem "${id}" among your unit's problems.`);
    }
    const mine = await districtSubdistrictsOf(c, deps.store);
    if (mine) {
      const sd = (await deps.store.problemSubdistrict(id)) ?? null;
      if (sd === null || !mine.has(sd)) {
        throw new NotFoundError(`There is no problem "${id}" among your district's problems.`);
      }
    }
  };
}
