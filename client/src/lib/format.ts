/** Formatting helpers for what the panels show. Pure; the city clock is UTC+8 (ISO times carry +08:00). */

const CITY_OFFSET_MIN = 8 * 60;

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * An ISO 8601 time as the city's wall-clock time, `YYYY-MM-DD HH:mm`, whatever offset it was written
 * with; null or unparseable input gives null, so the caller shows its "none" mark.
 *
 * @example formatCityTime('2026-03-04T01:15:00Z') // '2026-03-04 09:15'
 */
export function formatCityTime(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms + CITY_OFFSET_MIN * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** A count with thousands separators for the UI language ('zh' → 12,345 as Chinese readers expect too). */
export function formatCount(n: number, lang: 'zh' | 'en'): string {
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US').format(n);
}
