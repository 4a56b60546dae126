import { z } from 'zod';
import { BBoxParam, IsoTime } from './common';
import { ProblemStatus } from './problems';
import { REJECT_REASONS } from './problem-status';
import { MEDIA_KINDS, POSTER_SOURCES, REDACTION_STATUSES } from './media-rules';

/**
 * Request and response shapes of the workflow routes (transitions, history, bulk assignment). Pure, so
 * the client may import the types.
 */

export const HISTORY_ACTIONS = ['report', 'assign', 'rectify', 'pass', 'fail', 'merge', 'extend', 'appeal', 'reassign', 'reject', 'hold', 'resume'] as const;
export const HistoryAction = z.enum(HISTORY_ACTIONS);
export type HistoryAction = z.infer<typeof HistoryAction>;

const DeadlineText = z
  .string()
  .min(1)
  .meta({ description: 'a date (the end of that day, city time +08:00) or an ISO time; default: now + the category deadlineDays', example: '2026-03-31' });

const MediaHash = z.string().regex(/^[0-9a-f]{64}$/, 'a photo or clip is named by the 64-hex-digit hash POST /api/media returned');

/** `POST /api/problems/:id/transitions` body. */
export const TransitionBody = z
  .object({
    to: ProblemStatus.meta({
      description:
        'the status to move to: assigned (立案 and assign; a failed look-back; resume a held case), rejected (不予立案), held (挂账), rectified, closed (look-back passed)',
    }),
    note: z.string().max(2000).default('').meta({ description: 'what was done or found; required to rectify and to fail a look-back' }),
    deadline: DeadlineText.optional(),
    unit: z.string().min(1).optional().meta({ description: 'responsible unit id (when assigning); default: the unit found at intake' }),
    actor: z.string().min(1).max(100).optional().meta({ description: 'who does it (name or role); default 未署名' }),
    photos: z
      .array(MediaHash)
      .max(20)
      .optional()
      .meta({ description: 'after-photos or clips (rectified) or look-back ones, uploaded first with POST /api/media' }),
    review: DeadlineText.optional().meta({ description: 'held (挂账): the date the 创文办 reviews the case; the note is its plan', example: '2027-03-31' }),
    reason: z.enum(REJECT_REASONS).optional().meta({ description: 'rejected (不予立案): not-a-problem, duplicate or outside-campaign; the note says more' }),
  })
  .meta({ id: 'TransitionBody' });
export type TransitionBody = z.output<typeof TransitionBody>;

/** `POST /api/problems/assign` body: many reported problems to one unit, in one transaction. */
export const BulkAssignBody = z
  .object({
    ids: z.array(z.string().min(1)).min(1, 'give at least one problem id').max(5000, 'assign at most 5000 problems at a time'),
    unit: z.string().min(1).optional().meta({ description: 'default: each problem’s own unit' }),
    deadline: DeadlineText.optional(),
    note: z.string().max(2000).default(''),
    actor: z.string().min(1).max(100).optional(),
  })
  .meta({ id: 'BulkAssignBody' });
export type BulkAssignBody = z.output<typeof BulkAssignBody>;

/** `POST /api/problems/:id/merge` body. */
export const MergeBody = z
  .object({
    into: z.string().min(1).meta({ description: 'the open problem (same category) that keeps going' }),
    note: z.string().max(2000).default(''),
    actor: z.string().min(1).max(100).optional(),
  })
  .meta({ id: 'MergeBody' });

/** A photo or clip as the API shows it. */
export const PhotoRef = z
  .object({
    hash: z.string(),
    role: z.enum(['before', 'after']),
    // Optional, so answers stored before clips existed (idempotent replays) still parse: absent means a photo.
    kind: z.enum(MEDIA_KINDS).optional().meta({ description: 'photo, or video (a short clip: 视频证据); absent: photo' }),
    mime: z.string().optional().meta({ description: 'the type of the original, by content (image/jpeg … video/mp4, video/webm)' }),
    url: z.string().meta({ description: 'the original as uploaded; a clip is served with range requests (206)' }),
    screenUrl: z.string().meta({ description: 'JPEG, longest side 1600 px, EXIF orientation applied; a clip’s poster frame' }),
    thumbUrl: z.string().meta({ description: 'JPEG, longest side 320 px; a clip’s poster frame' }),
    durationMs: z.number().int().optional().meta({ description: 'clips: the length, from the container' }),
    posterUrl: z.string().optional().meta({ description: 'clips: the poster frame (the screen copy), for <video poster>' }),
    posterSource: z
      .enum(POSTER_SOURCES)
      .optional()
      .meta({ description: 'clips: who made the poster frame: the server’s ffmpeg, the uploading browser, or drawn by the server (a play mark)' }),
    width: z.number().int(),
    height: z.number().int(),
    takenAt: z.string().nullable().meta({ description: 'EXIF time (a clip: the container’s capture time), when the camera wrote one' }),
    gps: z.tuple([z.number(), z.number()]).nullable().meta({ description: 'EXIF position [lng, lat] (a clip: its ©xyz)' }),
    distanceM: z.number().nullable().meta({ description: 'metres between the photo GPS and the problem' }),
    far: z.boolean().meta({ description: 'the photo was taken far from the problem (evidence check)' }),
    historySeq: z.number().int().nullable(),
    // Optional like kind: answers stored before the check existed still parse; absent means unchecked.
    redaction: z
      .object({
        status: z.enum(REDACTION_STATUSES),
        screenUrl: z.string().nullable().meta({ description: 'blurred: the blurred copy (screen size); else null' }),
        thumbUrl: z.string().nullable().meta({ description: 'blurred: the blurred copy’s thumbnail; else null' }),
      })
      .optional()
      .meta({ description: 'its check for public use (打码审核, PUT /api/media/:hash/redaction); absent: nobody checked it yet' }),
  })
  .meta({ id: 'PhotoRef' });
export type PhotoRef = z.infer<typeof PhotoRef>;

/** One step of a problem's history. */
export const HistoryEntry = z
  .object({
    seq: z.number().int().nullable().meta({ description: 'order in the store; null for steps derived from an imported row' }),
    at: IsoTime,
    action: HistoryAction,
    from: ProblemStatus.nullable(),
    to: ProblemStatus,
    actor: z.string(),
    note: z.string(),
    unitId: z.string().nullable(),
    unitName: z.string().nullable(),
    deadline: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).nullable(),
    derived: z.boolean().meta({ description: 'reconstructed from the timestamps of an imported problem' }),
    photos: z.array(PhotoRef),
  })
  .meta({ id: 'HistoryEntry' });
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/** Requests that wait for the 创文办's decision (contract/requests.ts): 延期, 申诉, 退单. */
export const REQUEST_KINDS = ['extension', 'appeal', 'return'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const REQUEST_STATUSES = ['open', 'approved', 'refused', 'lapsed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const ProblemRequest = z
  .object({
    id: z.number().int(),
    problemId: z.string(),
    kind: z.enum(REQUEST_KINDS),
    reason: z.string(),
    until: z.string().nullable().meta({ description: 'extension: the deadline asked for' }),
    unitId: z.string().nullable(),
    unitName: z.string().nullable(),
    askedBy: z.string(),
    askedAt: z.string(),
    status: z.enum(REQUEST_STATUSES).meta({ description: 'lapsed: the case moved on (rectified, reassigned) before a decision' }),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'ProblemRequest' });
export type ProblemRequest = z.infer<typeof ProblemRequest>;

/** Escalation of a problem now. */
export const EscalationOut = z
  .object({
    strikes: z.number().int(),
    level: z.union([z.literal(0), z.literal(1), z.literal(2)]).meta({ description: '0 none, 1 督办单 supervision notice, 2 约谈 summons' }),
    supervision: z.boolean(),
    summons: z.boolean(),
  })
  .meta({ id: 'Escalation' });

/** `GET /api/problems/:id/history` response. */
export const HistoryResponse = z
  .object({
    id: z.string(),
    status: ProblemStatus,
    overdue: z.boolean(),
    escalation: EscalationOut,
    allowed: z.array(ProblemStatus).meta({ description: 'statuses the problem may move to now' }),
    mergedInto: z.string().nullable(),
    requests: z.array(ProblemRequest).meta({ description: 'the case’s 延期, 申诉 and 退单 requests, oldest first' }),
    requestable: z.array(z.enum(REQUEST_KINDS)).meta({ description: 'requests the case allows now (none of the kind open)' }),
    history: z.array(HistoryEntry),
    photos: z.array(PhotoRef),
  })
  .meta({ id: 'ProblemHistory' });
export type HistoryResponse = z.infer<typeof HistoryResponse>;

/** 409 body of a refused transition. */
export const TransitionConflict = z.object({ error: z.string(), status: ProblemStatus, allowed: z.array(ProblemStatus) }).meta({ id: 'TransitionConflict' });

/** `POST /api/problems/assign` response. */
export const BulkAssignResponse = z.object({ assigned: z.array(z.string()) }).meta({ id: 'BulkAssignResponse' });

/** Ledger sort keys (the 台账 columns one can sort by). */
export const LEDGER_SORTS = ['reportedAt', 'deadline', 'rectifiedAt', 'status', 'category', 'subdistrict', 'unit', 'id'] as const;
export type LedgerSort = (typeof LEDGER_SORTS)[number];
export const LEDGER_PAGE_MAX = 1000;

/** The ledger's extra query parameters (the map's filters come from ProblemTileQuery). */
export const LedgerExtra = {
  bbox: BBoxParam.optional(),
  q: z
    .string()
    .max(200)
    // SQLite's full-text query syntax ends a string at NUL; other control characters are never search words.
    .refine(
      (v) => ![...v].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f),
      'q must not contain control characters (such as %00): type the words to search for',
    )
    .optional()
    .meta({ description: 'full-text search over description, place name and address; words separated by spaces must all match' }),
  sort: z.enum(LEDGER_SORTS).default('reportedAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  offset: z
    .string()
    .regex(/^\d+$/, 'offset must be a whole number')
    .transform(Number)
    // Beyond this a number is no longer exact, and SQLite's 64-bit integers end soon after.
    .pipe(z.number().max(Number.MAX_SAFE_INTEGER, `offset must be at most ${Number.MAX_SAFE_INTEGER}`))
    .optional()
    .meta({ description: 'rows to skip (default 0)' }),
  limit: z
    .string()
    .regex(/^\d+$/, 'limit must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(LEDGER_PAGE_MAX, `limit must be at most ${LEDGER_PAGE_MAX}`))
    .optional()
    .meta({ description: 'rows per page, default 200' }),
  lang: z.enum(['zh', 'en']).default('zh').meta({ description: 'language of the export headers and values' }),
  thumbnails: z.enum(['0', '1']).optional().meta({ description: 'XLSX export: 1 adds a photo column with thumbnails (at most 2,000 rows)' }),
};

/** One ledger row (台账 columns plus what the table needs). */
export const LedgerRow = z.object({
  id: z.string(),
  category: z.string(),
  categoryName: z.object({ zh: z.string(), en: z.string() }),
  code: z.string().nullable().meta({ description: 'the category’s 小类 code in GB/T 47678.5-2026 (null: the standard has none)' }),
  legacyCodes: z.string().nullable().meta({ description: 'its codes in the older standards, e.g. "GB/T 30428.2-2013 01-10; CJ/T 214-2007 0102"' }),
  description: z.string(),
  location: z.string().meta({ description: 'linked place name (and address), else the coordinates' }),
  lng: z.number(),
  lat: z.number(),
  districtName: z.string().nullable().meta({ description: '区/县 of its subdistrict' }),
  subdistrictName: z.string().nullable(),
  unitName: z.string().nullable(),
  reportedAt: z.string(),
  deadline: z.string().nullable(),
  status: ProblemStatus,
  overdue: z.boolean(),
  rectifiedAt: z.string().nullable(),
  lookBack: z.enum(['pass', 'fail', 'pending']).nullable().meta({ description: 'latest look-back result; pending = rectified, not yet checked' }),
  recurrence: z.boolean(),
  noticeNo: z.string().nullable(),
});
export type LedgerRow = z.infer<typeof LedgerRow>;

/** `GET /api/ledger` response. */
export const LedgerPage = z.object({ total: z.number().int(), offset: z.number().int(), rows: z.array(LedgerRow) }).meta({ id: 'LedgerPage' });
export type LedgerPage = z.infer<typeof LedgerPage>;
