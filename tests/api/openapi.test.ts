import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PAGE_SHELL_ROUTE } from '../../server/auth/policy';
import { API } from '../../server/contract/api';
import { fixtureApp, getJson } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

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
    // Every route is documented (above); a few that must exist, by name:
    expect(documented).toEqual(
      expect.arrayContaining(['GET /api/meta', 'GET /api/problems/:id', 'GET /tiles/base/:z/:x/:y', 'POST /api/auth/login', 'POST /api/matrix']),
    );
  });

  it('describes parameters from the zod schemas', async () => {
    const { body } = await getJson(fx.app, '/api/openapi.json');
    const list = body.paths['/api/problems'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual([
      'bbox',
      'from',
      'to',
      'category',
      'status',
      'district',
      'subdistrict',
      'unit',
      'grid',
      'limit',
      'cursor',
    ]);
    expect(list.parameters.every((p: { in: string; required: boolean }) => p.in === 'query' && p.required === false)).toBe(true);
    const bbox = list.parameters.find((p: { name: string }) => p.name === 'bbox');
    expect(bbox.description).toMatch(/west,south,east,north/);
    expect(bbox.schema).toEqual({ type: 'string' });
    const layer = body.paths['/api/layers/{layer}'].get.parameters[0];
    expect(layer).toMatchObject({ name: 'layer', in: 'path', required: true });
    expect(layer.schema.enum).toEqual(['water', 'districts', 'subdistricts', 'roads', 'communities', 'back-streets', 'points', 'markets', 'units']);
    const tile = body.paths['/tiles/problems/{z}/{x}/{y}.pbf'].get;
    expect(tile.parameters.filter((p: { in: string }) => p.in === 'path').map((p: { name: string }) => p.name)).toEqual(['z', 'x', 'y']);
    expect(tile.parameters.filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name)).toEqual([
      'from',
      'to',
      'category',
      'status',
      'district',
      'subdistrict',
      'unit',
      'grid',
    ]);
    expect(Object.keys(tile.responses)).toEqual(['200', '204', '400']);
    expect(tile.responses['200'].content['application/x-protobuf']).toBeDefined();
    const matrix = body.paths['/api/matrix'].post;
    expect(matrix.requestBody.content['application/json'].schema.properties.points.maxItems).toBe(500);
    expect(Object.keys(matrix.responses)).toEqual(['200', '400', '422', '503']);
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

  it('says how to authenticate: every operation’s security follows its access rule, and servers is set', async () => {
    const { body } = await getJson(fx.app, '/api/openapi.json');
    const schemes = body.components.securitySchemes;
    expect(schemes.sessionCookie).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'xuncha_session' });
    expect(schemes.sessionCookie.description).toMatch(/X-CSRF-Token/i);
    expect(schemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.screenToken).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-screen-token' });
    expect(schemes.screenTokenQuery).toMatchObject({ type: 'apiKey', in: 'query', name: 'screen_token' });
    expect(body.servers.length).toBeGreaterThan(0);
    const op = (path: string, method: string) => body.paths[path][method].security;
    expect(op('/api/auth/login', 'post')).toEqual([]);
    expect(op('/api/users', 'get')).toEqual([{ sessionCookie: [] }]);
    expect(op('/api/meta', 'get')).toEqual([{ sessionCookie: [] }, { screenToken: [] }, { screenTokenQuery: [] }]);
    expect(op('/open311/v2/requests.json', 'get')).toEqual([{ sessionCookie: [] }, { apiKey: [] }, { apiKeyQuery: [] }]);
    const ops = Object.values(body.paths as Record<string, Record<string, { security?: unknown; operationId?: string }>>).flatMap((p) => Object.values(p));
    expect(ops.filter((o) => !Array.isArray(o.security))).toEqual([]);
    expect(new Set(ops.map((o) => o.operationId)).size).toBe(ops.length);
  });

  it('passes redocly lint with the recommended rules', { timeout: 120_000 }, async () => {
    const { body } = await getJson(fx.app, '/api/openapi.json');
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(body));
      // No network: telemetry off, no update check (the CLI's own switches).
      const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true' };
      const cli = join(process.cwd(), 'node_modules', '.bin', 'redocly');
      const { stdout } = await promisify(execFile)(cli, ['lint', '--extends=recommended', '--format=json', file], { cwd: dir, env, timeout: 90_000 });
      const report = JSON.parse(stdout) as { totals: { errors: number }; problems: { ruleId: string; severity: string; location: { pointer: string }[] }[] };
      const problems = report.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}`);
      expect(problems.filter((p) => p.startsWith('error'))).toEqual([]);
      expect(report.totals.errors).toBe(0);
      // The one warning left: the document itself has no 4xx answer to declare.
      expect(problems).toEqual(['warn operation-4xx-response #/paths/~1api~1openapi.json/get/responses']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the endpoint declarations (server/contract/api.ts)', () => {
  it('are what the app registers: no route without a declaration, no declaration without a route', () => {
    const registered = [
      ...new Set(fx.raw.routes.filter((r) => r.method !== 'ALL' && `${r.method} ${r.path}` !== PAGE_SHELL_ROUTE).map((r) => `${r.method} ${r.path}`)),
    ].sort();
    expect(registered).toEqual(Object.keys(API).sort());
  });
});
