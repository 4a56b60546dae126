import type { Context } from 'hono';

/**
 * This process's start, in every tag: a restart may bring a release that writes answers differently
 * (a new tile layout, a new GeoJSON property) over the same data, and no browser may keep those.
 */
const BOOT = Date.now().toString(36);

/**
 * A strong entity tag for an answer fully decided by `parts` (a data revision, an hour, a caller's
 * scope) and by the request URL, which the browser keys its copy on anyway.
 *
 * @example
 * etagOf('problems', store.problemsRevision(), 'u07') // '"problems-412-u07-mip2k3x1"'
 */
export function etagOf(...parts: (string | number)[]): string {
  return `"${[...parts, BOOT].join('-')}"`;
}

/**
 * Whether an If-None-Match header names `etag`: a list, weak tags or `*`, with the weak comparison RFC
 * 9110 prescribes for it (the compressor turns a tag weak, and the browser sends that one back).
 */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const own = etag.replace(/^W\//, '');
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === own;
  });
}

/**
 * Sets `ETag` and `Cache-Control` on the answer under way; true when the caller already holds this
 * version (its If-None-Match names the tag), so the route answers 304 instead of making the answer.
 *
 * @example
 * if (setEtag(c, etagOf('base', stamp), 'private, no-cache')) return c.body(null, 304);
 */
export function setEtag(c: Context, etag: string, cacheControl: string): boolean {
  c.header('ETag', etag);
  c.header('Cache-Control', cacheControl);
  return matchesEtag(c.req.header('if-none-match'), etag);
}
