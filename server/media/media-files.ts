import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessedPhoto } from './process-photo';
import { isMediaHash } from './sniff';

/** The copies of a photo that are served. */
export type MediaVariant = 'original' | 'screen' | 'thumb';

/**
 * Photo files under one folder, named by content hash: `<dir>/<h0h1>/<hash>` (the original),
 * `<hash>.screen.jpg`, `<hash>.thumb.jpg`. Paths are built only from a validated hex hash.
 */
export class MediaFiles {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  /** Path of one variant. @throws Error for anything but a 64-hex hash (never reaches the file system). */
  path(hash: string, variant: MediaVariant): string {
    if (!isMediaHash(hash)) throw new Error(`not a media hash: ${JSON.stringify(hash).slice(0, 80)}`);
    const suffix = variant === 'original' ? '' : `.${variant}.jpg`;
    return join(this.dir, hash.slice(0, 2), `${hash}${suffix}`);
  }

  /**
   * Writes the three files of a photo. Each is written to a temporary name and renamed, so a reader
   * never sees half a file; a photo already stored (same hash) is not written again.
   * @returns the paths it created, for `remove` when the database write after it fails.
   */
  write(photo: ProcessedPhoto): string[] {
    const created: string[] = [];
    mkdirSync(join(this.dir, photo.hash.slice(0, 2)), { recursive: true });
    for (const [variant, data] of [
      ['screen', photo.screen],
      ['thumb', photo.thumb],
      ['original', photo.original],
    ] as const) {
      const target = this.path(photo.hash, variant);
      if (existsSync(target)) continue;
      const tmp = `${target}.${randomUUID()}.tmp`;
      writeFileSync(tmp, data);
      renameSync(tmp, target);
      created.push(target);
    }
    return created;
  }

  /** Deletes files `write` created (undo after a failed database write). */
  remove(paths: readonly string[]): void {
    for (const p of paths) rmSync(p, { force: true });
  }

  /** The bytes of one variant, or null when it is not stored. */
  read(hash: string, variant: MediaVariant): Buffer | null {
    const p = this.path(hash, variant);
    return existsSync(p) ? readFileSync(p) : null;
  }
}
