import { afterAll, describe, expect, it } from 'vitest';
import { fixtureApp, getJson } from './fixture';

const fx = fixtureApp();
afterAll(() => fx.close());

/** `/tiles/base/{z}/{x}/{y}.pbf` → `/tiles/base/:z/:x/:y`, the way Hono spells it. */
const toHonoPath = (path: string) => path.replace(/\{(\w+)\}(\.pbf)?/g, ':$1');

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document listing every route of the app', async () => {
    const { status, body } = await getJson(fx.app, '/api/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    const documented = Object.entries(body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${toHonoPath(path)}`))
      .sort();
    const routes = [...new Set(fx.app.routes.filter((r) => r.path !== '/*' && r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))].sort();
    expect(documented).toEqual(routes);
    expect(documented).toEqual([
      'GET /api/hotspots',
      'GET /api/hotspots/cells/:cell',
      'GET /api/hotspots/points.bin',
      'GET /api/layers/:layer',
      'GET /api/meta',
      'GET /api/openapi.json',
      'GET /api/places/:id',
      'GET /api/problems',
      'GET /api/problems/:id',
      'GET /api/recurring',
      'GET /tiles/base/:z/:x/:y',
      'GET /tiles/problems/:z/:x/:y',
    ]);
  });

  it('describes parameters from the zod schemas', async () => {
    const { body } = await getJson(fx.app, '/api/openapi.json');
    const list = body.paths['/api/problems'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(['bbox', 'from', 'to', 'category', 'status', 'subdistrict', 'unit', 'limit', 'cursor']);
    expect(list.parameters.every((p: { in: string; required: boolean }) => p.in === 'query' && p.required === false)).toBe(true);
    const bbox = list.parameters.find((p: { name: string }) => p.name === 'bbox');
    expect(bbox.description).toMatch(/west,south,east,north/);
    expect(bbox.schema).toEqual({ type: 'string' });
    const layer = body.paths['/api/layers/{layer}'].get.parameters[0];
    expect(layer).toMatchObject({ name: 'layer', in: 'path', required: true });
    expect(layer.schema.enum).toEqual(['water', 'subdistricts', 'roads', 'communities', 'back-streets', 'markets', 'units']);
    const tile = body.paths['/tiles/problems/{z}/{x}/{y}.pbf'].get;
    expect(tile.parameters.filter((p: { in: string }) => p.in === 'path').map((p: { name: string }) => p.name)).toEqual(['z', 'x', 'y']);
    expect(tile.parameters.filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name)).toEqual(['from', 'to', 'category', 'status', 'subdistrict', 'unit']);
    expect(Object.keys(tile.responses)).toEqual(['200', '204', '400']);
    expect(tile.responses['200'].content['application/x-protobuf']).toBeDefined();
  });

  it('describes responses with shared component schemas, and every $ref resolves', async () => {
    const { body } = await getJson(fx.app, '/api/openapi.json');
    const schemas = body.components.schemas as Record<string, Record<string, unknown>>;
    for (const name of ['Meta', 'LayerCollection', 'ProblemCollection', 'ProblemFeature', 'ProblemDetail', 'PlaceDetail', 'Error']) {
      expect(schemas[name], name).toBeDefined();
    }
    expect(body.paths['/api/problems'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ProblemCollection' });
    expect(body.paths['/api/problems'].get.responses['400'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    const problemProps = (schemas.ProblemFeature.properties as Record<string, { required?: string[] }>).properties;
    expect(problemProps.required).toEqual(expect.arrayContaining(['id', 'category', 'status', 'reportedAt', 'deadline', 'overdue']));
    const refs: string[] = [];
    JSON.stringify(body, (k, v) => {
      if (k === '$ref') refs.push(v);
      return v;
    });
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(schemas[ref.split('/').pop()!], ref).toBeDefined();
    }
  });
});
