/**
 * What a big-screen URL pins. A wall PC opens a bookmarked URL and nobody touches it afterwards, so the
 * URL is the saved screen: `/screen?district=dt02&period=30d&tour=1&interval=20&lang=en`. Parsing is
 * lenient (a typo in a bookmark must not blank a wall): an unreadable value falls back to the default
 * and is reported in `problems` (Chinese / English), which the page shows discreetly in a corner.
 * `district` names a district (区/县, dt…) or, as the bookmarks from before districts do, a subdistrict
 * (sd…); checked against the city's meta, one that names neither shows the whole city.
 */

const DAY_MS = 86_400_000;
const CITY_OFFSET_MS = 8 * 3_600_000;

/** The period the map's heat layer and the period-bound panels cover. */
export interface ScreenPeriod {
  /** The URL token it came from (`12w`, `30d`, `month`, `2026-10-01..2026-11-25`…), for captions and links. */
  token: string;
  /** First day, YYYY-MM-DD, city time (+08:00). */
  from: string;
  /** Last day, inclusive, YYYY-MM-DD, city time. */
  to: string;
  /** Whole days covered. */
  days: number;
}

/** The districts and subdistricts of the city (GET /api/meta), which `?district=` is checked against. */
export interface ScreenPlaces {
  districts: readonly { id: string; name: string }[];
  subdistricts: readonly { id: string; name: string; districtId: string | null }[];
}

/** What `?district=` pins the screen to. */
export interface ScreenPin {
  level: 'district' | 'subdistrict';
  id: string;
  name: string;
  /** The subdistricts whose problems the screen shows: the district's, or the one subdistrict. */
  subdistricts: string[];
}

export interface ScreenParams {
  /** The pinned district or subdistrict; null for the whole city (also when `?district=` names nothing). */
  district: ScreenPin | null;
  period: ScreenPeriod;
  tour: boolean;
  /** Seconds each tour stop stays on screen. */
  interval: number;
  /** Readable sentences about parameters that were ignored. */
  problems: string[];
}

/** Default period: a quarter of weeks, like the trend chart, so the heat map and the trend agree. */
export const DEFAULT_PERIOD = '12w';
export const TOUR_INTERVAL_DEFAULT_S = 20;
/** Shorter than this and a caption cannot be read before the camera moves on. */
export const TOUR_INTERVAL_MIN_S = 5;
export const TOUR_INTERVAL_MAX_S = 600;

/**
 * Reads the screen's parameters from a query string (`window.location.search`). `places` (the meta's
 * districts and subdistricts) resolves `?district=`; without it no district is pinned (the period
 * alone is wanted). `now` decides what relative periods mean; days are city days (+08:00) whatever the
 * wall PC's time zone.
 *
 * @example readScreenParams('?district=dt02&period=30d', meta).district
 *   // { level: 'district', id: 'dt02', name: '…区', subdistricts: ['sd10', 'sd11', …] }
 */
export function readScreenParams(search: string, places: ScreenPlaces | null = null, now: number = Date.now()): ScreenParams {
  const q = new URLSearchParams(search);
  const problems: string[] = [];
  const wantedDistrict = q.get('district')?.trim() || null;
  let district: ScreenPin | null = null;
  if (wantedDistrict && places) {
    district = pinOf(wantedDistrict, places);
    if (!district) {
      const some = [...places.districts.slice(0, 3), ...places.subdistricts.slice(0, 2)].map((p) => `${p.id} ${p.name}`).join('、');
      problems.push(
        `district=${wantedDistrict} 不是本市的区县或街道，已显示全市（可用如：${some}） / district=${wantedDistrict} is no district or subdistrict of the city, showing the whole city (use e.g. ${some.replaceAll('、', ', ')})`,
      );
    }
  }

  const wanted = q.get('period')?.trim() || DEFAULT_PERIOD;
  let period = parsePeriod(wanted, now);
  if (!period) {
    problems.push(
      `period=${wanted} 无法识别，已改用 ${DEFAULT_PERIOD}（可用：7d、30d、12w、week、month、quarter、year 或 2026-10-01..2026-11-25） / period=${wanted} is not understood, showing ${DEFAULT_PERIOD} (use 7d, 30d, 12w, week, month, quarter, year or 2026-10-01..2026-11-25)`,
    );
    period = parsePeriod(DEFAULT_PERIOD, now)!;
  }

  const tourRaw = q.get('tour');
  const tour = tourRaw === '1' || tourRaw === 'true' || tourRaw === 'on';
  let interval = TOUR_INTERVAL_DEFAULT_S;
  const intervalRaw = q.get('interval');
  if (intervalRaw !== null) {
    const n = Number(intervalRaw);
    if (Number.isFinite(n) && n >= TOUR_INTERVAL_MIN_S && n <= TOUR_INTERVAL_MAX_S) interval = n;
    else
      problems.push(
        `interval=${intervalRaw} 应为 ${TOUR_INTERVAL_MIN_S}–${TOUR_INTERVAL_MAX_S} 秒，已改用 ${TOUR_INTERVAL_DEFAULT_S} / interval=${intervalRaw} must be ${TOUR_INTERVAL_MIN_S}–${TOUR_INTERVAL_MAX_S} seconds, using ${TOUR_INTERVAL_DEFAULT_S}`,
      );
  }
  return { district, period, tour, interval, problems };
}

/**
 * The district or subdistrict an id names, with the subdistricts it covers, or null when it names
 * neither. A district's subdistricts are those meta files under it (`districtId`).
 */
export function pinOf(id: string, places: ScreenPlaces): ScreenPin | null {
  const d = places.districts.find((x) => x.id === id);
  if (d) return { level: 'district', id: d.id, name: d.name, subdistricts: places.subdistricts.filter((s) => s.districtId === d.id).map((s) => s.id) };
  const sd = places.subdistricts.find((x) => x.id === id);
  return sd ? { level: 'subdistrict', id: sd.id, name: sd.name, subdistricts: [sd.id] } : null;
}

/**
 * A period token as city days ending today (or the given range), or null when unreadable.
 * `Nd` / `Nw`: the last N days / weeks including today; `week`, `month`, `quarter`, `year`: the current
 * calendar one so far (weeks start on Monday); `A..B`: the days A to B inclusive.
 */
export function parsePeriod(token: string, now: number): ScreenPeriod | null {
  const today = cityDay(now);
  const rel = /^(\d{1,4})([dw])$/.exec(token);
  if (rel) {
    const days = Number(rel[1]) * (rel[2] === 'w' ? 7 : 1);
    if (days < 1 || days > 3660) return null;
    return make(token, today - (days - 1), today);
  }
  const range = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(token);
  if (range) {
    const a = dayOf(range[1]);
    const b = dayOf(range[2]);
    if (a === null || b === null || b < a || b - a > 3660) return null;
    return make(token, a, b);
  }
  const date = new Date(today * DAY_MS);
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  switch (token) {
    case 'week':
      // 1970-01-01 (day 0) was a Thursday: Monday is (day + 3) % 7 days back.
      return make(token, today - ((today + 3) % 7), today);
    case 'month':
      return make(token, Date.UTC(y, m, 1) / DAY_MS, today);
    case 'quarter':
      return make(token, Date.UTC(y, m - (m % 3), 1) / DAY_MS, today);
    case 'year':
      return make(token, Date.UTC(y, 0, 1) / DAY_MS, today);
    default:
      return null;
  }
}

function make(token: string, fromDay: number, toDay: number): ScreenPeriod {
  return { token, from: isoDay(fromDay), to: isoDay(toDay), days: toDay - fromDay + 1 };
}

/** Days since 1970-01-01 of the city date holding `ms`. */
function cityDay(ms: number): number {
  return Math.floor((ms + CITY_OFFSET_MS) / DAY_MS);
}

function dayOf(iso: string): number | null {
  const ms = Date.parse(`${iso}T00:00:00Z`);
  if (!Number.isFinite(ms) || isoDay(ms / DAY_MS) !== iso) return null;
  return ms / DAY_MS;
}

function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
