import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../errors';
import type { Store } from '../../store/index';
import { DUPLICATE_RADIUS_M } from '../../workflow/nearby';
import { DEFAULT_MAX_VIDEO_MB, DEFAULT_MAX_VIDEO_SECONDS, MAX_VIDEO_MB_CEILING } from '../../contract/media-rules';
import { findFfmpeg } from '../../media/ffmpeg';
import { createEventHub, type EventHub } from './events';

/** Default size limit of one uploaded photo. */
export const DEFAULT_MAX_PHOTO_MB = 15;

/** What the workflow, media and events routes need besides the shared RouteDeps. */
export interface WorkflowDeps {
  hub: EventHub;
  /** Folder of the photo files (DATA_DIR/media). */
  mediaDir: string;
  /** Largest accepted photo, bytes. */
  maxPhotoBytes: number;
  /** Clips (视频证据): largest, bytes (MAX_VIDEO_MB); longest, ms (MAX_VIDEO_SECONDS); the ffmpeg found on PATH at start, or null. */
  video: { maxBytes: number; maxMs: number; ffmpeg: string | null };
  /** Intake requests running now, by Idempotency-Key, so a concurrent retry waits for the first. */
  inFlight: Map<string, { done: Promise<unknown>; fingerprint: string }>;
  /** Open311 `POST requests` API keys; empty → posting is refused. */
  open311Keys: ReadonlySet<string>;
  /** Open problems of the same category this close (metres) are offered for merging at intake. */
  duplicateRadiusM: number;
}

const MediaEnv = z.object({
  MAX_PHOTO_MB: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce
      .number({ error: 'MAX_PHOTO_MB must be a number of megabytes, e.g. 15' })
      .positive('MAX_PHOTO_MB must be above 0')
      .max(200, 'MAX_PHOTO_MB must be at most 200')
      .default(DEFAULT_MAX_PHOTO_MB),
  ),
  MAX_VIDEO_MB: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce
      .number({ error: 'MAX_VIDEO_MB must be a number of megabytes, e.g. 50' })
      .positive('MAX_VIDEO_MB must be above 0')
      .max(MAX_VIDEO_MB_CEILING, `MAX_VIDEO_MB must be at most ${MAX_VIDEO_MB_CEILING} (a clip must fit in one 100 MB upload)`)
      .default(DEFAULT_MAX_VIDEO_MB),
  ),
  MAX_VIDEO_SECONDS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce
      .number({ error: 'MAX_VIDEO_SECONDS must be a number of seconds, e.g. 60' })
      .positive('MAX_VIDEO_SECONDS must be above 0')
      .max(600, 'MAX_VIDEO_SECONDS must be at most 600 (ten minutes)')
      .default(DEFAULT_MAX_VIDEO_SECONDS),
  ),
  OPEN311_API_KEYS: z.string().default(''),
  DUPLICATE_RADIUS_M: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce
      .number({ error: 'DUPLICATE_RADIUS_M must be a number of metres, e.g. 30' })
      .positive('DUPLICATE_RADIUS_M must be above 0')
      .max(500, 'DUPLICATE_RADIUS_M must be at most 500')
      .default(DUPLICATE_RADIUS_M),
  ),
});

/**
 * Builds the workflow deps. Photos and clips go next to the database (`<DATA_DIR>/media`) unless
 * `mediaDir` is given; MAX_PHOTO_MB, MAX_VIDEO_MB, MAX_VIDEO_SECONDS, OPEN311_API_KEYS (comma-separated)
 * and DUPLICATE_RADIUS_M come from `env`. ffmpeg is looked up on the env's PATH once, here, unless
 * `ffmpeg` says which to use (null: none).
 * @throws ConfigError for an invalid limit or DUPLICATE_RADIUS_M.
 */
export function createWorkflowDeps(
  store: Store,
  opts: { mediaDir?: string; maxPhotoBytes?: number; ffmpeg?: string | null; env?: Record<string, string | undefined> } = {},
): WorkflowDeps {
  const parsed = MediaEnv.safeParse(opts.env ?? process.env);
  if (!parsed.success)
    throw new ConfigError(
      'Invalid configuration:',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
  return {
    hub: createEventHub(),
    mediaDir: opts.mediaDir ?? join(dirname(store.file), 'media'),
    maxPhotoBytes: opts.maxPhotoBytes ?? Math.round(parsed.data.MAX_PHOTO_MB * 1024 * 1024),
    video: {
      maxBytes: Math.round(parsed.data.MAX_VIDEO_MB * 1024 * 1024),
      maxMs: Math.round(parsed.data.MAX_VIDEO_SECONDS * 1000),
      ffmpeg: opts.ffmpeg !== undefined ? opts.ffmpeg : findFfmpeg((opts.env ?? process.env).PATH),
    },
    inFlight: new Map(),
    open311Keys: new Set(
      parsed.data.OPEN311_API_KEYS.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
    duplicateRadiusM: parsed.data.DUPLICATE_RADIUS_M,
  };
}
