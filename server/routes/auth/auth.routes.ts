import { Hono } from 'hono';
import { z } from 'zod';
import { clientIp, principalOf } from '../../auth/middleware';
import { endSession, startSession } from '../../auth/sessions';
import { NotFoundError, TooManyRequestsError, UnauthorizedError } from '../../errors';
import {
  AuditEntryOut,
  AuditQuery,
  CreateUserBody,
  IdParam,
  LoginBody,
  MeResponse,
  NewTokenOut,
  PasswordBody,
  TokenBody,
  TokenOut,
  UpdateUserBody,
  UserOut,
} from '../../contract/auth';
import { ErrorBody } from '../../contract/common';
import { changePassword, checkLogin, createUser, issueToken, updateUser } from '../../services/auth/auth';
import { errorResponses, type RouteDoc } from '../../services/openapi/openapi';
import type { UserRecord } from '../../store/index';
import type { RouteDeps } from '../deps';
import { validate } from '../validate';

const userOut = (u: UserRecord) => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  unitId: u.unitId,
  demo: u.demo,
  disabled: u.disabled,
  mustChange: u.mustChange,
});

const doc = (method: RouteDoc['method'], path: string, summary: string, extra: Partial<RouteDoc>, ok: RouteDoc['responses'], errors: number[]): RouteDoc => ({
  method,
  path,
  tag: 'auth',
  summary,
  ...extra,
  responses: { ...ok, ...errorResponses(ErrorBody, ...errors) },
});

export const AUTH_DOCS: RouteDoc[] = [
  doc('post', '/api/auth/login', 'Sign in: sets the session cookie and returns the CSRF token', { body: LoginBody }, { 200: { description: 'Signed in', schema: MeResponse } }, [400, 401, 429]),
  doc('post', '/api/auth/logout', 'Sign out: ends the session', {}, { 204: { description: 'Signed out' } }, []),
  doc('get', '/api/auth/me', 'Who is signed in (401 when nobody)', {}, { 200: { description: 'The caller', schema: MeResponse } }, [401]),
  doc('post', '/api/auth/password', 'Change my password (ends my other sessions)', { body: PasswordBody }, { 204: { description: 'Changed' } }, [400, 401]),
  doc('get', '/api/users', 'Accounts (admin)', {}, { 200: { description: 'Every account', schema: z.array(UserOut) } }, [401, 403]),
  doc('post', '/api/users', 'Create an account (admin)', { body: CreateUserBody }, { 201: { description: 'Created', schema: UserOut } }, [400, 401, 403]),
  doc('patch', '/api/users/{id}', 'Disable/enable an account or reset its password (admin)', { params: IdParam, body: UpdateUserBody }, { 200: { description: 'Changed', schema: UserOut } }, [400, 401, 403, 404]),
  doc('get', '/api/api-keys', 'API keys for other city systems (admin)', {}, { 200: { description: 'Keys (no secrets)', schema: z.array(TokenOut) } }, [401, 403]),
  doc('post', '/api/api-keys', 'Issue an API key (admin); the key is shown once', { body: TokenBody }, { 201: { description: 'The new key', schema: NewTokenOut } }, [400, 401, 403]),
  doc('delete', '/api/api-keys/{id}', 'Revoke an API key (admin)', { params: IdParam }, { 204: { description: 'Revoked' } }, [401, 403, 404]),
  doc('get', '/api/screen-tokens', 'Read-only tokens for big-screen PCs (admin)', {}, { 200: { description: 'Tokens (no secrets)', schema: z.array(TokenOut) } }, [401, 403]),
  doc('post', '/api/screen-tokens', 'Issue a screen token (admin); open /screen?screen_token=… with it', { body: TokenBody }, { 201: { description: 'The new token', schema: NewTokenOut } }, [400, 401, 403]),
  doc('delete', '/api/screen-tokens/{id}', 'Revoke a screen token (admin)', { params: IdParam }, { 204: { description: 'Revoked' } }, [401, 403, 404]),
  doc('get', '/api/audit', 'The audit log of every write, newest first (admin)', { query: AuditQuery }, { 200: { description: 'Entries', schema: z.array(AuditEntryOut) } }, [400, 401, 403]),
];

/** Sign-in, accounts, keys, tokens and the audit log. */
export function authRoutes(deps: RouteDeps) {
  const now = () => new Date(deps.now());
  return new Hono()
    .post('/auth/login', validate('json', LoginBody), async (c) => {
      const { username, password } = c.req.valid('json');
      c.set('auditUser' as never, username as never);
      try {
        const user = await checkLogin(deps.store, username, password, clientIp(c), deps.now());
        const csrfToken = startSession(c, deps.store, user, deps.now());
        return c.json({ role: user.role, user: userOut(user), csrfToken }, 200);
      } catch (err) {
        if (err instanceof TooManyRequestsError) c.header('Retry-After', String(err.retryAfterS));
        throw err;
      }
    })
    .post('/auth/logout', (c) => {
      endSession(c, deps.store);
      return c.body(null, 204);
    })
    .get('/auth/me', (c) => {
      c.header('Cache-Control', 'no-store');
      const p = principalOf(c);
      if (!p) throw new UnauthorizedError();
      if (p.kind !== 'user') return c.json({ role: p.role, user: null, csrfToken: null }, 200);
      const user = deps.store.userById(p.userId);
      if (!user) throw new UnauthorizedError();
      return c.json({ role: p.role, user: userOut(user), csrfToken: p.csrfToken }, 200);
    })
    .post('/auth/password', validate('json', PasswordBody), async (c) => {
      const p = principalOf(c);
      if (p?.kind !== 'user') throw new UnauthorizedError();
      const { current, next } = c.req.valid('json');
      await changePassword(deps.store, p.userId, current, next, p.sessionHash, now());
      return c.body(null, 204);
    })
    .get('/users', (c) => c.json(deps.store.listUsers().map(userOut), 200))
    .post('/users', validate('json', CreateUserBody), async (c) => c.json(userOut(await createUser(deps.store, c.req.valid('json'), now())), 201))
    .patch('/users/:id', validate('param', IdParam), validate('json', UpdateUserBody), async (c) =>
      c.json(userOut(await updateUser(deps.store, c.req.valid('param').id, c.req.valid('json'), now())), 200),
    )
    .get('/api-keys', (c) => c.json(deps.store.listApiKeys(), 200))
    .post('/api-keys', validate('json', TokenBody), (c) => c.json(issueToken(deps.store, 'api', c.req.valid('json').name, now()), 201))
    .delete('/api-keys/:id', validate('param', IdParam), (c) => {
      if (!deps.store.revokeApiKey(c.req.valid('param').id, now().toISOString())) throw new NotFoundError('没有这个有效的接口密钥。 / No such active API key.');
      return c.body(null, 204);
    })
    .get('/screen-tokens', (c) => c.json(deps.store.listScreenTokens(), 200))
    .post('/screen-tokens', validate('json', TokenBody), (c) => c.json(issueToken(deps.store, 'screen', c.req.valid('json').name, now()), 201))
    .delete('/screen-tokens/:id', validate('param', IdParam), (c) => {
      if (!deps.store.revokeScreenToken(c.req.valid('param').id, now().toISOString())) throw new NotFoundError('没有这个有效的大屏令牌。 / No such active screen token.');
      return c.body(null, 204);
    })
    .get('/audit', validate('query', AuditQuery), (c) => {
      const q = c.req.valid('query');
      return c.json(deps.store.auditLog(q.limit, q.before ?? null), 200);
    });
}
