/**
 * The server's own daily backup (BACKUP_DIR, BACKUP_AT city time, BACKUP_KEEP): one folder per run,
 * `xuncha-YYYYMMDD-HHMM`, the oldest beyond BACKUP_KEEP removed after a good run. The status page reads
 * `status()`: the next run, the last good backup (found on disk at start, so it survives a restart) and
 * the last failure.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { cityDate, cityMidnight, DAY_MS, toCityIso } from '../contract/city-time';
import type { BackupStatus } from '../contract/system';
import { createBackup } from './backup';
import { readManifest } from './manifest';

export const DEFAULT_BACKUP_AT = '02:00';
export const DEFAULT_BACKUP_KEEP = 7;
const NAME = /^xuncha-\d{8}-\d{4}$/;

/** The first `HH:MM` city time strictly after `nowMs`. */
export function nextRunAt(at: string, nowMs: number): number {
  const [h, m] = at.split(':').map(Number);
  const today = cityMidnight(cityDate(nowMs)) + (h * 60 + m) * 60_000;
  return today > nowMs ? today : today + DAY_MS;
}

/** `xuncha-20260320-0200` for a run at that city time. */
export function backupName(ms: number): string {
  const iso = toCityIso(ms);
  return `xuncha-${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 16).replace(':', '')}`;
}

export interface BackupSchedule {
  /** Settles once the last backup already on disk has been looked up (status() reports it from then on). */
  readonly ready: Promise<void>;
  status(): BackupStatus;
  /** Runs one backup now (also what the timer calls); resolves when it finished or failed. */
  runNow(): Promise<void>;
  stop(): void;
}

export interface ScheduleOptions {
  db: Database.Database;
  mediaDir: string;
  dir: string;
  at?: string;
  keep?: number;
  now?: () => number;
  log?: (line: string) => void;
}

/** Starts the daily timer (unref'd: it never keeps the process alive). */
export function startBackupSchedule(opts: ScheduleOptions): BackupSchedule {
  const at = opts.at ?? DEFAULT_BACKUP_AT;
  const keep = opts.keep ?? DEFAULT_BACKUP_KEEP;
  const now = opts.now ?? Date.now;
  const log = opts.log ?? ((line: string) => console.log(line));
  let last: BackupStatus['last'] = null;
  let lastFailure: BackupStatus['lastFailure'] = null;
  let running: Promise<void> | null = null;
  let next: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  async function completed(): Promise<string[]> {
    const names = await readdir(opts.dir).catch(() => [] as string[]);
    return names.filter((n) => NAME.test(n)).sort();
  }

  async function findLast(): Promise<void> {
    for (const name of (await completed()).reverse()) {
      try {
        const m = await readManifest(join(opts.dir, name));
        if (last) return;
        last = {
          at: m.createdAt,
          dir: join(opts.dir, name),
          sizeBytes: m.files.reduce((s, f) => s + f.size, 0),
          files: m.files.length,
          schemaVersion: m.schemaVersion,
        };
        return;
      } catch {
        // A damaged folder is not the last good backup; look further back.
      }
    }
  }

  async function prune(): Promise<void> {
    const names = await completed();
    for (const name of names.slice(0, Math.max(0, names.length - keep))) await rm(join(opts.dir, name), { recursive: true, force: true });
  }

  async function run(): Promise<void> {
    const started = now();
    const outDir = join(opts.dir, backupName(started));
    try {
      const result = await createBackup({ db: opts.db, mediaDir: opts.mediaDir, outDir, now: new Date(started) });
      last = {
        at: result.manifest.createdAt,
        dir: result.dir,
        sizeBytes: result.sizeBytes,
        files: result.manifest.files.length,
        schemaVersion: result.manifest.schemaVersion,
      };
      lastFailure = null;
      await prune();
      log(`Backup done: ${result.dir} (${(result.sizeBytes / 1048576).toFixed(1)} MB, ${result.manifest.files.length} files)`);
    } catch (err) {
      lastFailure = { at: new Date(started).toISOString(), error: err instanceof Error ? err.message : String(err) };
      log(`Backup into ${outDir} FAILED: ${lastFailure.error}`);
    }
  }

  function arm(): void {
    if (stopped) return;
    // One timer per run, re-armed from the clock after each: at most a day ahead (setTimeout takes 24 days),
    // and a clock that was changed in between is read afresh.
    next = nextRunAt(at, now());
    timer = setTimeout(() => void runNow().finally(arm), Math.max(0, next - now()));
    timer.unref();
  }

  function runNow(): Promise<void> {
    // Two runs at once would write the same folder; the second waits for the first.
    running ??= run().finally(() => (running = null));
    return running;
  }

  const ready = findLast();
  arm();
  return {
    ready,
    status: () => ({ schedule: { dir: opts.dir, at, keep, next: next === null ? null : toCityIso(next) }, running: running !== null, last, lastFailure }),
    runNow,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** The status when no schedule is configured. */
export const NO_BACKUPS: BackupStatus = { schedule: null, running: false, last: null, lastFailure: null };
