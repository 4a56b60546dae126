import { type Context, Hono } from 'hono';
import { ErrorBody } from '../../contract/common';
import { MediaParams, MediaUploadForm, MediaUploadResponse } from '../../contract/media';
import { readPhoto, uploadPhotos } from '../../services/media/media';
import { errorResponses, type RouteDoc } from '../../services/openapi/openapi';
import type { WorkflowDeps } from '../../services/problems/deps';
import type { RouteDeps } from '../deps';
import { photoBodyLimit, readMultipart } from '../upload';
import { validate } from '../validate';
import type { MediaVariant } from '../../media/media-files';

export const MEDIA_DOCS: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/media',
    tag: 'workflow',
    summary: 'Upload photos (e.g. after-photos) to attach to a transition by hash',
    description: 'JPEG, PNG or WebP by content; each at most MAX_PHOTO_MB (default 15 MB). EXIF orientation applied to the copies; EXIF GPS and time kept.',
    body: MediaUploadForm,
    bodyContentType: 'multipart/form-data',
    responses: { 200: { description: 'The stored photos', schema: MediaUploadResponse }, ...errorResponses(ErrorBody, 400, 413, 415, 422) },
  },
  ...(['', '/screen', '/thumb'] as const).map(
    (suffix): RouteDoc => ({
      method: 'get',
      path: `/media/{hash}${suffix}`,
      tag: 'workflow',
      summary: suffix === '' ? 'A stored photo as uploaded' : `A stored photo’s ${suffix.slice(1)} copy (JPEG, EXIF orientation applied)`,
      params: MediaParams,
      responses: { 200: { description: 'The image', contentType: 'image/*' }, ...errorResponses(ErrorBody, 400, 404) },
    }),
  ),
];

/** `POST /api/media`. */
export function mediaUploadRoutes(deps: RouteDeps, wf: WorkflowDeps) {
  return new Hono().post('/', photoBodyLimit(wf.maxPhotoBytes), async (c) => {
    const { files } = await readMultipart(c);
    return c.json(await uploadPhotos(deps.store, wf, files, deps.now()), 200);
  });
}

/** `GET /media/:hash`, `/media/:hash/screen`, `/media/:hash/thumb`: immutable, named by content. */
export function mediaFileRoutes(deps: RouteDeps, wf: WorkflowDeps) {
  const send = (c: Context, hash: string, variant: MediaVariant) => {
    const { data, mime } = readPhoto(deps.store, wf, hash, variant);
    return c.body(new Uint8Array(data), 200, {
      'Content-Type': mime,
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    });
  };
  return new Hono()
    .get('/:hash', validate('param', MediaParams), (c) => send(c, c.req.valid('param').hash, 'original'))
    .get('/:hash/screen', validate('param', MediaParams), (c) => send(c, c.req.valid('param').hash, 'screen'))
    .get('/:hash/thumb', validate('param', MediaParams), (c) => send(c, c.req.valid('param').hash, 'thumb'));
}
