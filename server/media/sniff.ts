/**
 * Photo and clip type by content, not by name or the client's Content-Type (both are easy to get wrong
 * or to fake). Pure: looks at the first bytes only (video-container.ts then reads the whole clip).
 */

export type PhotoMime = 'image/jpeg' | 'image/png' | 'image/webp';
/** MP4 (ISO BMFF), QuickTime (the iPhone's .MOV: the same box structure) and WebM. */
export type VideoMime = 'video/mp4' | 'video/quicktime' | 'video/webm';

/** Extension of each accepted type, for downloads. */
export const PHOTO_EXT: Record<PhotoMime, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The photo type the bytes start with, or null when they are none of JPEG, PNG, WebP. */
export function sniffPhotoType(bytes: Uint8Array): PhotoMime | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && PNG_MAGIC.every((b, i) => bytes[i] === b)) return 'image/png';
  // RIFF <size> WEBP
  if (
    bytes.length >= 12 &&
    bytes[0] === 0x52 &&
    bytes[1] === 0x49 &&
    bytes[2] === 0x46 &&
    bytes[3] === 0x46 &&
    bytes[8] === 0x57 &&
    bytes[9] === 0x45 &&
    bytes[10] === 0x42 &&
    bytes[11] === 0x50
  ) {
    return 'image/webp';
  }
  return null;
}

/**
 * `ftyp` brands of files that may hold video: the ISO base formats, MP4 v1/v2, AVC, 3GPP (older Android
 * phones), DASH/CMAF segments and QuickTime. A brand says what a reader must support, not that a video
 * track is there (an M4A lists `isom` too), so the track itself is checked when the clip is read.
 */
const VIDEO_BRANDS = new Set(
  // Comma-separated: brands are four characters, some ending in spaces.
  'isom,iso2,iso3,iso4,iso5,iso6,iso8,iso9,mp41,mp42,avc1,hvc1,M4V ,M4VH,M4VP,mmp4,MSNV,dash,cmfc,msdh,msix,3gp4,3gp5,3gp6,3gp7,3gp8,3gp9,3gg6,3g2a,qt  '.split(
    ',',
  ),
);
/** Major brands of audio-only files (iTunes audio, audiobooks, protected audio, Flash audio). */
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B ']);

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

/**
 * The clip type the bytes start with, or null: an ISO BMFF `ftyp` box whose major brand is not an audio
 * format and which names a video-capable brand, or an EBML header whose DocType is `webm`.
 */
export function sniffVideoType(bytes: Uint8Array): VideoMime | null {
  if (bytes.length >= 16 && ascii(bytes, 4, 4) === 'ftyp') {
    const size = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
    const end = Math.min(size, bytes.length, 256);
    if (size < 16) return null;
    const major = ascii(bytes, 8, 4);
    if (AUDIO_BRANDS.has(major)) return null;
    const brands = [major];
    for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(bytes, at, 4));
    if (!brands.some((b) => VIDEO_BRANDS.has(b))) return null;
    return major === 'qt  ' ? 'video/quicktime' : 'video/mp4';
  }
  if (bytes.length >= 8 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) {
    return ebmlDocType(bytes) === 'webm' ? 'video/webm' : null;
  }
  return null;
}

/** The DocType (0x4282) of the EBML header at the start of `bytes`, or null. */
function ebmlDocType(bytes: Uint8Array): string | null {
  const size = vintAt(bytes, 4);
  if (!size || size.value < 0) return null;
  const end = Math.min(bytes.length, 4 + size.length + size.value);
  let at = 4 + size.length;
  while (at + 3 <= end) {
    const idLen = bytes[at] >= 0x80 ? 1 : bytes[at] >= 0x40 ? 2 : bytes[at] >= 0x20 ? 3 : 4;
    const id = bytes.subarray(at, at + idLen);
    const len = vintAt(bytes, at + idLen);
    if (!len || len.value < 0) return null;
    const body = at + idLen + len.length;
    if (idLen === 2 && id[0] === 0x42 && id[1] === 0x82) return ascii(bytes, body, Math.min(len.value, end - body)).replace(/\0+$/, '');
    at = body + len.value;
  }
  return null;
}

/** An EBML variable-length size at `at`: its value (-1: unknown) and length in bytes, or null when malformed. */
export function vintAt(bytes: Uint8Array, at: number): { value: number; length: number } | null {
  if (at >= bytes.length) return null;
  const first = bytes[at];
  let length = 1;
  while (length <= 8 && !(first & (0x100 >> length))) length++;
  if (length > 8 || at + length > bytes.length) return null;
  let value = first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + bytes[at + i];
    if (bytes[at + i] !== 0xff) allOnes = false;
  }
  return { value: allOnes ? -1 : value, length };
}

/** True for a 64-digit lowercase hex SHA-256, the only thing a media path may contain. */
export function isMediaHash(s: string): boolean {
  return /^[0-9a-f]{64}$/.test(s);
}
