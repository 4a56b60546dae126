/**
 * What a clip's container says about it, read in plain TypeScript (no ffmpeg): whether it holds a video
 * track, its length, picture size, and the phone's capture time and position when it wrote them. Pure:
 * bytes in, facts out; nothing is decoded.
 *
 * MP4 / QuickTime (ISO/IEC 14496-12): a sequence of boxes `[size u32][type 4cc][body]` (size 1: a u64
 * follows; 0: to the end). The length is `moov/mvhd` duration ÷ timescale; a fragmented file (a
 * browser's recorder, DASH) may leave that 0, and then `mvex/mehd`, or the fragments (`moof/traf`:
 * `tfdt` start + the `trun` sample durations) give it.
 *
 * WebM (Matroska's subset): EBML elements `[id vint][size vint][body]`. The length is
 * `Segment/Info/Duration` × `TimecodeScale` (ns); a live-recorded file may have no Duration, and then
 * the last block's time (Cluster Timecode + the block's relative timecode) gives it.
 */
import { vintAt } from './sniff';

/** A clip's facts, as far as its container tells them. */
export interface VideoFacts {
  hasVideo: boolean;
  hasAudio: boolean;
  /** Length in milliseconds; null when the container does not say and its frames do not tell. */
  durationMs: number | null;
  /** Picture size of the video track (0 when not written). */
  width: number;
  height: number;
  /** Capture time, epoch ms (UTC), when the recorder wrote one. */
  createdMs: number | null;
  /** `[lng, lat]` from an MP4's `©xyz` (ISO 6709, written by Android and iOS cameras), or null. */
  gps: [number, number] | null;
}

/** The container's structure cannot be read (cut off, or not what its first bytes claim). */
export class ContainerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerError';
  }
}

// ---------------------------------------------------------------- MP4

/** Seconds from 1904-01-01 (the MP4 epoch) to 1970-01-01. */
const MP4_EPOCH_S = 2_082_844_800;
/** Times before this are a recorder's zero or garbage, not a capture time. */
const EARLIEST_CAPTURE_MS = Date.UTC(2000, 0, 1);

interface Box {
  type: string;
  /** First byte of the body. */
  body: number;
  /** One past the last byte. */
  end: number;
}

interface Mp4Track {
  id: number;
  handler: string;
  timescale: number;
  width: number;
  height: number;
}

const u32 = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
const u64 = (b: Uint8Array, at: number) => u32(b, at) * 2 ** 32 + u32(b, at + 4);
const fourcc = (b: Uint8Array, at: number) => String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);

/** The boxes in `[from, to)`, in order. @throws ContainerError for a box that runs past its parent. */
function boxes(b: Uint8Array, from: number, to: number): Box[] {
  const out: Box[] = [];
  let at = from;
  while (at + 8 <= to) {
    let size = u32(b, at);
    const type = fourcc(b, at + 4);
    let body = at + 8;
    if (size === 1) {
      if (at + 16 > to) throw new ContainerError(`the ${type} box at byte ${at} is cut off`);
      size = u64(b, at + 8);
      body = at + 16;
    } else if (size === 0) {
      size = to - at;
    }
    if (size < body - at || at + size > to) {
      throw new ContainerError(`the ${type} box at byte ${at} says ${size} bytes but only ${to - at} follow: the file is cut off or damaged`);
    }
    out.push({ type, body, end: at + size });
    at += size;
  }
  return out;
}

const child = (b: Uint8Array, parent: Box, type: string) => boxes(b, parent.body, parent.end).find((x) => x.type === type);
const children = (b: Uint8Array, parent: Box, type: string) => boxes(b, parent.body, parent.end).filter((x) => x.type === type);

/** Checks a full box's body holds `need` bytes. */
function need(box: Box, bytes: number): void {
  if (box.end - box.body < bytes) throw new ContainerError(`the ${box.type} box is too short (${box.end - box.body} bytes)`);
}

/**
 * Reads an MP4 or QuickTime file.
 * @throws ContainerError when it has no `moov` box or a box runs past the end (a cut-off upload).
 */
export function readMp4(b: Uint8Array): VideoFacts {
  const top = boxes(b, 0, b.length);
  const moov = top.find((x) => x.type === 'moov');
  if (!moov) throw new ContainerError('it has no moov box (the index of its frames): the file is cut off or not a finished recording');
  const mvhd = child(b, moov, 'mvhd');
  if (!mvhd) throw new ContainerError('its moov box has no mvhd (the movie header)');
  // mvhd: version(1) flags(3), then v0: created u32, modified u32, timescale u32, duration u32; v1: u64, u64, u32, u64.
  const v1 = b[mvhd.body] === 1;
  need(mvhd, v1 ? 32 : 20);
  const created = v1 ? u64(b, mvhd.body + 4) : u32(b, mvhd.body + 4);
  const timescale = u32(b, mvhd.body + (v1 ? 20 : 12));
  const rawDuration = v1 ? u64(b, mvhd.body + 24) : u32(b, mvhd.body + 16);
  // All ones: "unknown" (ISO 14496-12 §8.2.2.3).
  const duration = rawDuration === 0xffffffff || rawDuration >= 2 ** 64 - 2 ** 12 ? 0 : rawDuration;

  const tracks = children(b, moov, 'trak').map((trak) => mp4Track(b, trak));
  const video = tracks.find((t) => t.handler === 'vide');

  let durationMs: number | null = timescale > 0 && duration > 0 ? (duration * 1000) / timescale : null;
  if (durationMs === null) durationMs = fragmentedDurationMs(b, moov, top, timescale, tracks, video);

  const createdMs = (created - MP4_EPOCH_S) * 1000;
  return {
    hasVideo: video !== undefined,
    hasAudio: tracks.some((t) => t.handler === 'soun'),
    durationMs: durationMs === null ? null : Math.round(durationMs),
    width: video?.width ?? 0,
    height: video?.height ?? 0,
    createdMs: created > 0 && createdMs >= EARLIEST_CAPTURE_MS ? createdMs : null,
    gps: mp4Location(b, moov),
  };
}

function mp4Track(b: Uint8Array, trak: Box): Mp4Track {
  const t: Mp4Track = { id: 0, handler: '', timescale: 0, width: 0, height: 0 };
  const tkhd = child(b, trak, 'tkhd');
  if (tkhd) {
    // tkhd v0: vf(4) created(4) modified(4) track_ID(4) reserved(4) duration(4) reserved(8) layer(2) group(2)
    // volume(2) reserved(2) matrix(36) width(4, 16.16) height(4); v1 has 8-byte times and duration (+12).
    const v1 = b[tkhd.body] === 1;
    need(tkhd, v1 ? 96 : 84);
    t.id = u32(b, tkhd.body + (v1 ? 20 : 12));
    const wAt = tkhd.body + (v1 ? 88 : 76);
    t.width = u32(b, wAt) >>> 16;
    t.height = u32(b, wAt + 4) >>> 16;
  }
  const mdia = child(b, trak, 'mdia');
  if (mdia) {
    const hdlr = child(b, mdia, 'hdlr');
    if (hdlr) {
      need(hdlr, 12);
      t.handler = fourcc(b, hdlr.body + 8);
    }
    const mdhd = child(b, mdia, 'mdhd');
    if (mdhd) {
      const v1 = b[mdhd.body] === 1;
      need(mdhd, v1 ? 24 : 16);
      t.timescale = u32(b, mdhd.body + (v1 ? 20 : 12));
    }
  }
  return t;
}

/**
 * The length of a fragmented file whose mvhd says 0: `mvex/mehd` when written, else the latest end of
 * the video track's fragments (`tfdt` start, or the running total, plus the `trun` sample durations,
 * which default to `tfhd`'s, then `trex`'s).
 */
function fragmentedDurationMs(b: Uint8Array, moov: Box, top: Box[], timescale: number, tracks: Mp4Track[], video: Mp4Track | undefined): number | null {
  const mvex = child(b, moov, 'mvex');
  const mehd = mvex && child(b, mvex, 'mehd');
  if (mehd && timescale > 0) {
    const v1 = b[mehd.body] === 1;
    need(mehd, v1 ? 12 : 8);
    const d = v1 ? u64(b, mehd.body + 4) : u32(b, mehd.body + 4);
    if (d > 0) return (d * 1000) / timescale;
  }
  const trexDuration = new Map<number, number>();
  for (const trex of mvex ? children(b, mvex, 'trex') : []) {
    need(trex, 16);
    trexDuration.set(u32(b, trex.body + 4), u32(b, trex.body + 12));
  }
  const track = video ?? tracks[0];
  if (!track || track.timescale <= 0) return null;
  let running = 0;
  let latest = 0;
  for (const moof of top.filter((x) => x.type === 'moof')) {
    for (const traf of children(b, moof, 'traf')) {
      const tfhd = child(b, traf, 'tfhd');
      if (!tfhd) continue;
      need(tfhd, 8);
      const flags = u32(b, tfhd.body) & 0xffffff;
      if (u32(b, tfhd.body + 4) !== track.id) continue;
      // tfhd optional fields, in this order: base_data_offset(8) sample_description_index(4) default_sample_duration(4) …
      const at = tfhd.body + 8 + (flags & 0x01 ? 8 : 0) + (flags & 0x02 ? 4 : 0);
      let defaultDuration = trexDuration.get(track.id) ?? 0;
      if (flags & 0x08) {
        need(tfhd, at - tfhd.body + 4);
        defaultDuration = u32(b, at);
      }
      const tfdt = child(b, traf, 'tfdt');
      let start = running;
      if (tfdt) {
        const v1 = b[tfdt.body] === 1;
        need(tfdt, v1 ? 12 : 8);
        start = v1 ? u64(b, tfdt.body + 4) : u32(b, tfdt.body + 4);
      }
      let sum = 0;
      for (const trun of children(b, traf, 'trun')) sum += trunDuration(b, trun, defaultDuration);
      running = start + sum;
      latest = Math.max(latest, running);
    }
  }
  return latest > 0 ? (latest * 1000) / track.timescale : null;
}

/** The sum of a `trun`'s sample durations (each its own when flag 0x100 is set, else `defaultDuration`). */
function trunDuration(b: Uint8Array, trun: Box, defaultDuration: number): number {
  need(trun, 8);
  const flags = u32(b, trun.body) & 0xffffff;
  const count = u32(b, trun.body + 4);
  if (!(flags & 0x100)) return count * defaultDuration;
  // Per sample: duration(4) if 0x100, size(4) if 0x200, flags(4) if 0x400, composition offset(4) if 0x800.
  const stride = 4 * [0x100, 0x200, 0x400, 0x800].filter((f) => flags & f).length;
  const first = trun.body + 8 + (flags & 0x01 ? 4 : 0) + (flags & 0x04 ? 4 : 0);
  if (first + count * stride > trun.end) throw new ContainerError(`a trun box lists ${count} samples but is too short for them`);
  let sum = 0;
  for (let i = 0; i < count; i++) sum += u32(b, first + i * stride);
  return sum;
}

/** `moov/udta/©xyz`: an ISO 6709 string such as `+36.4481+115.9841/` (latitude first). */
function mp4Location(b: Uint8Array, moov: Box): [number, number] | null {
  const udta = child(b, moov, 'udta');
  const xyz = udta && child(b, udta, '\u00a9xyz');
  if (!xyz || xyz.end - xyz.body < 4) return null;
  // A QuickTime text atom: length(2) language(2) text.
  const len = (b[xyz.body] << 8) | b[xyz.body + 1];
  const text = new TextDecoder().decode(b.subarray(xyz.body + 4, Math.min(xyz.end, xyz.body + 4 + len)));
  const m = /^([+-]\d{1,2}(?:\.\d+)?)([+-]\d{1,3}(?:\.\d+)?)/.exec(text);
  if (!m) return null;
  const lat = Number(m[1]);
  const lng = Number(m[2]);
  if (!(Math.abs(lat) <= 90 && Math.abs(lng) <= 180) || (lat === 0 && lng === 0)) return null;
  return [lng, lat];
}

// ---------------------------------------------------------------- WebM

const EBML = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const INFO = 0x1549a966;
const TRACKS = 0x1654ae6b;
const CLUSTER = 0x1f43b675;
const TIMECODE_SCALE = 0x2ad7b1;
const DURATION = 0x4489;
const DATE_UTC = 0x4461;
const TRACK_ENTRY = 0xae;
const TRACK_TYPE = 0x83;
const VIDEO = 0xe0;
const PIXEL_WIDTH = 0xb0;
const PIXEL_HEIGHT = 0xba;
const CLUSTER_TIMECODE = 0xe7;
const SIMPLE_BLOCK = 0xa3;
const BLOCK_GROUP = 0xa0;
const BLOCK = 0xa1;
const BLOCK_DURATION = 0x9b;
/** The Segment's children: an unknown-size Cluster ends where the next of these begins. */
const LEVEL_1 = new Set([0x114d9b74, INFO, TRACKS, CLUSTER, 0x1c53bb6b, 0x1941a469, 0x1043a770, 0x1254c367]);
/** 2001-01-01T00:00:00Z, Matroska's DateUTC origin. */
const MATROSKA_EPOCH_MS = Date.UTC(2001, 0, 1);

interface Element {
  id: number;
  body: number;
  /** One past the last byte; for an element of unknown size, the end of its parent. */
  end: number;
  unknownSize: boolean;
}

/** The element at `at` (within `[at, limit)`), or null at a clean end. @throws ContainerError when malformed. */
function elementAt(b: Uint8Array, at: number, limit: number): Element | null {
  if (at >= limit) return null;
  const first = b[at];
  const idLen = first >= 0x80 ? 1 : first >= 0x40 ? 2 : first >= 0x20 ? 3 : first >= 0x10 ? 4 : 0;
  if (idLen === 0 || at + idLen > limit) throw new ContainerError(`an element at byte ${at} has no valid id`);
  let id = 0;
  for (let i = 0; i < idLen; i++) id = id * 256 + b[at + i];
  const size = vintAt(b, at + idLen);
  if (!size || at + idLen + size.length > limit) throw new ContainerError(`the element at byte ${at} is cut off`);
  const body = at + idLen + size.length;
  if (size.value < 0) return { id, body, end: limit, unknownSize: true };
  if (body + size.value > limit) {
    throw new ContainerError(`the element 0x${id.toString(16)} at byte ${at} says ${size.value} bytes but only ${limit - body} follow: the file is cut off`);
  }
  return { id, body, end: body + size.value, unknownSize: false };
}

function uintOf(b: Uint8Array, e: Element): number {
  let v = 0;
  for (let i = e.body; i < e.end; i++) v = v * 256 + b[i];
  return v;
}

function floatOf(b: Uint8Array, e: Element): number {
  const view = new DataView(b.buffer, b.byteOffset + e.body, e.end - e.body);
  if (e.end - e.body === 4) return view.getFloat32(0);
  if (e.end - e.body === 8) return view.getFloat64(0);
  return NaN;
}

/** The elements in `[from, to)`; an element of unknown size ends the walk (it reaches `to`). */
function* elements(b: Uint8Array, from: number, to: number): Generator<Element> {
  let at = from;
  for (let e = elementAt(b, at, to); e; e = elementAt(b, at, to)) {
    yield e;
    if (e.unknownSize) return;
    at = e.end;
  }
}

/**
 * Reads a WebM file.
 * @throws ContainerError when it has no Segment or Tracks, or an element runs past the end.
 */
export function readWebm(b: Uint8Array): VideoFacts {
  const header = elementAt(b, 0, b.length);
  if (!header || header.id !== EBML) throw new ContainerError('it does not start with an EBML header');
  const segment = elementAt(b, header.end, b.length);
  if (!segment || segment.id !== SEGMENT) throw new ContainerError('it has no Segment after its EBML header');

  let scaleNs = 1_000_000;
  let duration: number | null = null;
  let createdMs: number | null = null;
  let tracksSeen = false;
  let hasVideo = false;
  let hasAudio = false;
  let width = 0;
  let height = 0;
  let lastTick = -1;

  let at = segment.body;
  for (let e = elementAt(b, at, segment.end); e; e = elementAt(b, at, segment.end)) {
    if (e.id === INFO) {
      for (const f of elements(b, e.body, e.end)) {
        if (f.id === TIMECODE_SCALE) scaleNs = uintOf(b, f) || scaleNs;
        else if (f.id === DURATION) duration = floatOf(b, f);
        else if (f.id === DATE_UTC && f.end - f.body === 8) {
          // Signed nanoseconds since 2001; a recorder that does not know writes 0.
          const ns = new DataView(b.buffer, b.byteOffset + f.body, 8).getBigInt64(0);
          if (ns !== 0n) createdMs = MATROSKA_EPOCH_MS + Number(ns / 1_000_000n);
        }
      }
    } else if (e.id === TRACKS) {
      tracksSeen = true;
      for (const entry of elements(b, e.body, e.end)) {
        if (entry.id !== TRACK_ENTRY) continue;
        let type = 0;
        let w = 0;
        let h = 0;
        for (const f of elements(b, entry.body, entry.end)) {
          if (f.id === TRACK_TYPE) type = uintOf(b, f);
          else if (f.id === VIDEO) {
            for (const v of elements(b, f.body, f.end)) {
              if (v.id === PIXEL_WIDTH) w = uintOf(b, v);
              else if (v.id === PIXEL_HEIGHT) h = uintOf(b, v);
            }
          }
        }
        if (type === 1 && !hasVideo) {
          hasVideo = true;
          width = w;
          height = h;
        } else if (type === 2) hasAudio = true;
      }
    } else if (e.id === CLUSTER) {
      // Only walked when Info has no Duration: the last block's time is then the length.
      if (duration !== null && Number.isFinite(duration) && duration > 0 && tracksSeen) break;
      const end = clusterEnd(b, e, segment.end);
      lastTick = Math.max(lastTick, lastBlockTick(b, e.body, end));
      at = end;
      continue;
    }
    if (e.unknownSize) break;
    at = e.end;
  }
  if (!tracksSeen) throw new ContainerError('it has no Tracks element (the list of its streams)');
  const fromInfo = duration !== null && Number.isFinite(duration) && duration > 0 ? (duration * scaleNs) / 1e6 : null;
  const fromBlocks = lastTick > 0 ? (lastTick * scaleNs) / 1e6 : null;
  const durationMs = fromInfo ?? fromBlocks;
  return {
    hasVideo,
    hasAudio,
    durationMs: durationMs === null ? null : Math.round(durationMs),
    width,
    height,
    createdMs: createdMs !== null && createdMs >= EARLIEST_CAPTURE_MS ? createdMs : null,
    gps: null,
  };
}

/** Where a Cluster ends: its size, or for an unknown size (a live recording) where the next level-1 element begins. */
function clusterEnd(b: Uint8Array, cluster: Element, limit: number): number {
  if (!cluster.unknownSize) return cluster.end;
  let at = cluster.body;
  for (;;) {
    if (at >= limit) return limit;
    const first = b[at];
    const idLen = first >= 0x80 ? 1 : first >= 0x40 ? 2 : first >= 0x20 ? 3 : first >= 0x10 ? 4 : 0;
    let id = 0;
    for (let i = 0; i < idLen && at + i < limit; i++) id = id * 256 + b[at + i];
    if (LEVEL_1.has(id)) return at;
    const e = elementAt(b, at, limit);
    if (!e || e.unknownSize) return limit;
    at = e.end;
  }
}

/** The latest block time in a cluster, in TimecodeScale ticks (Cluster Timecode + block offset + BlockDuration). */
function lastBlockTick(b: Uint8Array, from: number, to: number): number {
  let base = 0;
  let latest = -1;
  const blockTime = (e: Element) => {
    // Block: track number (vint), then a signed 16-bit offset from the cluster's time.
    const track = vintAt(b, e.body);
    if (!track || e.body + track.length + 2 > e.end) throw new ContainerError('a block is too short');
    const at = e.body + track.length;
    return base + (((b[at] << 24) >> 16) | b[at + 1]);
  };
  for (const e of elements(b, from, to)) {
    if (e.id === CLUSTER_TIMECODE) base = uintOf(b, e);
    else if (e.id === SIMPLE_BLOCK) latest = Math.max(latest, blockTime(e));
    else if (e.id === BLOCK_GROUP) {
      let t = -1;
      let d = 0;
      for (const f of elements(b, e.body, e.end)) {
        if (f.id === BLOCK) t = blockTime(f);
        else if (f.id === BLOCK_DURATION) d = uintOf(b, f);
      }
      if (t >= 0) latest = Math.max(latest, t + d);
    }
  }
  return latest;
}
