import { sha256 } from '../../auth/sessions';
import { parseForm } from '../upload';
import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { AppError, InputError } from '../../errors';
import { Open311Errors, Open311FileParam, Open311PostBody, Open311Request, Open311RequestsQuery, Open311Service } from '../../contract/open311';
import type { RouteDoc } from '../../services/openapi/openapi';
import { discovery, listRequests, services, toRequest, toXml } from '../../services/open311/open311';
import { intakeReport } from '../../services/problems/intake';
import type { WorkflowDeps } from '../../services/problems/deps';
import type { RouteDeps } from '../deps';
import { inputErrorFrom } from '../validate';

type Format = 'json' | 'xml';
const FORMATS: readonly Format[] = ['json', 'xml'];
const CHANGESET = '2026-11-25T00:00:00+08:00';

const Errors = Open311Errors;
const FileParam = Open311FileParam;

const both = (path: string, doc: Omit<RouteDoc, 'path' | 'method' | 'tag'> & { method?: RouteDoc['method'] }): RouteDoc[] =>
  FORMATS.map((f) => ({ method: doc.method ?? 'get', tag: 'open311', ...doc, path: path.replace('{format}', f) }));

export const OPEN311_DOCS: RouteDoc[] = [
  ...both('/open311/discovery.{format}', { summary: 'GeoReport v2 discovery', responses: { 200: { description: 'Discovery' } } }),
  ...both('/open311/v2/services.{format}', { summary: 'GeoReport v2 services: the problem categories', responses: { 200: { description: 'Services', schema: z.array(Open311Service) } } }),
  {
    method: 'get',
    path: '/open311/v2/services/{file}',
    tag: 'open311',
    summary: 'GeoReport v2 service definition (`<service_code>.json|xml`); no extra attributes',
    params: FileParam,
    responses: { 200: { description: 'Service definition' }, 404: { description: 'Unknown service', schema: Errors } },
  },
  ...both('/open311/v2/requests.{format}', {
    summary: 'GeoReport v2 service requests (problems): by ids, or service_code, start_date/end_date (default the last 90 days), status; at most 1,000',
    query: Open311RequestsQuery,
    responses: { 200: { description: 'Requests', schema: z.array(Open311Request) }, 400: { description: 'Bad parameters', schema: Errors } },
  }),
  ...both('/open311/v2/requests.{format}', {
    method: 'post',
    summary: 'GeoReport v2 create a request (api_key required; lat/long required)',
    body: Open311PostBody,
    bodyContentType: 'application/x-www-form-urlencoded',
    responses: {
      201: { description: 'service_request_id' },
      400: { description: 'Bad parameters', schema: Errors },
      403: { description: 'Missing or wrong api_key', schema: Errors },
    },
  }),
  {
    method: 'get',
    path: '/open311/v2/requests/{file}',
    tag: 'open311',
    summary: 'GeoReport v2 one request (`<service_request_id>.json|xml`)',
    params: FileParam,
    responses: { 200: { description: 'A one-element list', schema: z.array(Open311Request) }, 404: { description: 'Unknown request', schema: Errors } },
  },
  {
    method: 'get',
    path: '/open311/v2/tokens/{file}',
    tag: 'open311',
    summary: 'GeoReport v2 token → service_request_id (`<token>.json|xml`; our tokens are the request ids)',
    params: FileParam,
    responses: { 200: { description: 'A one-element list' }, 404: { description: 'Unknown token', schema: Errors } },
  },
];

/** Splits `p000123.json` into id and format; null when the extension is neither. */
function splitFile(file: string): { id: string; format: Format } | null {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  return m ? { id: m[1], format: m[2] as Format } : null;
}

/** A GeoReport error, kept apart from the API's `{ error }` body. */
class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
  ) {
    super(message);
  }
}

function formatOf(c: Context): Format {
  return c.req.path.endsWith('.xml') ? 'xml' : 'json';
}

/** Sends `data` as the spec's JSON, or XML with `root`/`item` element names. */
function send(c: Context, format: Format, data: unknown, root: string, item: string | null, status: 200 | 201 = 200) {
  if (format === 'json') return c.json(data, status);
  return c.body(toXml(root, item, data), status, { 'Content-Type': 'text/xml; charset=UTF-8' });
}

/** Open311 GeoReport v2 under /open311. */
export function open311Routes(deps: RouteDeps, wf: WorkflowDeps) {
  const origin = (c: Context) => new URL(c.req.url).origin;
  const requests = (c: Context, format: Format) => {
    const parsed = Open311RequestsQuery.safeParse(c.req.query());
    if (!parsed.success) throw inputErrorFrom('query', parsed.error);
    return send(c, format, listRequests(deps.store, deps.catalog, parsed.data, deps.now(), origin(c)), 'service_requests', 'request');
  };
  const create = async (c: Context, format: Format) => {
    const body = await parseForm(c, {}).catch((err: unknown) => {
      // Open311 answers in its own error shape.
      if (err instanceof InputError) throw new Open311Error(400, err.message);
      throw err;
    });
    const parsed = Open311PostBody.safeParse(Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')));
    if (!parsed.success) throw inputErrorFrom('form', parsed.error);
    const q = parsed.data;
    // Keys the administrator issued (POST /api/api-keys, kept hashed), or ones set in OPEN311_API_KEYS.
    if (!q.api_key || !(wf.open311Keys.has(q.api_key) || deps.store.apiKeyValid(sha256(q.api_key)))) {
      throw new Open311Error(403, 'api_key is missing or not one this server issued (an administrator issues keys with POST /api/api-keys).');
    }
    if (q.lat === undefined || q.long === undefined) throw new Open311Error(400, 'lat and long are required (a request by address only cannot be placed on the map).');
    const category = deps.catalog.categories.find((cat) => cat.id === q.service_code);
    if (!category) throw new Open311Error(400, `service_code "${q.service_code}" is not a service; GET services lists them.`);
    const reporter = [q.last_name, q.first_name].filter(Boolean).join('') || q.email || q.phone || 'Open311';
    const description = [q.description?.trim() || category.zh, q.address_string && `（${q.address_string}）`].filter(Boolean).join(' ');
    const out = await intakeReport(
      deps.store,
      deps.catalog,
      wf,
      { category: category.id, lng: q.long, lat: q.lat, description, reporter, source: 'public' },
      [],
      deps.now(),
      null,
      { requirePhoto: false },
    );
    return send(c, format, [{ service_request_id: out.body.problem.id, service_notice: '', account_id: '' }], 'service_requests', 'request', 201);
  };

  const app = new Hono();
  for (const f of FORMATS) {
    app.get(`/discovery.${f}`, (c) => send(c, f, discovery(origin(c), CHANGESET), 'discovery', null));
    app.get(`/v2/services.${f}`, (c) => send(c, f, services(deps.catalog), 'services', 'service'));
    app.get(`/v2/requests.${f}`, (c) => requests(c, f));
    app.post(`/v2/requests.${f}`, (c) => create(c, f));
  }
  app.get('/v2/services/:file', (c) => {
    const file = splitFile(c.req.param('file'));
    if (!file) throw new Open311Error(404, 'Use <service_code>.json or <service_code>.xml');
    if (!deps.catalog.categories.some((cat) => cat.id === file.id)) throw new Open311Error(404, `No service "${file.id}"; GET services lists them.`);
    return send(c, file.format, { service_code: file.id, attributes: [] }, 'service_definition', null);
  });
  app.get('/v2/requests/:file', (c) => {
    const file = splitFile(c.req.param('file'));
    if (!file) throw new Open311Error(404, 'Use <service_request_id>.json or .xml');
    const f = deps.store.getProblem(file.id, deps.now());
    if (!f) throw new Open311Error(404, `No service request "${file.id}".`);
    return send(c, file.format, [toRequest(deps.store, deps.catalog, f, origin(c))], 'service_requests', 'request');
  });
  app.get('/v2/tokens/:file', (c) => {
    const file = splitFile(c.req.param('file'));
    if (!file) throw new Open311Error(404, 'Use <token>.json or .xml');
    // Requests are created at once, so a token is the request id itself.
    if (!deps.store.getProblem(file.id, deps.now())) throw new Open311Error(404, `No token "${file.id}".`);
    return send(c, file.format, [{ service_request_id: file.id, token: file.id }], 'service_requests', 'request');
  });

  app.onError((err, c) => {
    const status = err instanceof Open311Error ? err.status : err instanceof InputError ? 400 : err instanceof AppError && err.status < 500 ? err.status : err instanceof HTTPException ? err.status : 500;
    if (status === 500) console.error(err);
    const description = status === 500 ? 'Internal server error; the server log has the details.' : err.message;
    return send(c, formatOf(c), [{ code: status, description }], 'errors', 'error', status as 200);
  });
  return app;
}
