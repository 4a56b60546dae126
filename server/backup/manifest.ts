/**
 * A backup folder: `xuncha.db` (SQLite's online backup: one consistent snapshot), `media/` (the photo
 * files), and `manifest.json` listing every file with its size and SHA-256 and the database's schema
 * version. Hashing reads through a stream, so a large photo folder never sits in memory or holds the
 * event loop.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';

export const MANIFEST_FILE = 'manifest.json';
export const DB_FILE = 'xuncha.db';
export const MEDIA_DIR = 'media';

export const BackupManifest = z.object({
  format: z.literal('xuncha-backup'),
  formatVersion: z.literal(1),
  createdAt: z.string(),
  schemaVersion: z.number().int().min(0),
  files: z.array(
    z.object({
      // Forward slashes, relative, no `..`: a manifest from elsewhere must not write outside the data folder.
      path: z.string().regex(/^(xuncha\.db|media(\/[A-Za-z0-9][A-Za-z0-9._-]*)+)$/, 'a file of the backup: xuncha.db or media/…'),
      size: z.number().int().min(0),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});
export type BackupManifest = z.infer<typeof BackupManifest>;

/** SHA-256 (hex) of a file, streamed. */
export function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let size = 0;
    createReadStream(file)
      .on('data', (chunk) => {
        size += chunk.length;
        hash.update(chunk);
      })
      .on('error', reject)
      .on('end', () => resolve({ sha256: hash.digest('hex'), size }));
  });
}

/** Every regular file under `dir`, as paths relative to it with forward slashes; none when it does not exist. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** Reads and checks a backup's manifest. @throws Error saying what is wrong with it. */
export async function readManifest(dir: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    throw new Error(`${dir} is not a Xuncha backup: it has no ${MANIFEST_FILE}.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${join(dir, MANIFEST_FILE)} is not valid JSON: the backup is damaged.`);
  }
  const manifest = BackupManifest.safeParse(parsed);
  if (!manifest.success) throw new Error(`${join(dir, MANIFEST_FILE)} is not a Xuncha backup manifest: ${manifest.error.issues[0].message}`);
  if (!manifest.data.files.some((f) => f.path === DB_FILE)) throw new Error(`${join(dir, MANIFEST_FILE)} lists no ${DB_FILE}: the backup is incomplete.`);
  return manifest.data;
}

/**
 * Checks every file the manifest lists against its size and SHA-256, under `dir`.
 * @throws Error naming the first file that is missing or differs.
 */
export async function verifyFiles(dir: string, manifest: BackupManifest): Promise<void> {
  for (const f of manifest.files) {
    let got: { sha256: string; size: number };
    try {
      got = await hashFile(join(dir, ...f.path.split('/')));
    } catch {
      throw new Error(`The backup is missing ${f.path}.`);
    }
    if (got.size !== f.size || got.sha256 !== f.sha256) throw new Error(`${f.path} does not match the manifest's checksum: the backup is damaged.`);
  }
}
