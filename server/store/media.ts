import type Database from 'better-sqlite3';
import type { MediaKind, PosterSource, RedactionRegion, RedactionStatus } from '../contract/media-rules';

/** A stored photo's or clip's facts (the files live under DATA_DIR/media, named by hash). */
export interface MediaRow {
  hash: string;
  kind: MediaKind;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  takenAt: string | null;
  gps: [number, number] | null;
  /** Clips: the length in ms; photos: null. */
  durationMs: number | null;
  /** Clips: who made the poster frame; photos: null. */
  poster: PosterSource | null;
}

/** A photo attached to a problem step. */
export interface ProblemMediaRow extends MediaRow {
  role: 'before' | 'after';
  historySeq: number | null;
  distanceM: number | null;
  far: boolean;
  /** Its check for public use (打码审核), or null when nobody checked it. */
  redaction: { status: RedactionStatus; blurredHash: string | null } | null;
}

/** A photo's or clip's check for public use, as stored. */
export interface RedactionRow {
  hash: string;
  status: RedactionStatus;
  regions: RedactionRegion[];
  blurredHash: string | null;
  userId: number | null;
  byName: string;
  at: string;
}

type Raw = Record<string, unknown>;
const toMedia = (r: Raw): MediaRow => ({
  hash: r.hash as string,
  kind: r.kind as MediaKind,
  mime: r.mime as string,
  bytes: r.bytes as number,
  width: r.width as number,
  height: r.height as number,
  takenAt: r.taken_at as string | null,
  gps: r.gps_lng === null ? null : [r.gps_lng as number, r.gps_lat as number],
  durationMs: r.duration_ms as number | null,
  poster: r.poster as PosterSource | null,
});

/** Photos and clips, and their links to problems. */
export function mediaQueries(db: Database.Database) {
  const put = db.prepare(`INSERT INTO media (hash, kind, mime, bytes, width, height, taken_at, gps_lng, gps_lat, duration_ms, poster, created_at)
    VALUES (@hash, @kind, @mime, @bytes, @width, @height, @takenAt, @gpsLng, @gpsLat, @durationMs, @poster, @createdAt) ON CONFLICT (hash) DO NOTHING`);
  const get = db.prepare<[string], Raw>('SELECT * FROM media WHERE hash = ?');
  const link = db.prepare(`INSERT INTO problem_media (problem_id, hash, role, history_seq, distance_m, far, added_at)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (problem_id, hash, role) DO NOTHING`);
  const ofProblem = db.prepare<[string], Raw>(`SELECT m.*, pm.role, pm.history_seq, pm.distance_m, pm.far, r.status AS redaction, r.blurred_hash
    FROM problem_media pm JOIN media m ON m.hash = pm.hash LEFT JOIN media_redactions r ON r.hash = pm.hash WHERE pm.problem_id = ? ORDER BY pm.id`);
  const getRedaction = db.prepare<[string], Raw>('SELECT * FROM media_redactions WHERE hash = ?');
  const putRedaction = db.prepare(`INSERT INTO media_redactions (hash, status, regions, blurred_hash, user_id, by_name, at)
    VALUES (@hash, @status, @regions, @blurredHash, @userId, @byName, @at)
    ON CONFLICT (hash) DO UPDATE SET status = excluded.status, regions = excluded.regions, blurred_hash = excluded.blurred_hash,
      user_id = excluded.user_id, by_name = excluded.by_name, at = excluded.at`);
  const dropRedaction = db.prepare('DELETE FROM media_redactions WHERE hash = ?');
  // What is shown in public changes with a check: the big screen's kept answers are keyed by this.
  const bumpRedactions = db.prepare("INSERT INTO revisions (name, value) VALUES ('redactions', 1) ON CONFLICT (name) DO UPDATE SET value = value + 1");
  const redactionsRevision = db.prepare<[], number>("SELECT value FROM revisions WHERE name = 'redactions'").pluck();
  const blurredCopy = db.prepare<[string], number>('SELECT 1 FROM media_redactions WHERE blurred_hash = ? LIMIT 1').pluck();
  const inSubdistricts = db
    .prepare<[string], string | null>('SELECT p.subdistrict_id FROM problem_media pm JOIN problems p ON p.id = pm.problem_id WHERE pm.hash = ?')
    .pluck();
  const moveLinks = db.prepare(
    'INSERT OR IGNORE INTO problem_media (problem_id, hash, role, history_seq, distance_m, far, added_at) SELECT ?, hash, role, ?, distance_m, far, added_at FROM problem_media WHERE problem_id = ?',
  );
  const upload = db.prepare('INSERT INTO media_uploads (hash, user_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const uploadedBy = db.prepare<[string, number]>('SELECT 1 FROM media_uploads WHERE hash = ? AND user_id = ?').pluck();
  const ofUnit = db
    .prepare<[string, string]>('SELECT 1 FROM problem_media pm JOIN problems p ON p.id = pm.problem_id WHERE pm.hash = ? AND p.unit_id = ? LIMIT 1')
    .pluck();
  const before = db.prepare<[string, string]>("SELECT 1 FROM problem_media WHERE problem_id = ? AND hash = ? AND role = 'before'").pluck();
  return {
    /** Notes that account `userId` uploaded the photo (an upload of a photo already stored counts too). */
    recordUpload(hash: string, userId: number, at: string): void {
      upload.run(hash, userId, at);
    },
    /** True when account `userId` uploaded the photo. */
    uploadedBy(hash: string, userId: number): boolean {
      return uploadedBy.get(hash, userId) !== undefined;
    },
    /** True when the photo belongs to a problem of unit `unitId`. */
    photoOfUnit(hash: string, unitId: string): boolean {
      return ofUnit.get(hash, unitId) !== undefined;
    },
    /** True when the photo is one of the problem's report ("before") photos. */
    isBeforePhoto(problemId: string, hash: string): boolean {
      return before.get(problemId, hash) !== undefined;
    },
    /** Records a photo or clip (once per hash). Call inside the transaction that links it. */
    putMedia(m: MediaRow, createdAt: string): void {
      put.run({ ...m, gpsLng: m.gps?.[0] ?? null, gpsLat: m.gps?.[1] ?? null, createdAt });
    },
    /** A photo's facts, or null. */
    getMedia(hash: string): MediaRow | null {
      const r = get.get(hash);
      return r ? toMedia(r) : null;
    },
    /** Attaches a stored photo to a problem step. */
    linkMedia(problemId: string, hash: string, role: 'before' | 'after', historySeq: number | null, distanceM: number | null, far: boolean, at: string): void {
      link.run(problemId, hash, role, historySeq, distanceM, far ? 1 : 0, at);
    },
    /** Copies every photo of `fromId` onto `toId`, attached to its history step `seq` (a merge keeps both reports' photos). */
    copyMediaLinks(fromId: string, toId: string, seq: number): void {
      moveLinks.run(toId, seq, fromId);
    },
    /** A problem's photos in the order they were added. */
    problemMedia(problemId: string): ProblemMediaRow[] {
      return ofProblem.all(problemId).map((r) => ({
        ...toMedia(r),
        role: r.role as 'before' | 'after',
        historySeq: r.history_seq as number | null,
        distanceM: r.distance_m as number | null,
        far: r.far === 1,
        redaction: r.redaction === null ? null : { status: r.redaction as RedactionStatus, blurredHash: r.blurred_hash as string | null },
      }));
    },
    /** A photo's check for public use, or null. */
    getRedaction(hash: string): RedactionRow | null {
      const r = getRedaction.get(hash);
      if (!r) return null;
      return {
        hash: r.hash as string,
        status: r.status as RedactionStatus,
        regions: JSON.parse(r.regions as string) as RedactionRegion[],
        blurredHash: r.blurred_hash as string | null,
        userId: r.user_id as number | null,
        byName: r.by_name as string,
        at: r.at as string,
      };
    },
    /** Records (or replaces) a photo's check. The blurred copy's media row must be stored first. */
    putRedaction(r: RedactionRow): void {
      db.transaction(() => {
        putRedaction.run({ ...r, regions: JSON.stringify(r.regions) });
        bumpRedactions.run();
      })();
    },
    /** Undoes a photo's check (its blurred copy stays stored, named by content, unused). */
    deleteRedaction(hash: string): void {
      db.transaction(() => {
        if (dropRedaction.run(hash).changes > 0) bumpRedactions.run();
      })();
    },
    /** Changes whenever a photo's check is made, changed or undone. */
    redactionsRevision(): number {
      return redactionsRevision.get() ?? 0;
    },
    /** True when the medium is some photo's blurred copy (made by Xuncha, shown in public). */
    isBlurredCopy(hash: string): boolean {
      return blurredCopy.get(hash) !== undefined;
    },
    /** The subdistricts of the problems the photo belongs to (null: a problem outside every subdistrict). */
    mediaSubdistricts(hash: string): (string | null)[] {
      return inSubdistricts.all(hash);
    },
  };
}
