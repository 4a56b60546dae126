/** Times on the big screen, always in the city's zone whatever the wall PC's clock is set to. */

const CITY_TZ = 'Asia/Shanghai';

/** `HH:MM:SS` in the city. */
export function formatTime(ms: number): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: CITY_TZ, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(ms);
}

/** `MM-DD` in the city. */
export function formatDay(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: CITY_TZ, month: '2-digit', day: '2-digit' }).format(ms);
}

/** `HH:MM` for a report of today, `MM-DD HH:MM` for an older one (a quiet night must not look like today). */
export function formatWhen(ms: number, today: string): string {
  const day = formatDay(ms);
  const time = formatTime(ms).slice(0, 5);
  return day === today ? time : `${day} ${time}`;
}

/** The long date with weekday, in the UI language. */
export function formatDate(ms: number, lang: 'zh' | 'en'): string {
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: CITY_TZ,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'long',
  }).format(ms);
}
