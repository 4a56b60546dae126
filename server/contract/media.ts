import { z } from 'zod';
import { PhotoRef } from './workflow';
import { errorResponses } from './common';
import { endpoints } from './endpoint';
import { PEOPLE, READERS } from './roles';

/** `GET /media/:hash[/screen|/thumb]` path. */
export const MediaParams = z.object({
  hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'a media name is the 64-hex-digit hash the API gave out')
    .meta({ description: 'SHA-256 of the photo, hex' }),
});

/** `POST /api/media` multipart body (documentation; the route parses it by hand). */
export const MediaUploadForm = z
  .object({
    photos: z
      .array(z.string().meta({ format: 'binary' }))
      .min(1)
      .meta({ description: 'one or more JPEG/PNG/WebP files' }),
  })
  .meta({ id: 'MediaUploadForm' });

/** `POST /api/media` response: the stored photos (not yet attached to a problem). */
export const MediaUploadResponse = z
  .object({ photos: z.array(PhotoRef.omit({ role: true, distanceM: true, far: true, historySeq: true })) })
  .meta({ id: 'MediaUploadResponse' });
export type MediaUploadResponse = z.infer<typeof MediaUploadResponse>;

/** 100 MiB: the gate's ceiling for a photo upload; the route's own limit (MAX_PHOTO_MB × 10 photos) is the one that bites. */
export const PHOTO_UPLOAD_BODY_LIMIT = 100 * 1024 * 1024;

const photoOf = (variant: string | null) =>
  ({
    tag: 'workflow',
    summary: variant === null ? 'A stored photo as uploaded' : `A stored photo’s ${variant} copy (JPEG, EXIF orientation applied)`,
    access: READERS,
    params: MediaParams,
    responses: { 200: { description: 'The image', contentType: 'image/*' }, ...errorResponses(400, 404) },
  }) as const;

/** Photo upload, and the stored photos (immutable, named by content). */
export const MEDIA_API = endpoints({
  'POST /api/media': {
    tag: 'workflow',
    summary: 'Upload photos (e.g. after-photos) to attach to a transition by hash',
    description: 'JPEG, PNG or WebP by content; each at most MAX_PHOTO_MB (default 15 MB). EXIF orientation applied to the copies; EXIF GPS and time kept.',
    access: PEOPLE,
    bodyLimit: PHOTO_UPLOAD_BODY_LIMIT,
    body: MediaUploadForm,
    bodyContentType: 'multipart/form-data',
    responses: { 200: { description: 'The stored photos', schema: MediaUploadResponse }, ...errorResponses(400, 413, 415, 422) },
  },
  'GET /media/:hash': photoOf(null),
  'GET /media/:hash/screen': photoOf('screen'),
  'GET /media/:hash/thumb': photoOf('thumb'),
});
