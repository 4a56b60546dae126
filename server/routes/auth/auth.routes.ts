import { principalOf } from '../../auth/middleware';
import { clientAddress } from '../../http/proxy';
import { endSession, startSession } from '../../auth/sessions';
import { NotFoundError, TooManyRequestsError, UnauthorizedError } from '../../errors';
import { changePassword, checkLogin, createUser, issueToken, updateUser } from '../../services/auth/auth';
import type { UserRecord } from '../../store/index';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

const userOut = (u: UserRecord) => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  unitId: u.unitId,
  districtId: u.districtId,
  demo: u.demo,
  disabled: u.disabled,
  mustChange: u.mustChange,
});

/** Sign-in, accounts, keys, tokens and the audit log. */
export function authRoutes(deps: RouteDeps) {
  const now = () => new Date(deps.now());
  return declareRoutes()
    .route('POST /api/auth/login', async (c) => {
      const { username, password } = c.req.valid('json');
      c.set('auditUser' as never, username as never);
      try {
        const user = await checkLogin(deps.store, username, password, clientAddress(c), deps.now());
        const csrfToken = await startSession(c, deps.store, user, deps.now());
        return c.json({ role: user.role, user: userOut(user), csrfToken }, 200);
      } catch (err) {
        if (err instanceof TooManyRequestsError) c.header('Retry-After', String(err.retryAfterS));
        throw err;
      }
    })
    .route('POST /api/auth/logout', async (c) => {
      await endSession(c, deps.store);
      return c.body(null, 204);
    })
    .route('GET /api/auth/me', async (c) => {
      c.header('Cache-Control', 'no-store');
      const p = principalOf(c);
      if (!p) throw new UnauthorizedError();
      if (p.kind !== 'user') return c.json({ role: p.role, user: null, csrfToken: null }, 200);
      const user = await deps.store.userById(p.userId);
      if (!user) throw new UnauthorizedError();
      return c.json({ role: p.role, user: userOut(user), csrfToken: p.csrfToken }, 200);
    })
    .route('POST /api/auth/password', async (c) => {
      const p = principalOf(c);
      if (p?.kind !== 'user') throw new UnauthorizedError();
      const { current, next } = c.req.valid('json');
      try {
        await changePassword(deps.store, p, current, next, p.sessionHash, clientAddress(c), now());
      } catch (err) {
        if (err instanceof TooManyRequestsError) c.header('Retry-After', String(err.retryAfterS));
        throw err;
      }
      return c.body(null, 204);
    })
    .route('GET /api/users', async (c) => c.json((await deps.store.listUsers()).map(userOut), 200))
    .route('POST /api/users', async (c) => c.json(userOut(await createUser(deps.store, c.req.valid('json'), now())), 201))
    .route('PATCH /api/users/:id', async (c) => c.json(userOut(await updateUser(deps.store, c.req.valid('param').id, c.req.valid('json'), now())), 200))
    .route('GET /api/api-keys', async (c) => c.json(await deps.store.listApiKeys(), 200))
    .route('POST /api/api-keys', async (c) => c.json(await issueToken(deps.store, 'api', c.req.valid('json').name, now()), 201))
    .route('DELETE /api/api-keys/:id', async (c) => {
      if (!(await deps.store.revokeApiKey(c.req.valid('param').id, now().toISOString())))
        throw new NotFoundError('没有这个有效的接口密钥。 / No such active API key.');
      return c.body(null, 204);
    })
    .route('GET /api/screen-tokens', async (c) => c.json(await deps.store.listScreenTokens(), 200))
    .route('POST /api/screen-tokens', async (c) => c.json(await issueToken(deps.store, 'screen', c.req.valid('json').name, now()), 201))
    .route('DELETE /api/screen-tokens/:id', async (c) => {
      if (!(await deps.store.revokeScreenToken(c.req.valid('param').id, now().toISOString())))
        throw new NotFoundError('没有这个有效的大屏令牌。 / No such active screen token.');
      return c.body(null, 204);
    })
    .route('GET /api/audit', async (c) => {
      const q = c.req.valid('query');
      return c.json(await deps.store.auditLog(q.limit, q.before ?? null), 200);
    }).app;
}
