import { z } from 'zod';
import { type Endpoint, TAGS } from '../../contract/endpoint';
import { USER_ROLES } from '../../contract/roles';

/**
 * The OpenAPI 3.1 document of the API, built from the contract's endpoint declarations (the same ones
 * the routes register from and the gate reads), so the document cannot drift from the code. Schemas go
 * through zod 4's own JSON Schema output.
 */

type Json = Record<string, unknown>;

/** How a caller proves who it is, as the gate (server/auth/middleware.ts) reads it. */
export interface Credentials {
  /** The session cookie's name. */
  sessionCookie: string;
  /** The header a cookie-authenticated write must carry its CSRF token in. */
  csrfHeader: string;
  /** Query parameter an API key may come in (Open311's `api_key`). */
  apiKeyParam: string;
  /** Header and query parameter a big-screen token may come in. */
  screenTokenHeader: string;
  screenTokenParam: string;
}

/** OpenAPI `securitySchemes` for the three ways to authenticate. */
function securitySchemes(cred: Credentials): Json {
  return {
    sessionCookie: {
      type: 'apiKey',
      in: 'cookie',
      name: cred.sessionCookie,
      description:
        `People in a browser: \`POST /api/auth/login\` sets this HttpOnly cookie and returns a \`csrfToken\`. Every write ` +
        `(POST, PUT, PATCH, DELETE) made with the cookie must send that token in the \`${cred.csrfHeader}\` header ` +
        '(`GET /api/auth/me` returns it again); without it the write is refused with 403.',
    },
    apiKey: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'xk_…',
      description: 'Other city systems: `Authorization: Bearer xk_…`, a key an administrator issues with `POST /api/api-keys`.',
    },
    apiKeyQuery: {
      type: 'apiKey',
      in: 'query',
      name: cred.apiKeyParam,
      description: `The same API key as a query parameter (\`?${cred.apiKeyParam}=xk_…\`), as Open311 GeoReport v2 clients send it.`,
    },
    screenToken: {
      type: 'apiKey',
      in: 'header',
      name: cred.screenTokenHeader,
      description: 'The big screen: a read-only token (xs_…) an administrator issues with `POST /api/screen-tokens`.',
    },
    screenTokenQuery: {
      type: 'apiKey',
      in: 'query',
      name: cred.screenTokenParam,
      description: `The same screen token as a query parameter (\`?${cred.screenTokenParam}=xs_…\`), for requests that cannot set a header (map tiles, the event stream, the wall PC's start URL).`,
    },
  };
}

/** Each way in the endpoint's access rule allows, as alternatives; none for a public endpoint. */
function securityOf(access: Endpoint['access']): Json[] {
  if (access === 'public') return [];
  const out: Json[] = [];
  if (access.some((r) => (USER_ROLES as readonly string[]).includes(r))) out.push({ sessionCookie: [] });
  if (access.includes('api')) out.push({ apiKey: [] }, { apiKeyQuery: [] });
  if (access.includes('screen')) out.push({ screenToken: [] }, { screenTokenQuery: [] });
  return out;
}

/** `/tiles/base/:z/:x/:y` → `/tiles/base/{z}/{x}/{y}`. */
const templatePath = (path: string) => path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

/**
 * The OpenAPI 3.1 document for the endpoint table `api` (keys `METHOD /path`, Hono's syntax). Schemas
 * with a `meta({ id })` become shared components; each operation's `security` lists the credentials its
 * access rule accepts.
 */
export function buildOpenApi(
  info: { title: string; version: string; description: string },
  api: Readonly<Record<string, Endpoint>>,
  credentials: Credentials,
): Json {
  const components: Record<string, unknown> = {};
  const paths: Record<string, Record<string, unknown>> = {};

  const toSchema = (schema: z.ZodType, io: 'input' | 'output'): Json => {
    const js = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
    const defs = (js.$defs ?? {}) as Record<string, Json>;
    for (const [id, def] of Object.entries(defs)) components[id] = rewriteRefs(def);
    delete js.$defs;
    delete js.$schema;
    return rewriteRefs(js) as Json;
  };

  const parameters = (schema: z.ZodType | undefined, where: 'path' | 'query') => {
    if (!schema) return [];
    let js = toSchema(schema, 'input');
    // A query schema with its own id comes back as a reference; parameters list its properties.
    if (typeof js.$ref === 'string') js = components[js.$ref.split('/').pop() as string] as Json;
    const props = (js.properties ?? {}) as Record<string, Json>;
    const required = new Set((js.required ?? []) as string[]);
    return Object.entries(props).map(([name, s]) => {
      const { description, example, ...rest } = s;
      return {
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(description ? { description } : {}),
        ...(example !== undefined ? { example } : {}),
        schema: rest,
      };
    });
  };

  for (const [key, e] of Object.entries(api)) {
    const space = key.indexOf(' ');
    const method = key.slice(0, space).toLowerCase();
    const path = e.openapiPath ?? templatePath(key.slice(space + 1));
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(e.responses)) {
      if (!r) continue;
      responses[status] = r.schema
        ? { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: toSchema(r.schema, 'output') } } }
        : r.contentType
          ? { description: r.description, content: { [r.contentType]: { schema: { type: 'string', format: 'binary' } } } }
          : { description: r.description };
    }
    (paths[path] ??= {})[method] = {
      summary: e.summary,
      ...(e.description ? { description: e.description } : {}),
      tags: [e.tag],
      operationId: operationId(method, path),
      security: securityOf(e.access),
      parameters: [...parameters(e.params, 'path'), ...parameters(e.query, 'query')],
      ...(e.body ? { requestBody: { required: true, content: { [e.bodyContentType ?? 'application/json']: { schema: toSchema(e.body, 'input') } } } } : {}),
      responses,
    };
  }

  pruneUnreferenced(components, paths);
  return {
    openapi: '3.1.0',
    info: { ...info, license: { name: 'MIT', identifier: 'MIT' } },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    // Relative: the API is served by the same server (and origin) as the web client, wherever it is deployed.
    servers: [{ url: '/', description: 'This Xuncha server (the API shares the web client’s origin)' }],
    tags: [...new Set(Object.values(api).map((e) => e.tag))].sort().map((name) => ({ name, description: TAGS[name] })),
    paths,
    components: { schemas: components, securitySchemes: securitySchemes(credentials) },
  };
}

function operationId(method: string, path: string): string {
  const words = path
    .replace(/\.(json|pbf)$/, '')
    .split('/')
    .filter((w) => w && w !== 'api')
    .map((w) => (w.startsWith('{') ? `by-${w.slice(1, -1)}` : w));
  return [method, ...words]
    .join('-')
    .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
    .replace(/[^A-Za-z0-9]/g, '');
}

/** Drops the components nothing refers to (a parameter schema's own id, once its properties are listed). */
function pruneUnreferenced(components: Record<string, unknown>, paths: unknown): void {
  const used = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === '$ref' && typeof v === 'string') {
          const id = v.split('/').pop() as string;
          if (!used.has(id)) {
            used.add(id);
            visit(components[id]);
          }
        } else visit(v);
      }
    }
  };
  visit(paths);
  for (const id of Object.keys(components)) if (!used.has(id)) delete components[id];
}

/** zod puts shared schemas under `#/$defs/…`; OpenAPI keeps them under `#/components/schemas/…`. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/') : rewriteRefs(v);
    }
    return out;
  }
  return value;
}
