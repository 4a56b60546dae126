/**
 * Clips in the browser before they are sent: their length (a `<video>` element reads the container),
 * and, when the server has no ffmpeg, a poster frame (video → canvas → JPEG) sent beside the clip as
 * `<clip name>.poster.jpg`. Everything is best effort: a clip the browser cannot decode (HEVC on some
 * desktops) is sent without, and the server draws its poster.
 */
import { posterNameFor } from '../../../server/contract/media-rules';
import { clipFileName, clipProblem, isClip, type ClipProblem, type VideoLimits } from './clip-check';

/** Longest side of a poster frame made here (the server makes its 1600 px and 320 px copies from it). */
const POSTER_MAX_PX = 1280;
/** Each step (metadata, a seek) gets this long; a clip that takes longer is sent without a poster. */
const STEP_TIMEOUT_MS = 8000;

/** Resolves at `event` on `el`, or null on its `error` or after the timeout. */
function once(el: HTMLVideoElement, event: string, ms = STEP_TIMEOUT_MS): Promise<Event | null> {
  return new Promise((resolve) => {
    const done = (e: Event | null) => {
      clearTimeout(timer);
      el.removeEventListener(event, onEvent);
      el.removeEventListener('error', onError);
      resolve(e);
    };
    const onEvent = (e: Event) => done(e);
    const onError = () => done(null);
    const timer = setTimeout(() => done(null), ms);
    el.addEventListener(event, onEvent);
    el.addEventListener('error', onError);
  });
}

/**
 * A clip's length in seconds (null when the browser cannot tell) and, with `makePoster`, a JPEG of a
 * frame a little in (the first is often black), or null.
 */
export async function inspectClip(file: Blob, makePoster: boolean): Promise<{ durationS: number | null; poster: Blob | null }> {
  const url = URL.createObjectURL(file);
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.preload = 'auto';
  try {
    const loaded = once(video, 'loadedmetadata');
    video.src = url;
    if (!(await loaded)) return { durationS: null, poster: null };
    let durationS: number | null = Number.isFinite(video.duration) ? video.duration : null;
    if (durationS === null) {
      // A live recording (MediaRecorder's WebM) says no length until the player has looked at its end.
      const changed = once(video, 'durationchange');
      video.currentTime = 1e7;
      await changed;
      durationS = Number.isFinite(video.duration) ? video.duration : null;
    }
    if (!makePoster) return { durationS, poster: null };
    const seeked = once(video, 'seeked');
    video.currentTime = durationS === null ? 0.1 : Math.min(1, durationS / 3);
    if (!(await seeked) || video.videoWidth === 0) return { durationS, poster: null };
    const scale = Math.min(1, POSTER_MAX_PX / Math.max(video.videoWidth, video.videoHeight));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(video.videoWidth * scale));
    canvas.height = Math.max(1, Math.round(video.videoHeight * scale));
    canvas.getContext('2d')?.drawImage(video, 0, 0, canvas.width, canvas.height);
    const poster = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.82));
    return { durationS, poster };
  } finally {
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
  }
}

/** Files ready to send, or the first reason one clip may not be sent. */
export interface PreparedMedia {
  /** Photos (as given, or as `photo` made them) and clips under unique names, each clip followed by its poster frame when one was made. */
  files: File[];
  photos: number;
  clips: number;
  problem: ClipProblem | null;
}

/**
 * Checks and readies what the person chose: photos through `photo` (the field page shrinks them),
 * clips checked against `limits` (size at once, length once read) and given a poster frame when the
 * server makes none. Stops at the first clip over a limit.
 */
export async function prepareMedia(chosen: readonly File[], limits: VideoLimits, photo: (f: File) => Promise<File> = async (f) => f): Promise<PreparedMedia> {
  const files: File[] = [];
  let photos = 0;
  let clips = 0;
  for (const f of chosen) {
    if (!isClip(f)) {
      files.push(await photo(f));
      photos++;
      continue;
    }
    const name = clipFileName(clips + 1, f);
    // Too big is known without reading the file.
    const sizeProblem = clipProblem({ name: f.name, bytes: f.size, durationS: null }, limits);
    if (sizeProblem) return { files: [], photos, clips, problem: sizeProblem };
    const { durationS, poster } = await inspectClip(f, !limits.serverPoster);
    const problem = clipProblem({ name: f.name, bytes: f.size, durationS }, limits);
    if (problem) return { files: [], photos, clips, problem };
    clips++;
    files.push(new File([f], name, { type: f.type }));
    if (poster) files.push(new File([poster], posterNameFor(name), { type: 'image/jpeg' }));
  }
  return { files, photos, clips, problem: null };
}
