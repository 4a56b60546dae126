/**
 * Sign-in with lock-out, password changes, accounts, keys and tokens — the rules; the store keeps the
 * rows, auth/sessions.ts the cookie.
 */
import { bilingual, InputError, NotFoundError, TooManyRequestsError, UnauthorizedError } from '../../errors';
import { hashPassword, passwordProblem, randomSecret, verifyPassword } from '../../auth/passwords';
import { cityClock } from '../../contract/city-time';
import type { UserRole } from '../../contract/roles';
import { sha256 } from '../../auth/sessions';
import type { Store, TokenRecord, UserRecord } from '../../store/index';

/** Failed sign-ins of one account within the window that lock it… */
export const LOCK_AFTER_FAILURES = 5;
/** …for this long after the last failure. */
export const LOCK_WINDOW_MS = 15 * 60_000;
/** Failures from one address (any accounts) that lock the address: password spraying. */
export const IP_LOCK_AFTER_FAILURES = 20;

// Compared against when the account does not exist, so "no such user" takes as long as "wrong password".
let dummyHash: Promise<string> | null = null;

/**
 * Checks a sign-in. Throws TooManyRequestsError while the account or the address is locked (saying
 * until when), UnauthorizedError for a wrong name or password (the same sentence for both).
 */
export async function checkLogin(store: Store, username: string, password: string, ip: string, nowMs: number): Promise<UserRecord> {
  const since = nowMs - LOCK_WINDOW_MS;
  const { byUser, byIp } = store.loginFailures(username, ip, since);
  const lockedBy = byUser.length >= LOCK_AFTER_FAILURES ? byUser : byIp.length >= IP_LOCK_AFTER_FAILURES ? byIp : null;
  if (lockedBy) {
    const until = lockedBy[lockedBy.length - 1] + LOCK_WINDOW_MS;
    const retryS = Math.max(1, Math.ceil((until - nowMs) / 1000));
    throw new TooManyRequestsError(
      bilingual(
        `登录失败次数过多，账号已暂时锁定，请于 ${cityClock(until)} 后再试，或联系管理员。`,
        `Too many failed sign-ins: locked until ${cityClock(until)} (city time). Try again then, or ask an administrator.`,
      ),
      retryS,
    );
  }
  const found = store.userForLogin(username);
  dummyHash ??= hashPassword(randomSecret());
  const ok = await verifyPassword(password, found?.passwordHash ?? (await dummyHash));
  if (!found || !ok || found.user.disabled) {
    store.recordLoginFailure(username, ip, nowMs);
    const left = LOCK_AFTER_FAILURES - byUser.length - 1;
    throw new UnauthorizedError(
      left > 0
        ? bilingual(`用户名或密码不正确（再错 ${left} 次将锁定 15 分钟）。`, `Wrong username or password (${left} more and the account locks for 15 minutes).`)
        : bilingual('用户名或密码不正确，账号已锁定 15 分钟。', 'Wrong username or password; the account is now locked for 15 minutes.'),
    );
  }
  store.clearLoginFailures(username);
  return found.user;
}

/** Changes a password after checking the current one; ends the user's other sessions. */
export async function changePassword(store: Store, userId: number, current: string, next: string, keepSessionHash: string, now: Date): Promise<void> {
  const hash = store.passwordHashOf(userId);
  if (!hash || !(await verifyPassword(current, hash))) {
    throw new InputError(bilingual('当前密码不正确。', 'The current password is wrong.'), [{ path: 'json.current', message: 'wrong password' }]);
  }
  const problem = passwordProblem(next);
  if (problem) throw new InputError(problem, [{ path: 'json.next', message: problem }]);
  store.setPassword(userId, await hashPassword(next), now.toISOString());
  store.deleteSessionsOf(userId, keepSessionHash);
}

/** Creates an account (admin). */
export async function createUser(
  store: Store,
  u: { username: string; displayName: string; role: UserRole; unitId?: string | null; password: string },
  now: Date,
): Promise<UserRecord> {
  const problem = passwordProblem(u.password);
  if (problem) throw new InputError(problem, [{ path: 'json.password', message: problem }]);
  if (store.userForLogin(u.username)) {
    throw new InputError(bilingual(`用户名 ${u.username} 已存在。`, `The username ${u.username} is taken.`), [{ path: 'json.username', message: 'taken' }]);
  }
  if (u.role === 'unit') {
    if (!u.unitId)
      throw new InputError(bilingual('责任单位账号需要指定单位。', 'A unit account needs its unitId.'), [
        { path: 'json.unitId', message: 'required for role unit' },
      ]);
    if (!store.unitExists(u.unitId))
      throw new InputError(bilingual(`没有编号为 ${u.unitId} 的责任单位。`, `No unit ${u.unitId} in this city.`), [
        { path: 'json.unitId', message: 'unknown unit' },
      ]);
  }
  return store.createUser({
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    unitId: u.role === 'unit' ? (u.unitId ?? null) : null,
    passwordHash: await hashPassword(u.password),
    now: now.toISOString(),
  });
}

/** Changes an account (admin): enable/disable (disabling ends its sessions), reset its password. */
export async function updateUser(store: Store, id: number, change: { disabled?: boolean; password?: string }, now: Date): Promise<UserRecord> {
  const user = store.userById(id);
  if (!user) throw new NotFoundError(bilingual(`没有编号为 ${id} 的账号。`, `No account ${id}.`));
  if (change.password !== undefined) {
    const problem = passwordProblem(change.password);
    if (problem) throw new InputError(problem, [{ path: 'json.password', message: problem }]);
    store.setPassword(id, await hashPassword(change.password), now.toISOString());
    store.deleteSessionsOf(id);
  }
  if (change.disabled !== undefined) {
    store.setUserDisabled(id, change.disabled);
    if (change.disabled) store.deleteSessionsOf(id);
  }
  return store.userById(id)!;
}

/** A new API key or screen token: the secret is returned once and only its hash is kept. */
export function issueToken(store: Store, kind: 'api' | 'screen', name: string, now: Date): TokenRecord & { secret: string } {
  const secret = randomSecret(kind === 'api' ? 'xk_' : 'xs_');
  const prefix = secret.slice(0, 8);
  const rec =
    kind === 'api'
      ? store.createApiKey(sha256(secret), prefix, name, now.toISOString())
      : store.createScreenToken(sha256(secret), prefix, name, now.toISOString());
  return { ...rec, secret };
}
