import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { brotliCompress, constants, createBrotliCompress, createGzip, gzip } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';

/**
 * Answers worth compressing: JSON (GeoJSON included), vector tiles and points.bin. Not images, xlsx or
 * zip (compressed already), not event streams (each event must go out when it happens), nothing else.
 */
const COMPRESSIBLE = /^\s*application\/(?:json|geo\+json|x-protobuf|vnd\.mapbox-vector-tile|octet-stream)\s*(?:;|$)/i;
/** JSON and GeoJSON are text to brotli (its text mode); tiles and points.bin are not. */
const TEXT = /^\s*application\/(?:geo\+)?json\s*(?:;|$)/i;
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;
const VARY_ACCEPT_ENCODING = /(?:^|,)\s*accept-encoding\s*(?:,|$)/i;

/**
 * Brotli quality and gzip level for live answers: the cheapest of each, because on a 2-core server the
 * compressor competes with answering. Measured on a 2,000-problem GeoJSON page (1,267,187 bytes), one
 * call each on this machine, best of 8:
 *
 *   brotli  1: 3.6 ms → 7.3× smaller | 2: 6.7 ms, 7.9× | 4: 10.8 ms, 8.9× | 5: 17 ms, 10.1× | 11 (default): 2,643 ms, 12.7×
 *   gzip    1: 8.1 ms → 6.1× smaller | 4: 11.1 ms, 7.2× | 6 (zlib's default): 16.6 ms, 8.0×
 *
 * The page itself costs about 10 ms to make; brotli 1 adds a third of that and shrinks it as much as
 * gzip 4 does, brotli 4 would double the cost for 18 % fewer bytes, and 11 takes seconds.
 */
export const BROTLI_QUALITY = 1;
export const GZIP_LEVEL = 1;
/** Below this many bytes compression saves less than it costs (a header or two of a TCP packet). */
export const MIN_COMPRESS_BYTES = 1024;

export type ContentCoding = 'br' | 'gzip';

/**
 * The coding to answer in for an Accept-Encoding header: the acceptable one (q > 0) with the highest q,
 * brotli on a tie (smaller for the same time); `*` stands for any coding not named. Null: identity.
 */
export function negotiateEncoding(header: string | undefined): ContentCoding | null {
  if (!header) return null;
  const q: Record<string, number> = {};
  for (const part of header.split(',')) {
    const [name, ...params] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (!coding) continue;
    let quality = 1;
    for (const p of params) {
      const [k, v] = p.split('=');
      if (k.trim().toLowerCase() === 'q') quality = Math.max(0, Math.min(1, Number(v) || 0));
    }
    q[coding] = quality;
  }
  const br = q.br ?? q['*'] ?? 0;
  const gz = q.gzip ?? q['x-gzip'] ?? q['*'] ?? 0;
  if (br > 0 && br >= gz) return 'br';
  return gz > 0 ? 'gzip' : null;
}

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

const brotliParams = (text: boolean, sizeHint?: number) => ({
  [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
  [constants.BROTLI_PARAM_MODE]: text ? constants.BROTLI_MODE_TEXT : constants.BROTLI_MODE_GENERIC,
  ...(sizeHint ? { [constants.BROTLI_PARAM_SIZE_HINT]: sizeHint } : {}),
});

/** Compresses a whole body on libuv's thread pool (node:zlib's callback API), off the event loop. */
function compressBytes(bytes: Uint8Array, coding: ContentCoding, text: boolean): Promise<Buffer> {
  return coding === 'br' ? brotliAsync(bytes, { params: brotliParams(text, bytes.length) }) : gzipAsync(bytes, { level: GZIP_LEVEL });
}

/** A stream's chunks compressed as they come (zlib streams also work on the thread pool), never held whole. */
function compressStream(head: Uint8Array[], reader: ReadableStreamDefaultReader<Uint8Array>, coding: ContentCoding, text: boolean): ReadableStream<Uint8Array> {
  async function* chunks() {
    try {
      yield* head;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      // Ended early (the client went away): let the producer stop too.
      await reader.cancel().catch(() => undefined);
    }
  }
  const zipper = coding === 'br' ? createBrotliCompress({ params: brotliParams(text) }) : createGzip({ level: GZIP_LEVEL });
  return Readable.toWeb(Readable.from(chunks()).pipe(zipper)) as ReadableStream<Uint8Array>;
}

/**
 * Compresses JSON, GeoJSON, vector tiles and points.bin answers with brotli or gzip as the caller's
 * Accept-Encoding allows, and says `Vary: Accept-Encoding` on every such answer. A body read whole
 * (every buffered answer is one chunk) is compressed in one call on the thread pool, or sent as it is
 * when under MIN_COMPRESS_BYTES; a longer stream is compressed chunk by chunk as it flows. Left alone:
 * other types (images, xlsx, zip, CSV, event streams), downloads (`Content-Disposition: attachment`:
 * exports are written as streams for their size), `no-transform`, HEAD, statuses other than 200, and
 * answers that carry a Content-Encoding already. A strong ETag turns weak on a compressed answer: the
 * same content, other bytes (RFC 9110 §8.8.1).
 *
 * @example
 * app.use('*', compress());
 */
export function compress(): MiddlewareHandler {
  return async function compressMiddleware(c, next) {
    await next();
    const res = c.res;
    const type = res.headers.get('Content-Type');
    if (c.req.method === 'HEAD' || res.status !== 200 || !type || !COMPRESSIBLE.test(type)) return;
    if (res.headers.has('Content-Encoding') || /^\s*attachment/i.test(res.headers.get('Content-Disposition') ?? '')) return;
    if (NO_TRANSFORM.test(res.headers.get('Cache-Control') ?? '')) return;
    const vary = res.headers.get('Vary');
    if (vary !== '*' && !(vary && VARY_ACCEPT_ENCODING.test(vary))) res.headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    const coding = negotiateEncoding(c.req.header('Accept-Encoding'));
    const length = Number(res.headers.get('Content-Length') ?? NaN);
    if (!coding || !res.body || length < MIN_COMPRESS_BYTES) return;

    const text = TEXT.test(type);
    const reader = res.body.getReader();
    const first = await reader.read();
    const second = first.done ? first : await reader.read();
    let body: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>;
    let compressed = true;
    if (second.done) {
      const bytes = (first.value ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>;
      compressed = bytes.length >= MIN_COMPRESS_BYTES;
      body = compressed ? ((await compressBytes(bytes, coding, text)) as Uint8Array<ArrayBuffer>) : bytes;
    } else {
      body = compressStream([first.value!, second.value], reader, coding, text);
    }
    const headers = new Headers(res.headers);
    if (compressed) {
      headers.set('Content-Encoding', coding);
      headers.delete('Content-Length');
      if (body instanceof Uint8Array) headers.set('Content-Length', String(body.length));
      const etag = headers.get('ETag');
      if (etag && !etag.startsWith('W/')) headers.set('ETag', `W/${etag}`);
    }
    // NOTE: Hono's `res` setter copies the old answer's headers over a new one (and would put back the
    // strong ETag and the length); clearing it first makes `headers` the whole set.
    c.res = undefined;
    c.res = new Response(body, { status: res.status, headers });
  };
}
