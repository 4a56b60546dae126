import { z } from 'zod';
import { PhotoRef } from './workflow';

/** `GET /media/:hash[/screen|/thumb]` path. */
export const MediaParams = z.object({
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'a media name is the 64-hex-digit hash the API gave out').meta({ description: 'SHA-256 of the photo, hex' }),
});

/** `POST /api/media` multipart body (documentation; the route parses it by hand). */
export const MediaUploadForm = z
  .object({
    photos: z.array(z.string().meta({ format: 'binary' })).min(1).meta({ description: 'one or more JPEG/PNG/WebP files' }),
  })
  .meta({ id: 'MediaUploadForm' });

/** `POST /api/media` response: the stored photos (not yet attached to a problem). */
export const MediaUploadResponse = z
  .object({ photos: z.array(PhotoRef.omit({ role: true, distanceM: true, far: true, historySeq: true })) })
  .meta({ id: 'MediaUploadResponse' });
export type MediaUploadResponse = z.infer<typeof MediaUploadResponse>;
