/**
 * What the field page keeps for offline use that belongs to the signed-in person: the service worker's
 * copies of "who I am" and the plans, and the look-backs of my area. Forgotten at sign-out, so a phone
 * handed on and opened offline does not show the previous inspector as signed in, nor their plans.
 * The record queue stays: unsent records are never dropped, and each is sent only in its owner's session.
 */
import { LOOK_BACKS_KEY } from './field-storage';

const SHELL_CACHE = 'xuncha-shell-v1';
/** Cached GETs (paths) that are personal; matched as prefixes. */
const PERSONAL = ['/api/auth/me', '/api/plans'];
const PERSONAL_STORAGE = [LOOK_BACKS_KEY];

/** Deletes the personal offline copies; resolves when done (never rejects: sign-out must go on). */
export async function forgetOfflineSession(): Promise<void> {
  for (const k of PERSONAL_STORAGE) localStorage.removeItem(k);
  if (typeof caches === 'undefined') return;
  try {
    const cache = await caches.open(SHELL_CACHE);
    for (const req of await cache.keys()) {
      if (PERSONAL.some((p) => new URL(req.url).pathname.startsWith(p))) await cache.delete(req);
    }
  } catch (err) {
    // Storage refused (private mode, quota): nothing was kept to forget.
    if (!(err instanceof DOMException)) throw err;
  }
}
