import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError, bilingual, InputError } from '../errors';
import { PhotoError } from '../media/errors';
import type { UploadedFile } from '../services/media/media';
import { clipNameOfPoster } from '../contract/media-rules';

/** Megabytes as a person reads them: 12.5, 64. */
const mb = (n: number) => (n / 1048576).toFixed(1).replace(/\.0$/, '');

/** At most this many photos and clips in one request (a clip's poster frame not counted). */
export const MAX_PHOTOS_PER_REQUEST = 10;

/**
 * Refuses a request body larger than every file at its kind's limit plus the form fields (413). The
 * gate's own ceiling (PHOTO_UPLOAD_BODY_LIMIT, 100 MB) bites first for clips.
 */
export function photoBodyLimit(maxPhotoBytes: number, maxVideoBytes: number) {
  const maxSize = Math.max(maxPhotoBytes, maxVideoBytes) * MAX_PHOTOS_PER_REQUEST + 1024 * 1024;
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new PhotoError(
        413,
        bilingual(
          `上传内容超过 ${mb(maxSize)} MB。每次最多 ${MAX_PHOTOS_PER_REQUEST} 个文件：照片每张不超过 ${mb(maxPhotoBytes)} MB，视频每段不超过 ${mb(maxVideoBytes)} MB。`,
          `The upload is larger than ${mb(maxSize)} MB. Send at most ${MAX_PHOTOS_PER_REQUEST} files: photos of at most ${mb(maxPhotoBytes)} MB each, clips of at most ${mb(maxVideoBytes)} MB.`,
        ),
      );
    },
  });
}

/**
 * The body as form fields; a body that does not parse as the form its content type claims (a cut
 * upload, a forged boundary) is bad input, not a server error.
 */
export async function parseForm(c: Context, opts: { all?: boolean } = { all: true }) {
  try {
    return await c.req.parseBody(opts);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    throw new InputError(
      `The form could not be read (${err.message}): send a complete multipart/form-data or urlencoded body.`,
      [{ path: 'body', message: err.message }],
      { cause: err },
    );
  }
}

/**
 * Reads a multipart/form-data body: the text fields, and the files of `photos` (also `photos[]`):
 * photos, clips and the poster frames of clips.
 * @throws InputError when the body is not multipart or holds too many photos and clips.
 */
export async function readMultipart(c: Context): Promise<{ fields: Record<string, string>; files: UploadedFile[] }> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) {
    throw new InputError('Send the report as multipart/form-data (fields plus photos files)', [
      { path: 'header.content-type', message: `expected multipart/form-data, got "${type}"` },
    ]);
  }
  const body = await parseForm(c);
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  for (const [key, value] of Object.entries(body)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v === 'string') {
        if (key !== 'photos' && key !== 'photos[]') fields[key] = v;
      } else if (key === 'photos' || key === 'photos[]') {
        files.push({ name: v.name || 'photo', data: new Uint8Array(await v.arrayBuffer()) });
      }
    }
  }
  const media = files.filter((f) => clipNameOfPoster(f.name) === null).length;
  if (media > MAX_PHOTOS_PER_REQUEST || files.length > 2 * MAX_PHOTOS_PER_REQUEST) {
    throw new InputError(`Invalid form.photos: at most ${MAX_PHOTOS_PER_REQUEST} photos and clips per request (got ${media})`, [
      { path: 'form.photos', message: 'too many photos and clips' },
    ]);
  }
  return { fields, files };
}

/**
 * A form's uploaded file, checked before its bytes are read: a 400 saying what to send when the field
 * holds none (`missing`), a 413 from `tooLarge(size, limit)` (both in MB) when it is larger than `maxBytes`.
 */
export function uploadedFile(value: unknown, o: { missing: string; maxBytes: number; tooLarge: (sizeMb: string, maxMb: string) => string }): File {
  if (!(value instanceof File)) throw new InputError(o.missing, [{ path: 'form.file', message: 'no file' }]);
  if (value.size > o.maxBytes) throw new AppError(413, o.tooLarge(mb(value.size), mb(o.maxBytes)));
  return value;
}
