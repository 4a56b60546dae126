/**
 * 曝光前打码: a problem's photo is checked by hand before it is shown in public. The original stays the
 * record; a blurred photo gets a copy of its own (a medium named by its content) that the reel, the big
 * screen's ticker and the weekly 通报 show instead. Public use asks `publicCopy` which file to show.
 */
import { readFile } from 'node:fs/promises';
import { AppError, bilingual, NotFoundError } from '../../errors';
import { MediaFiles } from '../../media/media-files';
import { blurPhoto } from '../../media/redact';
import type { Store } from '../../store/index';
import type { ProblemMediaRow, RedactionRow } from '../../store/media';
import { toCityIso } from '../../contract/city-time';
import type { Redaction, RedactionInput } from '../../contract/redaction';
import { mediaUrls, storeWithFiles } from './media';

/** Who checks, and where they may: a district account the photos of its district's problems. */
export interface Checker {
  userId: number;
  name: string;
  subdistricts: ReadonlySet<string> | null;
}

function toRedaction(r: RedactionRow): Redaction {
  return {
    hash: r.hash,
    status: r.status,
    regions: r.regions,
    blurred: r.blurredHash ? { hash: r.blurredHash, ...mediaUrls(r.blurredHash) } : null,
    by: r.byName,
    at: r.at,
  };
}

/**
 * The problem photo `hash`, as the checker may see it.
 * @throws NotFoundError when it is no problem's photo, or none of the checker's district (the same answer).
 */
async function checkable(store: Store, hash: string, who: Pick<Checker, 'subdistricts'>) {
  const media = await store.getMedia(hash);
  const at = media ? await store.mediaSubdistricts(hash) : [];
  const mine = who.subdistricts === null ? at.length > 0 : at.some((s) => s !== null && who.subdistricts!.has(s));
  if (!media || !mine) {
    throw new NotFoundError(
      bilingual(
        `没有编号为 ${hash.slice(0, 12)}… 的问题照片或视频（或不在本账号的辖区）。`,
        `No problem photo or clip ${hash} is stored${who.subdistricts ? ' in your district' : ''}: the photos to check are those of a problem's history.`,
      ),
    );
  }
  return media;
}

/** `GET /api/media/:hash/redaction`. */
export async function getRedaction(store: Store, hash: string, who: Pick<Checker, 'subdistricts'>): Promise<Redaction | null> {
  await checkable(store, hash, who);
  const r = await store.getRedaction(hash);
  return r ? toRedaction(r) : null;
}

/**
 * `PUT /api/media/:hash/redaction`: blurred makes the copy from the original (files first, then the
 * rows in one transaction; a failure leaves neither), clear and excluded just record the check.
 * @throws AppError 422 for blurring a clip; NotFoundError as `checkable`.
 */
export async function putRedaction(store: Store, mediaDir: string, hash: string, input: RedactionInput, who: Checker, nowMs: number): Promise<Redaction> {
  const media = await checkable(store, hash, who);
  const at = toCityIso(nowMs);
  const row: RedactionRow = { hash, status: input.status, regions: input.regions, blurredHash: null, userId: who.userId, byName: who.name, at };
  if (input.status !== 'blurred') {
    await store.putRedaction(row);
    return toRedaction(row);
  }
  if (media.kind === 'video') {
    throw new AppError(
      422,
      bilingual(
        '视频无法在巡查中打码：请标为“无需打码”（画面中没有人脸和车牌），或“不用于曝光”。',
        'A clip cannot be blurred in Xuncha (that takes a video encoder): mark it clear (no faces or plates in it) or excluded from public use.',
      ),
    );
  }
  const files = new MediaFiles(mediaDir);
  const path = files.path(hash, 'original');
  const blurred = await blurPhoto(await readFile(path), input.regions);
  await storeWithFiles(files, [blurred], () =>
    store.transaction(async () => {
      await store.putMedia(
        {
          hash: blurred.hash,
          kind: 'photo',
          mime: 'image/jpeg',
          bytes: blurred.original.length,
          width: blurred.width,
          height: blurred.height,
          takenAt: null,
          gps: null,
          durationMs: null,
          poster: null,
        },
        at,
      );
      await store.putRedaction({ ...row, blurredHash: blurred.hash });
    }),
  );
  return toRedaction({ ...row, blurredHash: blurred.hash });
}

/** `DELETE /api/media/:hash/redaction`: unchecked again (the blurred copy's files stay, unused: named by content, harmless). */
export async function deleteRedaction(store: Store, hash: string, who: Pick<Checker, 'subdistricts'>): Promise<void> {
  await checkable(store, hash, who);
  await store.deleteRedaction(hash);
}

/** Which file a photo is shown by in public: its blurred copy, itself (clear or unchecked), or none (excluded). */
export function publicCopy(m: Pick<ProblemMediaRow, 'hash' | 'redaction'>): string | null {
  if (!m.redaction) return m.hash;
  if (m.redaction.status === 'excluded') return null;
  return m.redaction.blurredHash ?? m.hash;
}

/** The thumbnail URL of a problem's first report photo that may be shown in public, or null. */
export async function publicThumb(store: Pick<Store, 'problemMedia'>, problemId: string): Promise<string | null> {
  for (const m of await store.problemMedia(problemId)) {
    if (m.role !== 'before') continue;
    const hash = publicCopy(m);
    if (hash) return mediaUrls(hash).thumbUrl;
  }
  return null;
}
