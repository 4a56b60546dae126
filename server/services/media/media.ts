import { NotFoundError } from '../../errors';
import { MediaFiles, type MediaVariant } from '../../media/media-files';
import { processPhoto, type ProcessedPhoto } from '../../media/process-photo';
import type { Store } from '../../store/index';
import type { MediaRow } from '../../store/media';
import { toCityIso } from '../../contract/city-time';
import type { WorkflowDeps } from '../problems/deps';

/** An uploaded file as the route hands it over. */
export interface UploadedFile {
  name: string;
  data: Uint8Array;
}

/** Checks every photo first (so one bad photo stores nothing), in order. */
export async function processAll(files: readonly UploadedFile[], maxBytes: number): Promise<ProcessedPhoto[]> {
  const out: ProcessedPhoto[] = [];
  // One at a time: sharp already uses the cores, and a failure stops before the rest is decoded.
  for (const f of files) out.push(await processPhoto(f.data, f.name, maxBytes));
  return out;
}

/** The media row of a processed photo. */
export function mediaRowOf(p: ProcessedPhoto): MediaRow {
  return { hash: p.hash, mime: p.mime, bytes: p.bytes, width: p.width, height: p.height, takenAt: p.takenAt, gps: p.gps };
}

/**
 * Writes the photos' files, then runs `commit` (the database transaction that records them). If the
 * transaction fails, the files this call created are deleted again: nothing is half stored.
 */
export function storeWithFiles<T>(files: MediaFiles, photos: readonly ProcessedPhoto[], commit: () => T): T {
  const created: string[] = [];
  try {
    for (const p of photos) created.push(...files.write(p));
    return commit();
  } catch (err) {
    files.remove(created);
    throw err;
  }
}

/** `POST /api/media`: stores photos (e.g. after-photos) to be attached by a transition. */
/** Where a stored photo and its copies are served. */
export function mediaUrls(hash: string): { url: string; screenUrl: string; thumbUrl: string } {
  return { url: `/media/${hash}`, screenUrl: `/media/${hash}/screen`, thumbUrl: `/media/${hash}/thumb` };
}

export async function uploadPhotos(store: Store, wf: WorkflowDeps, files: readonly UploadedFile[], nowMs: number, userId: number | null = null) {
  const photos = await processAll(files, wf.maxPhotoBytes);
  const mediaFiles = new MediaFiles(wf.mediaDir);
  storeWithFiles(mediaFiles, photos, () =>
    store.transaction(() => {
      for (const p of photos) {
        store.putMedia(mediaRowOf(p), toCityIso(nowMs));
        // Who uploaded it decides who may attach it (a unit: its own uploads only).
        if (userId !== null) store.recordUpload(p.hash, userId, toCityIso(nowMs));
      }
    }),
  );
  return {
    photos: photos.map((p) => ({
      hash: p.hash,
      ...mediaUrls(p.hash),
      width: p.width,
      height: p.height,
      takenAt: p.takenAt,
      gps: p.gps,
    })),
  };
}

/**
 * The bytes and type of one stored photo variant. `reader` limits a unit account to the photos of its
 * problems and its own uploads.
 * @throws NotFoundError when it is not stored (or not the unit's: the same answer, confirming nothing).
 */
export function readPhoto(
  store: Store,
  wf: WorkflowDeps,
  hash: string,
  variant: MediaVariant,
  reader: { userId: number; unitId: string } | null = null,
): { data: Buffer; mime: string } {
  const visible = !reader || store.photoOfUnit(hash, reader.unitId) || store.uploadedBy(hash, reader.userId);
  const row = visible ? store.getMedia(hash) : null;
  const data = row ? new MediaFiles(wf.mediaDir).read(hash, variant) : null;
  if (!row || !data) throw new NotFoundError(`No photo ${hash} is stored. Photo links come from the problem's history or photos.`);
  return { data, mime: variant === 'original' ? row.mime : 'image/jpeg' };
}
