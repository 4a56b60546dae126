import { Hono, type Env, type Handler, type MiddlewareHandler, type Schema, type ToSchema, type TypedResponse, type ValidationTargets } from 'hono';
import type { BlankEnv, BlankSchema, HandlerResponse } from 'hono/types';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { API, type Api, type ApiKey } from '../contract/api';
import type { Endpoint } from '../contract/endpoint';
import { validate } from './validate';

type MethodOf<K extends string> = K extends `${infer M} ${string}` ? M : never;
type PathOf<K extends string> = K extends `${string} ${infer P}` ? P : never;

/** What `validate(target, schema)` adds to a handler's input (exactly as zValidator types it), or nothing. */
type Validated<T extends keyof ValidationTargets, S> = S extends z.ZodType
  ? ReturnType<typeof validate<T, S>> extends MiddlewareHandler<infer _E, infer _P, infer I extends { in: object; out: object }>
    ? I
    : never
  : { in: object; out: object };

type JsonBody<E extends Endpoint> = E extends { bodyContentType: string } ? undefined : E extends { body: infer S } ? S : undefined;

/** The input a declaration's validators give its handler: `c.req.valid('param' | 'query' | 'json')`. */
export type DeclaredInput<E extends Endpoint> = {
  in: Validated<'param', E['params']>['in'] & Validated<'query', E['query']>['in'] & Validated<'json', JsonBody<E>>['in'];
  out: Validated<'param', E['params']>['out'] & Validated<'query', E['query']>['out'] & Validated<'json', JsonBody<E>>['out'];
};

// As Hono's own (not exported) MergeTypedResponse: what a handler's return adds to the app's schema.
type Merged<R> =
  R extends Promise<void> ? R : R extends Promise<infer R2> ? (R2 extends TypedResponse ? R2 : TypedResponse) : R extends TypedResponse ? R : TypedResponse;

type Declared<E extends Endpoint, S> = S extends keyof E['responses'] ? E['responses'][S] : never;

/**
 * A JSON answer the declaration does not describe (a status it does not list, or a body its schema does
 * not take), or never. A body the code types `unknown` (the Open311 writer), or a response declared
 * without a schema (this API's own OpenAPI document), is not checked.
 */
type Undescribed<E extends Endpoint, R> =
  R extends Promise<infer X>
    ? Undescribed<E, X>
    : R extends TypedResponse<infer T, infer S, 'json'>
      ? // `c.json(body)` without a status is typed with every status; it answers 200.
        EachStatus<E, T, ContentfulStatusCode extends S ? 200 : S>
      : never;

type EachStatus<E extends Endpoint, T, S> = S extends unknown
  ? [Declared<E, S>] extends [never]
    ? { status: S; notDeclared: true }
    : Declared<E, S> extends { schema: infer Z extends z.ZodType }
      ? unknown extends T
        ? never
        : [T] extends [z.input<Z>]
          ? never
          : { status: S; body: T; declared: z.input<Z> }
      : never
  : never;

/** No extra argument when every JSON answer matches the declaration; otherwise one, so the call fails and says why. */
type MatchesDeclaration<E extends Endpoint, R> = [Undescribed<E, R>] extends [never] ? [] : [responseDoesNotMatchTheDeclaration: Undescribed<E, R>];

type Added<S extends Schema, K extends ApiKey, R> = S & ToSchema<MethodOf<K>, PathOf<K>, DeclaredInput<Api[K]>, Merged<R>>;

/** Handlers registered from the contract's declarations; `app` is the Hono sub-app to mount at '/'. */
export interface DeclaredRoutes<E extends Env, S extends Schema> {
  readonly app: Hono<E, S>;
  /**
   * Registers `handler` for the declared endpoint `key`, behind the declaration's validators. A JSON
   * answer whose status or body the declaration does not describe fails the type check.
   */
  route<K extends ApiKey, R extends HandlerResponse<unknown>>(
    key: K,
    handler: Handler<E, PathOf<K>, DeclaredInput<Api[K]>, R>,
    ...check: MatchesDeclaration<Api[K], R>
  ): DeclaredRoutes<E, Added<S, K, R>>;
  /** The same, with `before` (e.g. a body limit set at run time) ahead of the validators. */
  route<K extends ApiKey, R extends HandlerResponse<unknown>>(
    key: K,
    before: MiddlewareHandler<E, PathOf<K>>,
    handler: Handler<E, PathOf<K>, DeclaredInput<Api[K]>, R>,
    ...check: MatchesDeclaration<Api[K], R>
  ): DeclaredRoutes<E, Added<S, K, R>>;
}

/** The body is validated as JSON unless the declaration names another content type (a form, parsed by the route). */
const isJsonBody = (e: Endpoint) => e.body !== undefined && (e.bodyContentType ?? 'application/json') === 'application/json';

/**
 * Registers route handlers from their declarations in the contract (server/contract/api.ts): the method
 * and path come from the key, the params/query/JSON-body validators from the declared schemas, and the
 * access rule and body limit are the gate's (server/auth/policy.ts reads the same declarations). So a
 * handler cannot be reached at a path, or with input, that its declaration does not describe.
 *
 * Paths are full (`/api/places/:id`): mount the result's `app` at '/'.
 *
 * @example
 * export const placesRoutes = (deps: RouteDeps) =>
 *   declareRoutes().route('GET /api/places/:id', (c) => c.json(placeDetail(deps.store, c.req.valid('param').id, deps.now()))).app;
 */
export function declareRoutes<E extends Env = BlankEnv>(): DeclaredRoutes<E, BlankSchema> {
  const app = new Hono<E>();
  const table = {
    app,
    route(key: ApiKey, ...handlers: (Handler | MiddlewareHandler)[]) {
      const endpoint: Endpoint = API[key];
      const space = key.indexOf(' ');
      const validators: MiddlewareHandler[] = [];
      if (endpoint.params) validators.push(validate('param', endpoint.params));
      if (endpoint.query) validators.push(validate('query', endpoint.query));
      if (isJsonBody(endpoint)) validators.push(validate('json', endpoint.body as z.ZodType));
      const handler = handlers[handlers.length - 1];
      app.on(key.slice(0, space), [key.slice(space + 1)], ...handlers.slice(0, -1), ...validators, handler);
      return table;
    },
  };
  // NOTE: the runtime object is untyped; DeclaredRoutes adds each route's types the way Hono's own chain does.
  return table as unknown as DeclaredRoutes<E, BlankSchema>;
}
