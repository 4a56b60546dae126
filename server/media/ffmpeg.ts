/**
 * The poster frame from Debian's ffmpeg, when it is installed: never a download, never required. The
 * frame is cut in a child process with a deadline, so the event loop only waits for its output.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A frame is small; more output than this is not a JPEG frame, and the process is stopped. */
const MAX_FRAME_BYTES = 16 * 1024 * 1024;
/** A frame of a one-minute clip takes well under a second; a hung decoder is stopped after this. */
export const FFMPEG_TIMEOUT_MS = 15_000;

/**
 * The `ffmpeg` executable on `path` (the PATH variable), or null. Looked up once, at start, with the
 * file system only (no process is started, so a machine without it pays nothing).
 */
export function findFfmpeg(path: string | undefined = process.env.PATH): string | null {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, 'ffmpeg');
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch (err) {
      // Not in this folder (or not executable): the next PATH entry may have it.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EACCES') continue;
      throw err;
    }
  }
  return null;
}

/**
 * One frame of the clip in `file`, `atS` seconds in, as JPEG bytes; null when ffmpeg gives none (it
 * cannot decode the clip, the time is past its end, it timed out). The reason is in `onProblem`.
 */
export function extractFrame(
  ffmpeg: string,
  file: string,
  atS: number,
  onProblem: (why: string) => void = () => {},
  timeoutMs = FFMPEG_TIMEOUT_MS,
): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const args = [
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostdin',
      '-ss',
      atS.toFixed(3),
      '-i',
      file,
      '-frames:v',
      '1',
      '-an',
      '-f',
      'image2pipe',
      '-c:v',
      'mjpeg',
      '-q:v',
      '3',
      'pipe:1',
    ];
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let bytes = 0;
    let stderr = '';
    let settled = false;
    const finish = (frame: Buffer | null, why?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (why) onProblem(why);
      resolve(frame);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(null, `ffmpeg took longer than ${timeoutMs / 1000} s`);
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_FRAME_BYTES) {
        child.kill('SIGKILL');
        finish(null, `ffmpeg wrote more than ${MAX_FRAME_BYTES} bytes for one frame`);
      } else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 2000) stderr += chunk.toString();
    });
    child.once('error', (err) => finish(null, `ffmpeg could not be started (${err.message})`));
    child.once('close', (code) => {
      const frame = Buffer.concat(out);
      if (code === 0 && frame.length > 0) finish(frame);
      else finish(null, `ffmpeg ended with ${code}${stderr ? `: ${stderr.trim().split('\n')[0]}` : ''}`);
    });
  });
}
