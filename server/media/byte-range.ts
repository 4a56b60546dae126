/**
 * The one byte range of a `Range` header (RFC 9110 §14), for a video player's seeks. Pure. Several
 * ranges in one header are answered with the whole file (allowed: a server may ignore Range), since
 * players ask for one at a time.
 */

/** What to answer: the whole file, bytes `start`–`end` inclusive (206), or 416. */
export type RangeAnswer = { kind: 'whole' } | { kind: 'part'; start: number; end: number } | { kind: 'unsatisfiable' };

const BYTES_RANGE = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i;

/**
 * Reads `header` against a file of `size` bytes. A header that is absent, malformed, not in bytes or
 * of several ranges means the whole file; a range starting at or past the end (or a zero suffix) is
 * unsatisfiable; an end past the file is cut to it.
 *
 * @example byteRange('bytes=0-99', 1000) // { kind: 'part', start: 0, end: 99 }
 * @example byteRange('bytes=-100', 1000) // { kind: 'part', start: 900, end: 999 }
 */
export function byteRange(header: string | undefined | null, size: number): RangeAnswer {
  if (!header) return { kind: 'whole' };
  const m = BYTES_RANGE.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'whole' };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = m[2] === '' ? size - 1 : Number(m[2]);
  return { kind: 'part', start, end: Math.min(end, size - 1) };
}
