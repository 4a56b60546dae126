/**
 * The gate every request goes through: who is calling (session cookie, API key or screen token), is
 * the matched route allowed to that role (its declaration, via policy.ts), does a cookie-authenticated write carry its CSRF
 * token, is the body within the route's limit — and, after the handler, one audit-log line per write.
 */
import { clientAddress } from '../http/proxy';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { matchedRoutes } from 'hono/route';
import { AppError, bilingual, ForbiddenError, UnauthorizedError } from '../errors';
import type { Store } from '../store/index';
import { DEFAULT_BODY_LIMIT, ruleFor, type RouteRule } from './policy';
import { ROLE_NAMES } from '../contract/roles';
import type { Principal } from './roles';
import { sessionPrincipal, sha256 } from './sessions';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * What an account with a password it did not choose (the one-time administrator password, an
 * administrator's reset) may do besides the public routes: change it, see who it is, sign out.
 */
const MUST_CHANGE_ROUTES = new Set(['POST /api/auth/password', 'POST /api/auth/logout', 'GET /api/auth/me']);
export const CSRF_HEADER = 'x-csrf-token';
export const SCREEN_TOKEN_HEADER = 'x-screen-token';
export const SCREEN_TOKEN_PARAM = 'screen_token';
export const API_KEY_PARAM = 'api_key';

/** The caller as resolved by the gate, or null for an anonymous request. */
export function principalOf(c: Context): Principal | null {
  return ((c.var as Record<string, unknown>).principal as Principal | undefined) ?? null;
}

/**
 * The unit a unit account is limited to, or null for every other caller: a responsible unit sees and
 * acts on its own problems only, whatever filter it sends.
 */
export function unitScope(c: Context): string | null {
  const p = principalOf(c);
  return p?.kind === 'user' && p.role === 'unit' ? (p.unitId ?? '-') : null;
}

/**
 * The district a district office's account (a leader or an inspector) is limited to, or null for every
 * other caller: it sees, plans and exports its district's problems and points only, whatever filter it sends.
 */
export function districtScope(c: Context): string | null {
  const p = principalOf(c);
  return p?.kind === 'user' && p.districtId ? p.districtId : null;
}

/** The subdistricts of a district account's district, or null for every other caller (the whole city). */
export async function districtSubdistrictsOf(c: Context, store: Pick<Store, 'districtSubdistricts'>): Promise<Set<string> | null> {
  const district = districtScope(c);
  return district ? new Set(await store.districtSubdistricts([district])) : null;
}

/**
 * A problem filter query narrowed to the caller's scope: a unit account's own unit, a district account's
 * district (a district it asks for besides its own keeps nothing), anyone else's query as sent.
 */
export function scopedQuery<Q extends { unit?: string[]; district?: string[] }>(c: Context, q: Q): Q {
  const unit = unitScope(c);
  if (unit) return { ...q, unit: [unit] };
  const district = districtScope(c);
  if (!district) return q;
  const asked = q.district?.length ? q.district.filter((d) => d === district) : [district];
  return { ...q, district: asked.length ? asked : ['-'] };
}

/** The caller's scope as a cache key part: `all`, `u<unit>` or `d<district>`. */
export function scopeKey(c: Context): string {
  const unit = unitScope(c);
  if (unit) return `u${encodeURIComponent(unit)}`;
  const district = districtScope(c);
  return district ? `d${encodeURIComponent(district)}` : 'all';
}

/**
 * Who a history entry names for this request: the signed-in person (their name, not what the request
 * body claims), else `claimed` (an API client may name its own operator).
 */
export function actorOf(c: Context, claimed: string | undefined): string | undefined {
  const p = principalOf(c);
  return p?.kind === 'user' ? `${p.displayName}（${p.username}）` : claimed;
}

/**
 * The route that will answer (a handler's, not a middleware's): the first match of the request's method,
 * since handlers run in registration order and the page shell's `GET /*` comes last.
 */
function handlerRoute(c: Context): { method: string; path: string } | null {
  const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
  return matchedRoutes(c).find((r) => r.method === method) ?? null;
}

async function resolvePrincipal(c: Context, store: Store, nowMs: number): Promise<Principal | null> {
  const fromSession = await sessionPrincipal(c, store, nowMs);
  if (fromSession) return fromSession;
  const auth = c.req.header('authorization');
  const apiKey = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : c.req.query(API_KEY_PARAM);
  if (apiKey && (await store.apiKeyValid(sha256(apiKey)))) return { kind: 'api', role: 'api' };
  const screen = c.req.header(SCREEN_TOKEN_HEADER) ?? c.req.query(SCREEN_TOKEN_PARAM);
  if (screen && (await store.screenTokenValid(sha256(screen)))) return { kind: 'screen', role: 'screen' };
  return null;
}

/** A refusal at the gate and why, for the audit log. */
class GateRefusal extends ForbiddenError {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

/** Why the gate refuses the request (401, or 403 with its reason), or null when it may pass. */
function refusal(c: Context, rule: RouteRule, principal: Principal | null, route: { method: string; path: string }): AppError | null {
  if (rule.roles !== 'public') {
    if (!principal) return new UnauthorizedError();
    if (!rule.roles.includes(principal.role)) {
      const who = ROLE_NAMES[principal.role];
      return new GateRefusal(`${who.zh}无权执行此操作。 / The ${who.en.toLowerCase()} role may not do this (${route.method} ${route.path}).`, 'wrong role');
    }
  }
  if (principal?.kind === 'user' && principal.mustChange && rule.roles !== 'public' && !MUST_CHANGE_ROUTES.has(`${route.method} ${route.path}`)) {
    return new GateRefusal(
      bilingual(
        '请先修改密码：当前密码是一次性密码或管理员重置的密码。',
        'Change your password first (POST /api/auth/password): this one was set for you, once.',
      ),
      'password must be changed',
    );
  }
  // A cookie rides along on requests other sites make; the token in a header does not.
  if (!SAFE_METHODS.has(c.req.method) && principal?.kind === 'user' && c.req.header(CSRF_HEADER) !== principal.csrfToken) {
    return new GateRefusal(
      '请求缺少有效的 CSRF 令牌，请刷新页面后重试。 / Missing or wrong X-CSRF-Token header: reload the page and try again.',
      'missing or wrong CSRF token',
    );
  }
  return null;
}

/** The gate; `now` is the app's clock. */
export function authorize(deps: { store: Store; now: () => number }): MiddlewareHandler {
  return async (c, next) => {
    const route = handlerRoute(c);
    // No route matched: the app's 404 answers, and there is nothing to protect.
    if (!route) return next();
    const rule = ruleFor(route.method, route.path);
    if (!rule) {
      throw new AppError(
        500,
        `No access rule for ${route.method} ${route.path}; declare it in the contract (server/contract/api.ts) and register it with declareRoutes().`,
      );
    }
    const principal = await resolvePrincipal(c, deps.store, deps.now());
    c.set('principal' as never, principal as never);

    const unsafe = !SAFE_METHODS.has(c.req.method);
    const refused = refusal(c, rule, principal, route);
    if (refused) {
      // A refused write is someone trying what they may not (or a forged request): the log keeps it.
      if (unsafe && refused instanceof GateRefusal) await audit(c, deps, principal, route, refused.status, `refused: ${refused.reason}`);
      throw refused;
    }

    const limit = rule.bodyLimit ?? DEFAULT_BODY_LIMIT;
    const run = unsafe
      ? () =>
          bodyLimit({
            maxSize: limit,
            onError: (ctx) =>
              ctx.json({ error: `请求内容过大（上限 ${limit} 字节）。 / The request body is larger than this route takes (${limit} bytes).` }, 413),
          })(c, next)
      : next;
    try {
      // bodyLimit answers 413 by returning a Response rather than throwing: it becomes the reply.
      const res = await run();
      if (res instanceof Response) c.res = res;
    } finally {
      if (unsafe) await audit(c, deps, principal, route);
    }
  };
}

async function audit(
  c: Context,
  deps: { store: Store; now: () => number },
  p: Principal | null,
  route: { method: string; path: string },
  refusedStatus?: number,
  note?: string,
): Promise<void> {
  const status = refusedStatus ?? c.res?.status ?? 500;
  await deps.store.appendAudit({
    at: new Date(deps.now()).toISOString(),
    userId: p?.kind === 'user' ? p.userId : null,
    // A failed login names the account it tried (set by the login route), so guessing shows in the log.
    username: p?.kind === 'user' ? p.username : (((c.var as Record<string, unknown>).auditUser as string | undefined) ?? null),
    role: p?.role ?? null,
    method: c.req.method,
    path: new URL(c.req.url).pathname,
    status,
    ip: clientAddress(c),
    detail: note ? `${route.method} ${route.path} ${note}` : `${route.method} ${route.path}`,
  });
}
