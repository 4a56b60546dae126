import { z } from 'zod';

/**
 * Builds the OpenAPI 3.1 document from the same zod schemas the routes validate with, so the document
 * cannot drift from the code. Each routes module describes its routes as RouteDocs next to the handlers.
 */

/** One route as the OpenAPI document describes it. */
export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path, e.g. `/api/layers/{layer}` or `/tiles/base/{z}/{x}/{y}.pbf`. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** Path parameter object schema (the one given to `validate('param', …)`). */
  params?: z.ZodType;
  /** Query parameter object schema (the one given to `validate('query', …)`). */
  query?: z.ZodType;
  /** JSON request body schema (the one given to `validate('json', …)`). */
  body?: z.ZodType;
  /** A request body that is not JSON (e.g. multipart/form-data), described by its content type and schema. */
  bodyContentType?: string;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

type Json = Record<string, unknown>;

/** The OpenAPI 3.1 document for `docs`. Schemas with a `meta({ id })` become shared components. */
export function buildOpenApi(info: { title: string; version: string; description: string }, docs: readonly RouteDoc[]): Json {
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
    const js = toSchema(schema, 'input');
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

  for (const doc of docs) {
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(doc.responses)) {
      responses[status] = r.schema
        ? { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: toSchema(r.schema, 'output') } } }
        : r.contentType
          ? { description: r.description, content: { [r.contentType]: { schema: { type: 'string', format: 'binary' } } } }
          : { description: r.description };
    }
    (paths[doc.path] ??= {})[doc.method] = {
      summary: doc.summary,
      ...(doc.description ? { description: doc.description } : {}),
      tags: [doc.tag],
      operationId: operationId(doc),
      parameters: [...parameters(doc.params, 'path'), ...parameters(doc.query, 'query')],
      ...(doc.body
        ? { requestBody: { required: true, content: { [doc.bodyContentType ?? 'application/json']: { schema: toSchema(doc.body, 'input') } } } }
        : {}),
      responses,
    };
  }

  return {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: { schemas: components },
  };
}

function operationId(doc: RouteDoc): string {
  const words = doc.path
    .replace(/\.(json|pbf)$/, '')
    .split('/')
    .filter((w) => w && w !== 'api')
    .map((w) => (w.startsWith('{') ? `by-${w.slice(1, -1)}` : w));
  return [doc.method, ...words]
    .join('-')
    .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())
    .replace(/[^A-Za-z0-9]/g, '');
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

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad input: `error` says what to fix, `details` lists each field',
  404: 'Not found',
  409: 'Conflict with the current state: `error` says what is allowed',
  413: 'Request body too large',
  422: 'Well-formed but cannot be done (e.g. a point too far from any road): `error` says which and why',
  503: 'No city is loaded yet',
};

/** Error responses with the shared `{ error, details }` body, for RouteDoc.responses. */
export function errorResponses(errorBody: z.ZodType, ...statuses: number[]): RouteDoc['responses'] {
  return Object.fromEntries(statuses.map((s) => [s, { description: ERROR_DESCRIPTIONS[s] ?? 'Error', schema: errorBody }]));
}
