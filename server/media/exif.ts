import exifr from 'exifr';
import { CITY_OFFSET } from '../contract/city-time';

/** What a photo's EXIF says about where and when it was taken. */
export interface PhotoExif {
  /** `[lng, lat]` WGS84, or null. */
  gps: [number, number] | null;
  /** ISO time with offset (the camera's offset tag, else city time +08:00), or null. */
  takenAt: string | null;
}

const EXIF_TIME = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/;

/**
 * EXIF `2026:03:20 10:15:00` (+ optional `OffsetTimeOriginal`) → `2026-03-20T10:15:00+08:00`. A camera
 * without an offset tag keeps wall-clock time; the city's phones are on +08:00, so that is assumed.
 */
export function exifTimeToIso(text: string, offset: string | null | undefined): string | null {
  const m = EXIF_TIME.exec(text);
  if (!m) return null;
  const off = offset && /^[+-]\d{2}:\d{2}$/.test(offset) ? offset : CITY_OFFSET;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${off}`;
  return Number.isFinite(Date.parse(iso)) ? iso : null;
}

/** Reads GPS and capture time. A photo without (readable) EXIF gives nulls: EXIF is evidence, not a requirement. */
export async function readExif(bytes: Uint8Array): Promise<PhotoExif> {
  const [gps, tags] = await Promise.all([
    exifr.gps(bytes).catch(noExif),
    exifr.parse(bytes, { pick: ['DateTimeOriginal', 'OffsetTimeOriginal'], reviveValues: false }).catch(noExif),
  ]);
  const lng = gps?.longitude;
  const lat = gps?.latitude;
  const hasGps = typeof lng === 'number' && typeof lat === 'number' && Number.isFinite(lng) && Number.isFinite(lat) && !(lng === 0 && lat === 0);
  const time = typeof tags?.DateTimeOriginal === 'string' ? exifTimeToIso(tags.DateTimeOriginal, tags.OffsetTimeOriginal) : null;
  return { gps: hasGps ? [lng, lat] : null, takenAt: time };
}

/** exifr rejects files whose EXIF block it cannot parse; for us that is the same as no EXIF. */
function noExif(err: unknown): undefined {
  if (err instanceof Error) return undefined;
  throw err;
}
