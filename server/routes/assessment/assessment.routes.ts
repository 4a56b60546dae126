import { cityDate } from '../../contract/city-time';
import { assessmentOn, catalogOf } from '../../services/assessment/catalog';
import type { Context } from 'hono';
import { actorOf, districtScope, principalOf } from '../../auth/middleware';
import { createMock, finishMock, listMocks, loadMock, toMock, type MockCaller } from '../../services/assessment/mocks';
import { mockReportHtml, reportOf } from '../../services/assessment/mock-report';
import type { WorkflowDeps } from '../../services/problems/deps';
import { importCatalogVersion } from '../../services/assessment/catalog-versions';
import { CATALOG_SHEET_MAX_BYTES } from '../../contract/assessment';
import { AppError, InputError } from '../../errors';
import { parseForm } from '../upload';
import { ANONYMOUS_ACTOR } from '../../services/problems/workflow';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

function mockCaller(c: Context): MockCaller {
  const p = principalOf(c);
  return { userId: p?.kind === 'user' ? p.userId : null, name: actorOf(c, undefined) ?? ANONYMOUS_ACTOR };
}

/** A district office's account scores its district's points only (the others are not its to answer for). */
function inDistrict(c: Context): { district?: string } {
  const district = districtScope(c);
  return district ? { district } : {};
}

/** `/api/assessment/*`: the catalog, the scores, readiness and the losses (scored in the pool), the mocks. */
export function assessmentRoutes(deps: RouteDeps, workflow: WorkflowDeps) {
  const mock = async (id: string) => toMock(deps.store, await loadMock(deps.store, id));
  return declareRoutes()
    .route('GET /api/assessment/catalog', async (c) => {
      c.header('Cache-Control', 'no-cache');
      const day = c.req.valid('query').date ?? cityDate(deps.now());
      const catalog = await catalogOf(deps.store, deps.catalog);
      const versions = catalog.assessment.map((v) => ({ version: v.version, name: v.name, effectiveFrom: v.effectiveFrom }));
      return c.json({ inForce: assessmentOn(catalog, day), versions }, 200);
    })
    .route('GET /api/assessment/catalog.xlsx', async (c) => {
      const day = c.req.valid('query').date ?? cityDate(deps.now());
      const version = assessmentOn(await catalogOf(deps.store, deps.catalog), day);
      return c.body(await deps.pool.run('assessment.catalog.xlsx', version, { signal: c.req.raw.signal }), 200, {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename="catalog-${version.version}.xlsx"`,
        'Cache-Control': 'no-cache',
      });
    })
    .route('POST /api/assessment/catalog', async (c) => {
      const form = await parseForm(c, { all: false });
      const file = form.file;
      if (!(file instanceof File))
        throw new InputError('Invalid form.file: send the catalog workbook (.xlsx) as the form field “file”', [{ path: 'form.file', message: 'no file' }]);
      if (file.size > CATALOG_SHEET_MAX_BYTES)
        throw new AppError(
          413,
          `The workbook is ${(file.size / 1048576).toFixed(1)} MB; a catalog is far smaller (at most ${CATALOG_SHEET_MAX_BYTES / 1048576} MB). Is it the right file?`,
        );
      const bytes = new Uint8Array(await file.arrayBuffer());
      return c.json(await importCatalogVersion(deps, bytes, actorOf(c, undefined) ?? ANONYMOUS_ACTOR), 201);
    })
    .route('GET /api/assessment/scores', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(
        await deps.pool.run('assessment.scores', { q: c.req.valid('query'), nowMs: deps.now(), ...inDistrict(c) }, { signal: c.req.raw.signal }),
        200,
      );
    })
    .route('GET /api/assessment/readiness', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(
        await deps.pool.run('assessment.readiness', { q: c.req.valid('query'), nowMs: deps.now(), ...inDistrict(c) }, { signal: c.req.raw.signal }),
        200,
      );
    })
    .route('GET /api/assessment/readiness/map', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(
        await deps.pool.run('assessment.readiness.map', { days: c.req.valid('query').days, nowMs: deps.now(), ...inDistrict(c) }, { signal: c.req.raw.signal }),
        200,
      );
    })
    .route('GET /api/assessment/losses', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(
        await deps.pool.run('assessment.losses', { q: c.req.valid('query'), nowMs: deps.now(), ...inDistrict(c) }, { signal: c.req.raw.signal }),
        200,
      );
    })
    .route('POST /api/assessment/mocks', async (c) => c.json(await createMock(deps, c.req.valid('json'), mockCaller(c), c.req.raw.signal), 201))
    .route('GET /api/assessment/mocks', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json({ mocks: await listMocks(deps.store) }, 200);
    })
    .route('GET /api/assessment/mocks/:id', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(await mock(c.req.valid('param').id), 200);
    })
    .route('POST /api/assessment/mocks/:id/finish', async (c) => c.json(await finishMock({ ...deps, workflow }, c.req.valid('param').id), 200))
    .route('GET /api/assessment/mocks/:id/report', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.html(mockReportHtml(await mock(c.req.valid('param').id)), 200);
    })
    .route('GET /api/assessment/mocks/:id/report.xlsx', async (c) => {
      const m = await mock(c.req.valid('param').id);
      reportOf(m);
      const name = encodeURIComponent(`模拟测评报告-${m.date}.xlsx`);
      return c.body(await deps.pool.run('assessment.mock.xlsx', m, { signal: c.req.raw.signal }), 200, {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename="mock-report-${m.date}.xlsx"; filename*=UTF-8''${name}`,
        'Cache-Control': 'no-cache',
      });
    }).app;
}
