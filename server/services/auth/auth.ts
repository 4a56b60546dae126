/**
 * Sign-in with its limits, password changes, accounts, keys and tokens — the rules; the store keeps the
 * rows, auth/sessions.ts the cookie.
 */
import { bilingual, InputError, NotFoundError, TooManyRequestsError, UnauthorizedError } from '../../errors';
import { hashPassword, passwordProblem, randomSecret, verifyPassword } from '../../auth/passwords';
import { cityClock } from '../../contract/city-time';
import type { UserRole } from '../../contract/roles';
import { sha256 } from '../../auth/sessions';
import type { Store, TokenRecord, UserRecord } from '../../store/index';

/**
 * Sign-in limits (README "Sign-in limits" says the same). Wrong passwords are counted per account and
 * address, so nobody elsewhere — nor a colleague behind the same office NAT — can lock a person out:
 * 5 failures of one account from one address within 15 minutes refuse that account from that address
 * until 15 minutes after the last one.
 */
export const LOCK_AFTER_FAILURES = 5;
/** …the window of the account+address count, and how long its refusal lasts after the last failure. */
export const LOCK_WINDOW_MS = 15 * 60_000;
/** Failures from one address (any accounts, password spraying) after which the address is slowed down… */
export const IP_SLOW_AFTER_FAILURES = 20;
/** …to one attempt per this long: slowed, never locked, so the right password behind a shared address still gets in. */
export const IP_SLOW_INTERVAL_MS = 10_000;
/** An account guessed at from many addresses (a distributed attack) is locked for everyone… */
export const ACCOUNT_LOCK_AFTER_FAILURES = 50;
/** …when the failures came from at least this many addresses… */
export const ACCOUNT_LOCK_MIN_ADDRESSES = 5;
/** …within this window, until this long after the last failure. */
export const ACCOUNT_LOCK_WINDOW_MS = 60 * 60_000;

// Compared against when the account does not exist, so "no such user" takes as long as "wrong password".
let dummyHash: Promise<string> | null = null;

function tooMany(until: number, nowMs: number, zh: string, en: string): TooManyRequestsError {
  return new TooManyRequestsError(
    bilingual(`${zh}请于 ${cityClock(until)} 后再试，或联系管理员。`, `${en} Try again after ${cityClock(until)} (city time), or ask an administrator.`),
    Math.max(1, Math.ceil((until - nowMs) / 1000)),
  );
}

/**
 * Admits one password guess for `username` from `ip`, or throws TooManyRequestsError (saying until when).
 * An admitted guess is recorded as a failure at once, before the password is checked — counted and
 * recorded in one transaction, so that parallel guesses (also on other servers) cannot all pass the
 * count while the slow hash runs; `settleGuess` forgets it when the password was right. Returns how many
 * more failures this account+address has.
 */
export function admitGuess(store: Store, username: string, ip: string, nowMs: number): Promise<number> {
  return store.transaction(() => admitted(store, username, ip, nowMs));
}

async function admitted(store: Store, username: string, ip: string, nowMs: number): Promise<number> {
  const { byUser, byIp } = await store.loginFailures(username, ip, nowMs - Math.max(LOCK_WINDOW_MS, ACCOUNT_LOCK_WINDOW_MS));
  const pair = byUser.filter((f) => f.ip === ip && f.atMs > nowMs - LOCK_WINDOW_MS);
  if (pair.length >= LOCK_AFTER_FAILURES) {
    throw tooMany(
      pair[pair.length - 1].atMs + LOCK_WINDOW_MS,
      nowMs,
      '登录失败次数过多，此账号在本机已暂时锁定，',
      'Too many failed sign-ins: this account is locked from this address.',
    );
  }
  const account = byUser.filter((f) => f.atMs > nowMs - ACCOUNT_LOCK_WINDOW_MS);
  if (account.length >= ACCOUNT_LOCK_AFTER_FAILURES && new Set(account.map((f) => f.ip)).size >= ACCOUNT_LOCK_MIN_ADDRESSES) {
    throw tooMany(
      account[account.length - 1].atMs + ACCOUNT_LOCK_WINDOW_MS,
      nowMs,
      '此账号正被多处反复试密码，已暂时锁定，',
      'Too many failed sign-ins: this account is being guessed at from many addresses and is locked.',
    );
  }
  const fromIp = byIp.filter((at) => at > nowMs - LOCK_WINDOW_MS);
  if (fromIp.length >= IP_SLOW_AFTER_FAILURES && nowMs - fromIp[fromIp.length - 1] < IP_SLOW_INTERVAL_MS) {
    throw tooMany(
      fromIp[fromIp.length - 1] + IP_SLOW_INTERVAL_MS,
      nowMs,
      '本机登录失败次数过多，已放慢登录，',
      'Too many failed sign-ins from this address: sign-ins from it are slowed down.',
    );
  }
  await store.recordLoginFailure(username, ip, nowMs);
  return LOCK_AFTER_FAILURES - pair.length - 1;
}

/** The guess admitted by admitGuess was right: the account's failures from this address are forgotten. */
export async function settleGuess(store: Store, username: string, ip: string): Promise<void> {
  await store.clearLoginFailures(username, ip);
}

/**
 * Checks a sign-in. Throws TooManyRequestsError while the limits refuse it (saying until when),
 * UnauthorizedError for a wrong name or password (the same sentence for both).
 */
export async function checkLogin(store: Store, username: string, password: string, ip: string, nowMs: number): Promise<UserRecord> {
  const left = await admitGuess(store, username, ip, nowMs);
  const found = await store.userForLogin(username);
  dummyHash ??= hashPassword(randomSecret());
  const ok = await verifyPassword(password, found?.passwordHash ?? (await dummyHash));
  if (!found || !ok || found.user.disabled) {
    throw new UnauthorizedError(
      left > 0
        ? bilingual(`用户名或密码不正确（再错 ${left} 次将锁定 15 分钟）。`, `Wrong username or password (${left} more and the account locks for 15 minutes).`)
        : bilingual('用户名或密码不正确，账号已锁定 15 分钟。', 'Wrong username or password; the account is now locked for 15 minutes.'),
    );
  }
  await settleGuess(store, username, ip);
  return found.user;
}

/**
 * Changes a password after checking the current one — a guess counted like a sign-in, so a stolen
 * session cannot try current passwords without limit — and ends the user's other sessions. The new
 * one must differ from the current one (a one-time password cannot be "changed" to itself).
 */
export async function changePassword(
  store: Store,
  user: { userId: number; username: string },
  current: string,
  next: string,
  keepSessionHash: string,
  ip: string,
  now: Date,
): Promise<void> {
  const hash = await store.passwordHashOf(user.userId);
  await admitGuess(store, user.username, ip, now.getTime());
  if (!hash || !(await verifyPassword(current, hash))) {
    throw new InputError(bilingual('当前密码不正确。', 'The current password is wrong.'), [{ path: 'json.current', message: 'wrong password' }]);
  }
  await settleGuess(store, user.username, ip);
  const problem =
    passwordProblem(next) ?? (next === current ? bilingual('新密码不能与当前密码相同。', 'The new password must differ from the current one.') : null);
  if (problem) throw new InputError(problem, [{ path: 'json.next', message: problem }]);
  await store.setPassword(user.userId, await hashPassword(next), now.toISOString());
  await store.deleteSessionsOf(user.userId, keepSessionHash);
}

/** Creates an account (admin). */
export async function createUser(
  store: Store,
  u: { username: string; displayName: string; role: UserRole; unitId?: string | null; districtId?: string | null; password: string },
  now: Date,
): Promise<UserRecord> {
  const problem = passwordProblem(u.password);
  if (problem) throw new InputError(problem, [{ path: 'json.password', message: problem }]);
  if (await store.userForLogin(u.username)) {
    throw new InputError(bilingual(`用户名 ${u.username} 已存在。`, `The username ${u.username} is taken.`), [{ path: 'json.username', message: 'taken' }]);
  }
  if (u.role === 'unit') {
    if (!u.unitId)
      throw new InputError(bilingual('责任单位账号需要指定单位。', 'A unit account needs its unitId.'), [
        { path: 'json.unitId', message: 'required for role unit' },
      ]);
    if (!(await store.unitExists(u.unitId)))
      throw new InputError(bilingual(`没有编号为 ${u.unitId} 的责任单位。`, `No unit ${u.unitId} in this city.`), [
        { path: 'json.unitId', message: 'unknown unit' },
      ]);
  }
  if (u.districtId) {
    if (u.role !== 'leader' && u.role !== 'inspector')
      throw new InputError(
        bilingual(
          '只有领导和巡查员账号可以限定到一个区县（责任单位账号已限定到它的单位，管理员管全市）。',
          'Only a leader or inspector account is limited to a district (a unit account is limited to its unit; the administrator runs the whole city).',
        ),
        [{ path: 'json.districtId', message: 'only for role leader or inspector' }],
      );
    if (!(await store.listDistricts()).some((d) => d.id === u.districtId))
      throw new InputError(bilingual(`没有编号为 ${u.districtId} 的区县。`, `No district ${u.districtId} in this city.`), [
        { path: 'json.districtId', message: 'unknown district' },
      ]);
  }
  return store.createUser({
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    unitId: u.role === 'unit' ? (u.unitId ?? null) : null,
    districtId: u.districtId ?? null,
    passwordHash: await hashPassword(u.password),
    now: now.toISOString(),
  });
}

/** Changes an account (admin): enable/disable (disabling ends its sessions), reset its password. */
export async function updateUser(store: Store, id: number, change: { disabled?: boolean; password?: string }, now: Date): Promise<UserRecord> {
  const user = await store.userById(id);
  if (!user) throw new NotFoundError(bilingual(`没有编号为 ${id} 的账号。`, `No account ${id}.`));
  if (change.password !== undefined) {
    const problem = passwordProblem(change.password);
    if (problem) throw new InputError(problem, [{ path: 'json.password', message: problem }]);
    // A password someone else chose: its owner sets their own at the next sign-in.
    await store.setPassword(id, await hashPassword(change.password), now.toISOString(), true);
    await store.deleteSessionsOf(id);
  }
  if (change.disabled !== undefined) {
    await store.setUserDisabled(id, change.disabled);
    if (change.disabled) await store.deleteSessionsOf(id);
  }
  return (await store.userById(id))!;
}

/** A new API key or screen token: the secret is returned once and only its hash is kept. */
export async function issueToken(store: Store, kind: 'api' | 'screen', name: string, now: Date): Promise<TokenRecord & { secret: string }> {
  const secret = randomSecret(kind === 'api' ? 'xk_' : 'xs_');
  const prefix = secret.slice(0, 8);
  const rec =
    kind === 'api'
      ? await store.createApiKey(sha256(secret), prefix, name, now.toISOString())
      : await store.createScreenToken(sha256(secret), prefix, name, now.toISOString());
  return { ...rec, secret };
}
