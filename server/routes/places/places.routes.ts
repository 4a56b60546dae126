import { cityDate, toCityIso } from '../../contract/city-time';
import { XLSX_CONTENT_TYPE } from '../../contract/ledger';
import { registryTypeNames } from '../../services/city/registry-sheet';
import { importRegistry } from '../../services/city/registry-import';
import { applyMerge } from '../../services/city/registry-merge';
import { isRegistryMapFile } from '../../contract/registry';
import { parseForm, uploadedFile } from '../upload';
import { REGISTRY_MAP_MAX_BYTES, REGISTRY_SHEET_MAX_BYTES } from '../../contract/places';
import { placeDetail, spotName } from '../../services/city/places';
import { createPlace, patchPlace, placeHistory, registryList, restorePlace, retirePlace, undoPlace } from '../../services/city/place-edits';
import { actorOf, districtScope, districtSubdistrictsOf, principalOf } from '../../auth/middleware';
import type { Context } from 'hono';
import { bilingual, ForbiddenError, NotFoundError } from '../../errors';
import { ANONYMOUS_ACTOR } from '../../services/problems/workflow';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** The registry: `/api/places` (read, export, edit, history) and `GET /api/visits`. */
export function placesRoutes(deps: RouteDeps) {
  // Each edit answers the point as it is now, with the version the next edit sends back.
  const edited = async (id: string) => placeDetail(deps.store, id, deps.now());
  const actor = (c: Parameters<typeof actorOf>[0]) => actorOf(c, undefined) ?? ANONYMOUS_ACTOR;
  /** A district account's subdistricts (undefined: the whole city's registry). */
  const scopeOf = async (c: Context): Promise<Set<string> | undefined> => (await districtSubdistrictsOf(c, deps.store)) ?? undefined;
  /** Another district's point does not exist for a district account. */
  const visible = async (c: Context, id: string): Promise<string> => {
    const scope = await scopeOf(c);
    const sd = (await deps.store.getPlace(id))?.properties.subdistrictId ?? null;
    if (scope && (sd === null || !scope.has(sd))) throw new NotFoundError(`There is no point "${id}" in your account's district.`);
    return id;
  };
  /** The whole registry's sheets and map files are the city office's: a district account edits point by point. */
  const cityOnly = (c: Context): void => {
    if (districtScope(c)) {
      throw new ForbiddenError(
        bilingual(
          '点位信息表的批量导入由市创文办进行；区县账号请在地图上逐个登记和修改本区县的点位（导出本区县的点位信息表不受限）。',
          'The registry sheet is imported by the city office; a district account adds and edits its district’s points one by one (and may export its district’s sheet).',
        ),
      );
    }
  };
  return (
    declareRoutes()
      .route('GET /api/places', async (c) => {
        c.header('Cache-Control', 'no-cache');
        const list = await registryList(deps.store, c.req.valid('query'));
        const scope = await scopeOf(c);
        return c.json(scope ? { ...list, places: list.places.filter((p) => p.subdistrictId !== null && scope.has(p.subdistrictId)) } : list, 200);
      })
      // Before /:id, which would take "leaders" for an id.
      .route('GET /api/places/mine', async (c) => {
        const me = principalOf(c);
        // Planners only (the route table): an account, never an API key.
        if (me?.kind !== 'user') throw new ForbiddenError('我的点位 belongs to a signed-in account.');
        c.header('Cache-Control', 'no-cache');
        const input = { userId: me.userId, displayName: me.displayName, days: c.req.valid('query').days, nowMs: deps.now() };
        return c.json(await deps.pool.run('places.mine', input, { signal: c.req.raw.signal }), 200);
      })
      .route('GET /api/places/spot-name', async (c) => {
        const { lng, lat } = c.req.valid('query');
        return c.json(await spotName(deps.store, [lng, lat]), 200);
      })
      .route('GET /api/places/leaders', async (c) => {
        c.header('Cache-Control', 'no-cache');
        return c.json({ leaders: await deps.store.registryLeaders() }, 200);
      })
      .route('POST /api/places', async (c) => {
        const id = await createPlace(deps.store, deps.catalog, c.req.valid('json'), actor(c), deps.now(), { scope: await scopeOf(c) });
        c.header('Location', `/api/places/${encodeURIComponent(id)}`);
        return c.json(await edited(id), 201);
      })
      .route('POST /api/places/import', async (c) => {
        cityOnly(c);
        const form = await parseForm(c, { all: false });
        const file = registryUpload(form.file);
        const bytes = new Uint8Array(await file.arrayBuffer());
        const { dryRun } = c.req.valid('query');
        if (isRegistryMapFile(file.name)) {
          const planned = await deps.pool.run('places.map.plan', { bytes, fileName: file.name }, { signal: c.req.raw.signal });
          return c.json(await applyMerge(deps.store, deps.catalog, planned, planned.rows, dryRun, actor(c), deps.now()), 200);
        }
        const planned = await deps.pool.run('places.registry.plan', { bytes, nowMs: deps.now() }, { signal: c.req.raw.signal });
        return c.json(await importRegistry(deps.store, deps.catalog, planned, dryRun, actor(c), deps.now()), 200);
      })
      .route('PATCH /api/places/:id', async (c) => {
        const id = await visible(c, c.req.valid('param').id);
        await patchPlace(deps.store, deps.catalog, id, c.req.valid('json'), actor(c), deps.now(), { scope: await scopeOf(c) });
        return c.json(await edited(id), 200);
      })
      .route('POST /api/places/:id/retire', async (c) => {
        const id = await visible(c, c.req.valid('param').id);
        await retirePlace(deps.store, id, c.req.valid('json'), actor(c), deps.now());
        return c.json(await edited(id), 200);
      })
      .route('POST /api/places/:id/restore', async (c) => {
        const id = await visible(c, c.req.valid('param').id);
        await restorePlace(deps.store, deps.catalog, id, c.req.valid('json'), actor(c), deps.now());
        return c.json(await edited(id), 200);
      })
      .route('POST /api/places/:id/undo', async (c) => {
        const id = await visible(c, c.req.valid('param').id);
        await undoPlace(deps.store, id, c.req.valid('json'), actor(c), deps.now());
        return c.json(await edited(id), 200);
      })
      .route('GET /api/places/:id/history', async (c) => {
        c.header('Cache-Control', 'no-cache');
        return c.json(await placeHistory(deps.store, await visible(c, c.req.valid('param').id)), 200);
      })
      // Before /:id, which would take "export.xlsx" for an id.
      .route('GET /api/places/export.xlsx', async (c) => {
        const query = c.req.valid('query');
        const nowMs = deps.now();
        await registryTypeNames(deps.store, deps.catalog, query.kind, nowMs);
        // A district office exports its district's points (another district's subdistrict holds none of them).
        const district = districtScope(c) ?? undefined;
        const day = cityDate(nowMs);
        const name = encodeURIComponent(`点位信息表-${day}.xlsx`);
        return c.body(await deps.pool.run('places.registry.xlsx', { query, nowMs, district }, { signal: c.req.raw.signal }), 200, {
          'Content-Type': XLSX_CONTENT_TYPE,
          'Content-Disposition': `attachment; filename="registry-${day}.xlsx"; filename*=UTF-8''${name}`,
          'Cache-Control': 'no-cache',
        });
      })
      .route('GET /api/places/:id', async (c) => {
        c.header('Cache-Control', 'no-cache');
        return c.json(await placeDetail(deps.store, await visible(c, c.req.valid('param').id), deps.now()));
      })
      .route('GET /api/visits', async (c) => {
        // At most 200 places by the (point_id, at_ms) index: well under a millisecond each.
        const q = c.req.valid('query');
        const found = await deps.store.visitsAt(q.places, q.from, q.to);
        c.header('Cache-Control', 'no-cache');
        return c.json(
          {
            from: toCityIso(q.from),
            to: toCityIso(q.to),
            places: q.places.map((id) => {
              const v = found.get(id);
              return { id, visits: v?.visits ?? 0, lastVisitAt: v ? toCityIso(v.lastMs) : null };
            }),
          },
          200,
        );
      }).app
  );
}

/** The 点位信息表 or map file of `POST /api/places/import`, its size checked by its kind before the bytes are read. */
function registryUpload(value: unknown): File {
  const map = value instanceof File && isRegistryMapFile(value.name);
  return uploadedFile(value, {
    missing: bilingual(
      '请在表单字段“file”中上传点位信息表（.xlsx）或地图数据（.osm、.osm.pbf、.geojson）。',
      'Send the 点位信息表 (.xlsx) or a map file (.osm, .osm.pbf, .geojson) as the form field “file”.',
    ),
    maxBytes: map ? REGISTRY_MAP_MAX_BYTES : REGISTRY_SHEET_MAX_BYTES,
    tooLarge: (size, max) =>
      map
        ? bilingual(
            `地图文件有 ${size} MB，页面上最多 ${max} MB：请裁成本市范围，或转为 .osm.pbf，或在服务器上用 npm run import -- 文件 --merge 导入。`,
            `The map file is ${size} MB; the page takes at most ${max} MB: cut it to the city, convert it to .osm.pbf, or merge it on the server with npm run import -- file --merge.`,
          )
        : bilingual(
            `文件有 ${size} MB，点位信息表远小于此（最多 ${max} MB）：是这个文件吗？`,
            `The file is ${size} MB; a 点位信息表 is far smaller (at most ${max} MB). Is it the right file?`,
          ),
  });
}
