import { buildMeta } from '../../services/city/meta';
import { mediaLimits } from '../../services/media/media';
import type { WorkflowDeps } from '../../services/problems/deps';
import type { RouteDeps } from '../deps';
import { districtScope } from '../../auth/middleware';
import { declareRoutes } from '../define';

/** `GET /api/meta`. */
export function metaRoutes(deps: RouteDeps, wf: WorkflowDeps) {
  const media = mediaLimits(wf);
  return declareRoutes().route('GET /api/meta', async (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.json(await buildMeta(deps.store, deps.catalog, media, districtScope(c)));
  }).app;
}
