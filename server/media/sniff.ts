/**
 * Photo type by content, not by name or the client's Content-Type (both are easy to get wrong or to
 * fake). Pure: looks at the first bytes only.
 */

export type PhotoMime = 'image/jpeg' | 'image/png' | 'image/webp';

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

/** True for a 64-digit lowercase hex SHA-256, the only thing a media path may contain. */
export function isMediaHash(s: string): boolean {
  return /^[0-9a-f]{64}$/.test(s);
}
