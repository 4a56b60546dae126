import { bilingual, InputError, NotFoundError } from '../../errors';
import { MediaFiles, type MediaFilesOf, type MediaVariant } from '../../media/media-files';
import { notAcceptedMessage, processPhoto, type ProcessedPhoto } from '../../media/process-photo';
import { processVideo, type ProcessedVideo } from '../../media/process-video';
import { sniffPhotoType, sniffVideoType } from '../../media/sniff';
import { PhotoError } from '../../media/errors';
import type { Store } from '../../store/index';
import type { MediaRow } from '../../store/media';
import { toCityIso } from '../../contract/city-time';
import { clipNameOfPoster } from '../../contract/media-rules';
import type { PhotoRef } from '../../contract/workflow';
import type { MediaLimits } from '../../contract/meta';
import type { WorkflowDeps } from '../problems/deps';

/** An uploaded file as the route hands it over. */
export interface UploadedFile {
  name: string;
  data: Uint8Array;
}

/** A checked photo or clip, ready to store. */
export type ProcessedMedia = ProcessedPhoto | ProcessedVideo;

/**
 * Splits the parts of `photos` into the media and the poster frames the browser made for its clips
 * (a part named `<clip name>.poster.jpg`, contract/media-rules.ts `posterNameFor`).
 * @throws InputError for a poster naming no clip of the request, or a name two clips share.
 */
export function pairPosters(files: readonly UploadedFile[]): { media: UploadedFile[]; posters: Map<UploadedFile, UploadedFile> } {
  const media: UploadedFile[] = [];
  const posterParts: { clip: string; file: UploadedFile }[] = [];
  for (const f of files) {
    const clip = clipNameOfPoster(f.name);
    if (clip === null) media.push(f);
    else posterParts.push({ clip, file: f });
  }
  const posters = new Map<UploadedFile, UploadedFile>();
  for (const p of posterParts) {
    const clips = media.filter((m) => m.name === p.clip);
    if (clips.length !== 1) {
      const why = clips.length === 0 ? 'no clip of that name is in the upload' : `${clips.length} clips have that name`;
      throw new InputError(
        bilingual(`封面图“${p.file.name}”对应不到唯一的视频。`, `Invalid form.photos: the poster frame "${p.file.name}" belongs to no single clip (${why}).`),
        [{ path: 'form.photos', message: `poster "${p.file.name}": ${why}; name it <clip file name>.poster.jpg` }],
      );
    }
    posters.set(clips[0], p.file);
  }
  return { media, posters };
}

/**
 * Checks every photo and clip first (so one bad file stores nothing), in order: the type by content
 * (a JPEG/PNG/WebP photo, an MP4/WebM clip, else 415), then each kind's limits.
 * @throws PhotoError 413, 415 or 422; InputError for a poster that pairs with no clip.
 */
export async function processAll(
  files: readonly UploadedFile[],
  wf: Pick<WorkflowDeps, 'maxPhotoBytes' | 'video'>,
  log: (m: string) => void = () => {},
): Promise<ProcessedMedia[]> {
  const { media, posters } = pairPosters(files);
  const out: ProcessedMedia[] = [];
  // One at a time: sharp already uses the cores, and a failure stops before the rest is decoded.
  for (const f of media) {
    const video = sniffVideoType(f.data);
    if (video) {
      const limits = { maxBytes: wf.video.maxBytes, maxMs: wf.video.maxMs, maxPosterBytes: wf.maxPhotoBytes, ffmpeg: wf.video.ffmpeg };
      out.push(await processVideo(f.data, f.name, video, limits, posters.get(f)?.data ?? null, log));
    } else if (sniffPhotoType(f.data)) {
      out.push(await processPhoto(f.data, f.name, wf.maxPhotoBytes));
    } else {
      throw new PhotoError(415, notAcceptedMessage(f.name));
    }
  }
  return out;
}

/** The media row of a processed photo or clip. */
export function mediaRowOf(p: ProcessedMedia): MediaRow {
  return {
    hash: p.hash,
    kind: p.kind,
    mime: p.mime,
    bytes: p.bytes,
    width: p.width,
    height: p.height,
    takenAt: p.takenAt,
    gps: p.gps,
    durationMs: p.kind === 'video' ? p.durationMs : null,
    poster: p.kind === 'video' ? p.poster : null,
  };
}

/**
 * Writes the media's files, then runs `commit` (the database transaction that records them). If the
 * transaction fails, the files this call created are deleted again: nothing is half stored.
 */
export async function storeWithFiles<T>(files: MediaFiles, media: readonly MediaFilesOf[], commit: () => Promise<T>): Promise<T> {
  const created: string[] = [];
  try {
    for (const p of media) created.push(...(await files.write(p)));
    return await commit();
  } catch (err) {
    await files.remove(created);
    throw err;
  }
}

/** The upload limits GET /api/meta tells the forms, in MB and seconds. */
export function mediaLimits(wf: Pick<WorkflowDeps, 'maxPhotoBytes' | 'video'>): MediaLimits {
  const mb = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;
  return {
    photo: { maxMb: mb(wf.maxPhotoBytes) },
    video: { maxMb: mb(wf.video.maxBytes), maxSeconds: wf.video.maxMs / 1000, serverPoster: wf.video.ffmpeg !== null },
  };
}

/** Where a stored photo or clip and its copies are served. */
export function mediaUrls(hash: string): { url: string; screenUrl: string; thumbUrl: string } {
  return { url: `/media/${hash}`, screenUrl: `/media/${hash}/screen`, thumbUrl: `/media/${hash}/thumb` };
}

/** The fields of a PhotoRef every stored medium has: its URLs, size, EXIF/container facts, and a clip's kind, length and poster. */
export function mediaRefOf(m: MediaRow): Omit<PhotoRef, 'role' | 'distanceM' | 'far' | 'historySeq'> {
  const urls = mediaUrls(m.hash);
  const base = { hash: m.hash, kind: m.kind, mime: m.mime, ...urls, width: m.width, height: m.height, takenAt: m.takenAt, gps: m.gps };
  if (m.kind !== 'video') return base;
  return { ...base, durationMs: m.durationMs ?? 0, posterUrl: urls.screenUrl, posterSource: m.poster ?? 'generated' };
}

/** `POST /api/media`: stores photos and clips (e.g. after-photos) to be attached by a transition. */
export async function uploadPhotos(store: Store, wf: WorkflowDeps, files: readonly UploadedFile[], nowMs: number, userId: number | null = null) {
  const media = await processAll(files, wf);
  await storeWithFiles(new MediaFiles(wf.mediaDir), media, () =>
    store.transaction(async () => {
      for (const p of media) {
        await store.putMedia(mediaRowOf(p), toCityIso(nowMs));
        // Who uploaded it decides who may attach it (a unit: its own uploads only).
        if (userId !== null) await store.recordUpload(p.hash, userId, toCityIso(nowMs));
      }
    }),
  );
  // The stored row: a file uploaded before keeps the facts it was stored with.
  return { photos: await Promise.all(media.map(async (p) => mediaRefOf((await store.getMedia(p.hash)) ?? mediaRowOf(p)))) };
}

/**
 * Where one stored photo or clip variant is, its size and type, for streaming it. `reader` limits a
 * unit account to the media of its problems and its own uploads; `publicOnly` (the big screen's token)
 * refuses a photo that was blurred or excluded for public use, whose blurred copy it reads instead.
 * @throws NotFoundError when it is not stored (or not the caller's to see: the same answer, confirming nothing).
 */
export async function openMedia(
  store: Store,
  wf: WorkflowDeps,
  hash: string,
  variant: MediaVariant,
  reader: { userId: number; unitId: string } | null = null,
  publicOnly = false,
): Promise<{ path: string; size: number; mime: string; kind: MediaRow['kind'] }> {
  const hidden = publicOnly && ((await store.getRedaction(hash))?.status ?? 'clear') !== 'clear';
  const visible = !hidden && (!reader || (await store.photoOfUnit(hash, reader.unitId)) || (await store.uploadedBy(hash, reader.userId)));
  const row = visible ? await store.getMedia(hash) : null;
  const file = row ? new MediaFiles(wf.mediaDir).stat(hash, variant) : null;
  if (!row || !file) throw new NotFoundError(`No photo or clip ${hash} is stored. Media links come from the problem's history or photos.`);
  return { ...file, mime: variant === 'original' ? row.mime : 'image/jpeg', kind: row.kind };
}
