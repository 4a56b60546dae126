/** Sign-in and the session: who is signed in, signing in and out, changing one's password. */
import { setCsrfToken } from './client';
import { call } from './http';

/** GET /api/auth/me: who is signed in; an ApiError with status 401 when nobody is. */
export async function getMe(signal: AbortSignal) {
  const me = await call('GET /api/auth/me', { signal });
  setCsrfToken(me.csrfToken);
  return me;
}

/** POST /api/auth/login; on success the session cookie is set and the CSRF token remembered. */
export async function login(username: string, password: string) {
  const me = await call('POST /api/auth/login', { body: { username, password } });
  setCsrfToken(me.csrfToken);
  return me;
}

/** POST /api/auth/logout: the token is forgotten even when the server could not be told. */
export async function logout(): Promise<void> {
  try {
    await call('POST /api/auth/logout', {});
  } finally {
    setCsrfToken(null);
  }
}

/** POST /api/auth/password: change my password. */
export async function changePassword(current: string, next: string): Promise<void> {
  await call('POST /api/auth/password', { body: { current, next } });
}
