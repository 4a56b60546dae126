import type { Context } from 'hono';
import { principalOf, unitScope } from '../../auth/middleware';
import { readPhoto, uploadPhotos } from '../../services/media/media';
import type { WorkflowDeps } from '../../services/problems/deps';
import type { RouteDeps } from '../deps';
import { photoBodyLimit, readMultipart } from '../upload';
import { declareRoutes } from '../define';
import type { MediaVariant } from '../../media/media-files';

/** `POST /api/media`. */
export function mediaUploadRoutes(deps: RouteDeps, wf: WorkflowDeps) {
  return declareRoutes().route('POST /api/media', photoBodyLimit(wf.maxPhotoBytes), async (c) => {
    const { files } = await readMultipart(c);
    const p = principalOf(c);
    return c.json(await uploadPhotos(deps.store, wf, files, deps.now(), p?.kind === 'user' ? p.userId : null), 200);
  }).app;
}

/** `GET /media/:hash`, `/media/:hash/screen`, `/media/:hash/thumb`: immutable, named by content; a unit reads its problems' photos only. */
export function mediaFileRoutes(deps: RouteDeps, wf: WorkflowDeps) {
  const send = (c: Context, hash: string, variant: MediaVariant) => {
    const p = principalOf(c);
    const unit = unitScope(c);
    const { data, mime } = readPhoto(deps.store, wf, hash, variant, unit && p?.kind === 'user' ? { userId: p.userId, unitId: unit } : null);
    return c.body(new Uint8Array(data), 200, {
      'Content-Type': mime,
      // Named by content, so it never changes; but only signed-in callers may see it: no shared cache keeps it.
      'Cache-Control': 'private, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    });
  };
  return declareRoutes()
    .route('GET /media/:hash', (c) => send(c, c.req.valid('param').hash, 'original'))
    .route('GET /media/:hash/screen', (c) => send(c, c.req.valid('param').hash, 'screen'))
    .route('GET /media/:hash/thumb', (c) => send(c, c.req.valid('param').hash, 'thumb')).app;
}
