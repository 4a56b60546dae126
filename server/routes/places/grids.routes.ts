import type { Context } from 'hono';
import { GRID_IMPORT_MAX_BYTES } from '../../contract/grids';
import { bilingual, ForbiddenError } from '../../errors';
import { createGrid, deleteGrid, patchGrid, writeGrids } from '../../services/city/grids';
import { actorOf, districtSubdistrictsOf } from '../../auth/middleware';
import { ANONYMOUS_ACTOR } from '../../services/problems/workflow';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';
import { parseForm, uploadedFile } from '../upload';

/** 网格: `/api/grids` (list, draw, change, delete, import). */
export function gridsRoutes(deps: RouteDeps) {
  const actor = (c: Parameters<typeof actorOf>[0]) => actorOf(c, undefined) ?? ANONYMOUS_ACTOR;
  // The grid as the list shows it: its points counted, one pass over the registry, so in the pool.
  const feature = (c: { req: { raw: Request } }, id: string) => deps.pool.run('grids.feature', { id }, { signal: c.req.raw.signal });
  // A district office's account keeps the grids of its district's subdistricts.
  const scopeOf = async (c: Context) => (await districtSubdistrictsOf(c, deps.store)) ?? undefined;
  return declareRoutes()
    .route('GET /api/grids', async (c) => {
      c.header('Cache-Control', 'no-cache');
      const all = await deps.pool.run('grids.list', null, { signal: c.req.raw.signal });
      const scope = await scopeOf(c);
      if (!scope) return c.json(all, 200);
      return c.json({ ...all, features: all.features.filter((g) => g.properties.subdistrictId !== null && scope.has(g.properties.subdistrictId)) }, 200);
    })
    .route('POST /api/grids', async (c) => {
      const id = await createGrid(deps.store, c.req.valid('json'), actor(c), deps.now(), await scopeOf(c));
      c.header('Location', `/api/grids/${encodeURIComponent(id)}`);
      return c.json(await feature(c, id), 201);
    })
    .route('POST /api/grids/import', async (c) => {
      // A file's grids replace grids of the same name wherever they are: the city office's to do.
      if (await scopeOf(c)) {
        throw new ForbiddenError(
          bilingual(
            '网格文件的批量导入由市创文办进行；区县账号请在地图上逐个划分本区县的网格。',
            'A grids file is imported by the city office; a district account draws its district’s grids one by one.',
          ),
        );
      }
      const form = await parseForm(c, { all: false });
      const file = uploadedFile(form.file, {
        missing: bilingual('请在表单字段“file”中上传网格 GeoJSON。', 'Send the grids GeoJSON as the form field “file”.'),
        maxBytes: GRID_IMPORT_MAX_BYTES,
        tooLarge: (size, max) => bilingual(`文件有 ${size} MB，网格文件最多 ${max} MB。`, `The file is ${size} MB; a grids file may be at most ${max} MB.`),
      });
      const grids = await deps.pool.run('grids.prepare', { text: await file.text() }, { signal: c.req.raw.signal });
      return c.json(await writeGrids(deps.store, grids, actor(c), deps.now()), 200);
    })
    .route('PATCH /api/grids/:id', async (c) => {
      const { id } = c.req.valid('param');
      await patchGrid(deps.store, id, c.req.valid('json'), actor(c), deps.now(), await scopeOf(c));
      return c.json(await feature(c, id), 200);
    })
    .route('DELETE /api/grids/:id', async (c) => {
      await deleteGrid(deps.store, c.req.valid('param').id, await scopeOf(c));
      return c.body(null, 204);
    }).app;
}
