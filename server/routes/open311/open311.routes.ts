import { sha256 } from '../../auth/sessions';
import { parseForm } from '../upload';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, InputError } from '../../errors';
import { Open311PostBody, type Open311RequestsQuery } from '../../contract/open311';
import { discovery, listRequests, services, toRequest, toXml } from '../../services/open311/open311';
import { intakeReport } from '../../services/problems/intake';
import type { WorkflowDeps } from '../../services/problems/deps';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';
import { inputErrorFrom } from '../validate';

type Format = 'json' | 'xml';
const CHANGESET = '2026-11-25T00:00:00+08:00';

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
function send<T, S extends 200 | 201 = 200>(c: Context, format: Format, data: T, root: string, item: string | null, status: S = 200 as S) {
  if (format === 'json') return c.json(data, status);
  return c.body(toXml(root, item, data), status, { 'Content-Type': 'text/xml; charset=UTF-8' });
}

/** Open311 GeoReport v2 under /open311. */
export function open311Routes(deps: RouteDeps, wf: WorkflowDeps) {
  const origin = (c: Context) => new URL(c.req.url).origin;
  const requests = async (c: Context, format: Format, query: Open311RequestsQuery) =>
    send(c, format, await listRequests(deps.store, deps.catalog, query, deps.now(), origin(c)), 'service_requests', 'request');
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
    if (!q.api_key || !(wf.open311Keys.has(q.api_key) || (await deps.store.apiKeyValid(sha256(q.api_key))))) {
      throw new Open311Error(403, 'api_key is missing or not one this server issued (an administrator issues keys with POST /api/api-keys).');
    }
    if (q.lat === undefined || q.long === undefined)
      throw new Open311Error(400, 'lat and long are required (a request by address only cannot be placed on the map).');
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

  const serviceDefinition = (c: Context, name: string) => {
    const file = splitFile(name);
    if (!file) throw new Open311Error(404, 'Use <service_code>.json or <service_code>.xml');
    if (!deps.catalog.categories.some((cat) => cat.id === file.id)) throw new Open311Error(404, `No service "${file.id}"; GET services lists them.`);
    return send(c, file.format, { service_code: file.id, attributes: [] }, 'service_definition', null);
  };
  const request = async (c: Context, name: string) => {
    const file = splitFile(name);
    if (!file) throw new Open311Error(404, 'Use <service_request_id>.json or .xml');
    const f = await deps.store.getProblem(file.id, deps.now());
    if (!f) throw new Open311Error(404, `No service request "${file.id}".`);
    return send(c, file.format, [await toRequest(deps.store, deps.catalog, f, origin(c))], 'service_requests', 'request');
  };
  const token = async (c: Context, name: string) => {
    const file = splitFile(name);
    if (!file) throw new Open311Error(404, 'Use <token>.json or .xml');
    // Requests are created at once, so a token is the request id itself.
    if (!(await deps.store.getProblem(file.id, deps.now()))) throw new Open311Error(404, `No token "${file.id}".`);
    return send(c, file.format, [{ service_request_id: file.id, token: file.id }], 'service_requests', 'request');
  };

  const app = declareRoutes()
    .route('GET /open311/discovery.json', (c) => send(c, 'json', discovery(origin(c), CHANGESET), 'discovery', null))
    .route('GET /open311/v2/services.json', (c) => send(c, 'json', services(deps.catalog), 'services', 'service'))
    .route('GET /open311/v2/requests.json', async (c) => requests(c, 'json', c.req.valid('query')))
    .route('POST /open311/v2/requests.json', async (c) => create(c, 'json'))
    .route('GET /open311/discovery.xml', (c) => send(c, 'xml', discovery(origin(c), CHANGESET), 'discovery', null))
    .route('GET /open311/v2/services.xml', (c) => send(c, 'xml', services(deps.catalog), 'services', 'service'))
    .route('GET /open311/v2/requests.xml', async (c) => requests(c, 'xml', c.req.valid('query')))
    .route('POST /open311/v2/requests.xml', async (c) => create(c, 'xml'))
    .route('GET /open311/v2/services/:file', (c) => serviceDefinition(c, c.req.valid('param').file))
    .route('GET /open311/v2/requests/:file', async (c) => request(c, c.req.valid('param').file))
    .route('GET /open311/v2/tokens/:file', async (c) => token(c, c.req.valid('param').file)).app;

  app.onError((err, c) => {
    const status =
      err instanceof Open311Error
        ? err.status
        : err instanceof InputError
          ? 400
          : err instanceof AppError && err.status < 500
            ? err.status
            : err instanceof HTTPException
              ? err.status
              : 500;
    if (status === 500) console.error(err);
    const description = status === 500 ? 'Internal server error; the server log has the details.' : err.message;
    return send(c, formatOf(c), [{ code: status, description }], 'errors', 'error', status as 200);
  });
  return app;
}
