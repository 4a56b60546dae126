/**
 * Sessions: a random token in an HttpOnly cookie, its SHA-256 in the store. A session lasts while it is
 * used (idle limit) up to an absolute limit; a password change or a disabled account ends it.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { requestIsHttps } from '../http/proxy';
import type { Store } from '../store/index';
import type { UserRecord } from '../store/auth';
import { randomSecret } from './passwords';
import type { Principal } from './roles';

export const SESSION_COOKIE = 'xuncha_session';
/** A session ends after 8 hours without a request (a working day with a lunch break)… */
export const SESSION_IDLE_MS = 8 * 3600_000;
/** …and in any case 7 days after sign-in. */
export const SESSION_MAX_MS = 7 * 24 * 3600_000;
// Writing "last seen" on every tile request would be a write per tile; once a minute is plenty.
const TOUCH_EVERY_MS = 60_000;

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64url');

/** Starts a session for `user` and sets its cookie; returns the CSRF token the client sends on writes. */
export async function startSession(c: Context, store: Store, user: UserRecord, nowMs: number): Promise<string> {
  const token = randomSecret();
  const csrfToken = randomSecret();
  await store.createSession(sha256(token), {
    userId: user.id,
    role: user.role,
    csrfToken,
    createdMs: nowMs,
    seenMs: nowMs,
    expiresMs: Math.min(nowMs + SESSION_IDLE_MS, nowMs + SESSION_MAX_MS),
  });
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: requestIsHttps(c),
    path: '/',
    maxAge: SESSION_MAX_MS / 1000,
  });
  return csrfToken;
}

/** Ends the caller's session (if any) and clears its cookie. */
export async function endSession(c: Context, store: Store): Promise<void> {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) await store.deleteSession(sha256(token));
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: requestIsHttps(c) });
}

/** The signed-in person behind the request's cookie, or null (no cookie, expired, account disabled). */
export async function sessionPrincipal(c: Context, store: Store, nowMs: number): Promise<Principal | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return null;
  const hash = sha256(token);
  const s = await store.session(hash);
  if (!s) return null;
  if (s.expiresMs <= nowMs) {
    await store.deleteSession(hash);
    return null;
  }
  const user = await store.userById(s.userId);
  if (!user || user.disabled) {
    await store.deleteSession(hash);
    return null;
  }
  if (nowMs - s.seenMs > TOUCH_EVERY_MS) await store.touchSession(hash, nowMs, Math.min(nowMs + SESSION_IDLE_MS, s.createdMs + SESSION_MAX_MS));
  return {
    kind: 'user',
    role: user.role,
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    unitId: user.unitId,
    districtId: user.districtId,
    sessionHash: hash,
    csrfToken: s.csrfToken,
    mustChange: user.mustChange,
  };
}
