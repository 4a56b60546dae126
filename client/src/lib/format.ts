/** Formatting helpers for what the panels show. Pure; the city clock is UTC+8 (ISO times carry +08:00). */
import { cityDateTime } from '../../../server/contract/city-time';

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
  return cityDateTime(ms);
}

/** A count with thousands separators for the UI language ('zh' → 12,345 as Chinese readers expect too). */
export function formatCount(n: number, lang: 'zh' | 'en'): string {
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US').format(n);
}

/** A travel time for people: '45 秒' / '12 分钟' / '1 小时 5 分钟' (en: '45 s', '12 min', '1 h 5 min'). */
export function formatDuration(seconds: number, lang: 'zh' | 'en'): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return lang === 'zh' ? `${s} 秒` : `${s} s`;
  const totalMin = Math.round(s / 60);
  const h = Math.floor(totalMin / 60);
  const m = totalMin % 60;
  if (h === 0) return lang === 'zh' ? `${m} 分钟` : `${m} min`;
  if (m === 0) return lang === 'zh' ? `${h} 小时` : `${h} h`;
  return lang === 'zh' ? `${h} 小时 ${m} 分钟` : `${h} h ${m} min`;
}

/** A distance: metres under a kilometre ('850 米' / '850 m'), else kilometres with one decimal. */
export function formatDistance(metres: number, lang: 'zh' | 'en'): string {
  if (metres < 1000) return lang === 'zh' ? `${Math.round(metres)} 米` : `${Math.round(metres)} m`;
  const km = (metres / 1000).toFixed(1);
  return lang === 'zh' ? `${km} 公里` : `${km} km`;
}

/** A size in bytes for people: '820 KB', '12.4 MB' (binary units, one decimal from MB on). */
export function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${Math.max(1, Math.round(n / 1024))} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A rate from 0 to 1 as a percentage with one decimal ('85.3%'); null (nothing to count) as '—'. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}
