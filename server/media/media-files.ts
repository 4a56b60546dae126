import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMediaHash } from './sniff';

/** The copies of a photo or clip that are served (a clip's screen copy and thumbnail are its poster frame). */
export type MediaVariant = 'original' | 'screen' | 'thumb';

/** What is written for one photo or clip: the uploaded bytes and the two JPEG copies. */
export interface MediaFilesOf {
  hash: string;
  original: Buffer;
  screen: Buffer;
  thumb: Buffer;
}

/**
 * Photo and clip files under one folder, named by content hash: `<dir>/<h0h1>/<hash>` (the original),
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
   * Writes the three files of a photo or clip. Each is written to a temporary name and renamed, so a
   * reader never sees half a file; one already stored (same hash) is not written again. Asynchronous: a
   * 50 MB clip is not copied on the event loop.
   * @returns the paths it created, for `remove` when the database write after it fails.
   */
  async write(media: MediaFilesOf): Promise<string[]> {
    const created: string[] = [];
    await mkdir(join(this.dir, media.hash.slice(0, 2)), { recursive: true });
    for (const [variant, data] of [
      ['screen', media.screen],
      ['thumb', media.thumb],
      ['original', media.original],
    ] as const) {
      const target = this.path(media.hash, variant);
      if (existsSync(target)) continue;
      const tmp = `${target}.${randomUUID()}.tmp`;
      try {
        await writeFile(tmp, data);
        await rename(tmp, target);
      } catch (err) {
        await rm(tmp, { force: true });
        await this.remove(created);
        throw err;
      }
      created.push(target);
    }
    return created;
  }

  /** Deletes files `write` created (undo after a failed database write). */
  async remove(paths: readonly string[]): Promise<void> {
    for (const p of paths) await rm(p, { force: true });
  }

  /** The bytes of one variant, or null when it is not stored. */
  read(hash: string, variant: MediaVariant): Buffer | null {
    const p = this.path(hash, variant);
    return existsSync(p) ? readFileSync(p) : null;
  }

  /** Path and size of one variant, or null when it is not stored (for streaming it). */
  stat(hash: string, variant: MediaVariant): { path: string; size: number } | null {
    const p = this.path(hash, variant);
    try {
      return { path: p, size: statSync(p).size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}
