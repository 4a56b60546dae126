import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { districtSubdistrictsOf, principalOf, unitScope } from '../../auth/middleware';
import { bilingual } from '../../errors';
import { byteRange } from '../../media/byte-range';
import type { MediaVariant } from '../../media/media-files';
import { openMedia, uploadPhotos } from '../../services/media/media';
import { deleteRedaction, getRedaction, putRedaction, type Checker } from '../../services/media/redaction';
import type { WorkflowDeps } from '../../services/problems/deps';
import type { RouteDeps } from '../deps';
import { photoBodyLimit, readMultipart } from '../upload';
import { declareRoutes } from '../define';

/** `POST /api/media`. */
export function mediaUploadRoutes(deps: RouteDeps, wf: WorkflowDeps) {
  return declareRoutes().route('POST /api/media', photoBodyLimit(wf.maxPhotoBytes, wf.video.maxBytes), async (c) => {
    const { files } = await readMultipart(c);
    const p = principalOf(c);
    return c.json(await uploadPhotos(deps.store, wf, files, deps.now(), p?.kind === 'user' ? p.userId : null), 200);
  }).app;
}

/** `GET|PUT|DELETE /api/media/:hash/redaction`: 曝光前打码 (planners; a district account its district's photos). */
export function redactionRoutes(deps: RouteDeps, wf: WorkflowDeps) {
  const checker = async (c: Context): Promise<Checker> => {
    const p = principalOf(c);
    // The route's access rule lets people only (PLANNERS); the type does not know it.
    if (p?.kind !== 'user') throw new Error('redaction routes are for signed-in people');
    return { userId: p.userId, name: `${p.displayName}（${p.username}）`, subdistricts: await districtSubdistrictsOf(c, deps.store) };
  };
  return declareRoutes()
    .route('GET /api/media/:hash/redaction', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(await getRedaction(deps.store, c.req.valid('param').hash, await checker(c)), 200);
    })
    .route('PUT /api/media/:hash/redaction', async (c) =>
      c.json(await putRedaction(deps.store, wf.mediaDir, c.req.valid('param').hash, c.req.valid('json'), await checker(c), deps.now()), 200),
    )
    .route('DELETE /api/media/:hash/redaction', async (c) => {
      await deleteRedaction(deps.store, c.req.valid('param').hash, await checker(c));
      return c.body(null, 204);
    }).app;
}

/** The file's bytes `start`–`end` (inclusive) as a web stream, read as it is sent: a clip is never held whole. */
function fileStream(path: string, start: number, end: number): ReadableStream<Uint8Array> {
  // NOTE: Readable.toWeb's ReadableStream is typed as node:stream/web's, which Hono's body takes at run time.
  return Readable.toWeb(createReadStream(path, { start, end })) as unknown as ReadableStream<Uint8Array>;
}

/**
 * `GET /media/:hash`, `/media/:hash/screen`, `/media/:hash/thumb`: immutable, named by content; a unit
 * reads its problems' media only. The original answers byte ranges (a video player seeks with them).
 */
export function mediaFileRoutes(deps: RouteDeps, wf: WorkflowDeps) {
  const open = async (c: Context, hash: string, variant: MediaVariant) => {
    const p = principalOf(c);
    const unit = unitScope(c);
    return openMedia(deps.store, wf, hash, variant, unit && p?.kind === 'user' ? { userId: p.userId, unitId: unit } : null, p?.kind === 'screen');
  };
  const headersOf = (mime: string): Record<string, string> => ({
    'Content-Type': mime,
    // Named by content, so it never changes; but only signed-in callers may see it: no shared cache keeps it.
    'Cache-Control': 'private, max-age=31536000, immutable',
    'X-Content-Type-Options': 'nosniff',
  });
  const copy = async (c: Context, hash: string, variant: 'screen' | 'thumb') => {
    const file = await open(c, hash, variant);
    return c.body(fileStream(file.path, 0, file.size - 1), 200, { ...headersOf(file.mime), 'Content-Length': String(file.size) });
  };
  return declareRoutes()
    .route('GET /media/:hash', async (c) => {
      const hash = c.req.valid('param').hash;
      const file = await open(c, hash, 'original');
      const etag = `"${hash}"`;
      const headers = { ...headersOf(file.mime), 'Accept-Ranges': 'bytes', ETag: etag };
      // If-Range names the version the player has; another gets the whole file (ours never changes, but the rule is cheap).
      const ifRange = c.req.header('If-Range');
      const range = ifRange && ifRange !== etag ? ({ kind: 'whole' } as const) : byteRange(c.req.header('Range'), file.size);
      if (range.kind === 'unsatisfiable') {
        return c.json(
          {
            error: bilingual(
              `请求的字节范围超出文件（共 ${file.size} 字节）。`,
              `The range asked for starts past the end of the file (${file.size} bytes); ask for bytes=0-${Math.max(0, file.size - 1)} or less.`,
            ),
          },
          416,
          { 'Content-Range': `bytes */${file.size}`, 'Accept-Ranges': 'bytes' },
        );
      }
      if (range.kind === 'part') {
        return c.body(fileStream(file.path, range.start, range.end), 206, {
          ...headers,
          'Content-Range': `bytes ${range.start}-${range.end}/${file.size}`,
          'Content-Length': String(range.end - range.start + 1),
        });
      }
      return c.body(fileStream(file.path, 0, file.size - 1), 200, { ...headers, 'Content-Length': String(file.size) });
    })
    .route('GET /media/:hash/screen', async (c) => copy(c, c.req.valid('param').hash, 'screen'))
    .route('GET /media/:hash/thumb', async (c) => copy(c, c.req.valid('param').hash, 'thumb')).app;
}
