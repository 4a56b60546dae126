/**
 * What a reel URL pins, and the links to and from it. The reel is opened from the big screen (its
 * district and period carried over) or from the ledger (its filters), and played on a wall or a
 * projector: `/screen/reel?period=30d&district=dt01&unit=u01&status=overdue&sec=8&reviewed=1`.
 * The period is the big screen's token (screen-url.ts `parsePeriod`: 7d, 12w, month, A..B…);
 * `district` may name a district or, as the screen's own bookmarks may, a subdistrict. Like the
 * screen, parsing is lenient: an unreadable value falls back to the default and is reported in
 * `problems` (Chinese / English), so a typo in a link does not blank the meeting's screen.
 */
import type { ReelRequest } from '../../api/reel';
import { cityDate, cityMidnight, DAY_MS } from '../../../../server/contract/city-time';
import { STATUS_FILTERS, type ProblemFilters } from '../../lib/filters';
import { parsePeriod, pinOf, type ScreenPeriod, type ScreenPlaces } from '../screen/screen-url';

/** The week before the meeting: a weekly 推进会 shows what the week found. */
export const REEL_PERIOD_DEFAULT = '7d';
export const SLIDE_S_DEFAULT = 8;
/** Shorter than this and nobody reads the place before the photo changes. */
export const SLIDE_S_MIN = 2;
export const SLIDE_S_MAX = 60;

/** What the reel's filters are checked against: the city's meta. */
export interface ReelPlaces extends ScreenPlaces {
  units: readonly { id: string; name: string }[];
  categories: readonly { id: string }[];
  grids: readonly { id: string }[];
}

export interface ReelParams {
  period: ScreenPeriod;
  /** GET /api/screen/reel's query: the period's days and the checked filters. */
  query: ReelRequest;
  /** The names of the pinned districts, subdistricts and units (empty: the whole city), for the English title. */
  placeNames: string[];
  /** Seconds a photo stays up. */
  slideS: number;
  /** Only photos and clips checked for public use. */
  reviewed: boolean;
  /** Readable sentences about parameters that were ignored (`中文 / English`). */
  problems: string[];
}

const TRUE_VALUES = new Set(['1', 'true', 'on']);
/** The screen's own parameters, carried to the reel and back so the wall returns to what it showed. */
const SCREEN_KEYS = ['screen_token', 'district', 'period', 'tour', 'interval', 'lang'] as const;

/**
 * Reads the reel's parameters from a query string (`window.location.search`), checking ids against the
 * city's `places`; `now` decides what relative periods mean (city days, +08:00).
 *
 * @example readReelParams('?period=month&district=sd02&sec=5', meta).query
 *   // { from: '2026-12-01', to: '2026-12-07', subdistrict: 'sd02' }
 */
export function readReelParams(search: string, places: ReelPlaces, now: number = Date.now()): ReelParams {
  const q = new URLSearchParams(search);
  const problems: string[] = [];

  const wanted = q.get('period')?.trim() || REEL_PERIOD_DEFAULT;
  let period = parsePeriod(wanted, now);
  if (!period) {
    problems.push(
      `period=${wanted} 无法识别，已改用 ${REEL_PERIOD_DEFAULT}（可用：7d、30d、12w、week、month、quarter、year 或 2026-10-01..2026-11-25） / ` +
        `period=${wanted} is not understood, showing ${REEL_PERIOD_DEFAULT} (use 7d, 30d, 12w, week, month, quarter, year or 2026-10-01..2026-11-25)`,
    );
    period = parsePeriod(REEL_PERIOD_DEFAULT, now)!;
  }

  const placeNames: string[] = [];
  const districts: string[] = [];
  const subdistricts: string[] = [];
  // `district` as the screen reads it: a district, or a subdistrict from an older bookmark.
  for (const id of ids(q.get('district'))) {
    const pin = pinOf(id, places);
    if (!pin) problems.push(unknown('district', id, '区县或街道', 'district or subdistrict'));
    else {
      (pin.level === 'district' ? districts : subdistricts).push(pin.id);
      placeNames.push(pin.name);
    }
  }
  for (const id of ids(q.get('subdistrict'))) {
    const sd = places.subdistricts.find((s) => s.id === id);
    if (!sd) problems.push(unknown('subdistrict', id, '街道', 'subdistrict'));
    else if (!subdistricts.includes(id)) {
      subdistricts.push(id);
      placeNames.push(sd.name);
    }
  }
  const units = known(q, 'unit', places.units, problems, '责任单位', 'unit');
  for (const id of units) placeNames.push(places.units.find((u) => u.id === id)!.name);
  const categories = known(q, 'category', places.categories, problems, '问题类别', 'category');
  const grids = known(q, 'grid', places.grids, problems, '网格', 'grid');
  const statuses = known(
    q,
    'status',
    STATUS_FILTERS.map((id) => ({ id })),
    problems,
    '状态',
    'status',
  );

  let slideS = SLIDE_S_DEFAULT;
  const secRaw = q.get('sec');
  if (secRaw !== null) {
    const n = Number(secRaw);
    if (secRaw.trim() !== '' && Number.isFinite(n) && n >= SLIDE_S_MIN && n <= SLIDE_S_MAX) slideS = n;
    else
      problems.push(
        `sec=${secRaw} 应为 ${SLIDE_S_MIN}–${SLIDE_S_MAX} 秒，已改用 ${SLIDE_S_DEFAULT} / sec=${secRaw} must be ${SLIDE_S_MIN}–${SLIDE_S_MAX} seconds, using ${SLIDE_S_DEFAULT}`,
      );
  }
  const reviewed = TRUE_VALUES.has(q.get('reviewed') ?? '');

  const query: ReelRequest = { from: period.from, to: period.to };
  if (districts.length) query.district = districts.join(',');
  if (subdistricts.length) query.subdistrict = subdistricts.join(',');
  if (units.length) query.unit = units.join(',');
  if (categories.length) query.category = categories.join(',');
  if (statuses.length) query.status = statuses.join(',');
  if (grids.length) query.grid = grids.join(',');
  // The server checks the bounds and says them; only a whole number is worth sending.
  const limit = q.get('limit');
  if (limit && /^\d+$/.test(limit)) query.limit = limit;
  if (reviewed) query.reviewed = '1';
  return { period, query, placeNames, slideS, reviewed, problems };
}

function ids(raw: string | null): string[] {
  return [
    ...new Set(
      (raw ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

function known(q: URLSearchParams, key: string, list: readonly { id: string }[], problems: string[], zh: string, en: string): string[] {
  const out: string[] = [];
  for (const id of ids(q.get(key))) {
    if (list.some((x) => x.id === id)) out.push(id);
    else problems.push(unknown(key, id, zh, en));
  }
  return out;
}

function unknown(key: string, id: string, zh: string, en: string): string {
  return `${key}=${id} 不是本市的${zh}，已忽略 / ${key}=${id} is no ${en} of the city, ignored`;
}

/** `search` with `key` set to `value` (or removed for null), the rest as it was. */
function withParam(search: string, key: string, value: string | null): string {
  const q = new URLSearchParams(search);
  if (value === null) q.delete(key);
  else q.set(key, value);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** `search` with `reviewed=1` set or removed (the title card's switch). */
export const withReviewed = (search: string, on: boolean): string => withParam(search, 'reviewed', on ? '1' : null);
/** `search` with another period token (the empty state's "last 30 days"). */
export const withPeriod = (search: string, period: string): string => withParam(search, 'period', period);
/** `search` in the other language (`lang=`), for the reel's language switch. */
export const withLang = (search: string, lang: 'zh' | 'en'): string => withParam(search, 'lang', lang);

function keep(search: string, keys: readonly string[]): string {
  const from = new URLSearchParams(search);
  const to = new URLSearchParams();
  for (const key of keys) {
    const v = from.get(key);
    if (v !== null && v !== '') to.set(key, v);
  }
  return to.toString();
}

/** The big screen's address from the reel's `search`: its token, district, period, tour and language kept. */
export function screenHref(search: string): string {
  const s = keep(search, SCREEN_KEYS);
  return s ? `/screen?${s}` : '/screen';
}

/** The reel's address from the big screen's `search`: the same token, district, period and language. */
export function reelHrefFromScreen(search: string): string {
  const s = keep(search, SCREEN_KEYS);
  return s ? `/screen/reel?${s}` : '/screen/reel';
}

const daysBefore = (date: string, days: number) => cityDate(cityMidnight(date) - days * DAY_MS);

/**
 * The reel of what the ledger's filters hold: its dates as a period (a start alone runs to today, an
 * end alone takes the default's week before it, none the default), and its place, unit, category,
 * status and grid lists as they are.
 *
 * @example reelHrefFromFilters({ ...EMPTY_FILTERS, from: '2026-11-01', to: '2026-11-30', units: ['u01'] }, 'zh')
 *   // '/screen/reel?period=2026-11-01..2026-11-30&unit=u01&lang=zh'
 */
export function reelHrefFromFilters(f: ProblemFilters, lang: 'zh' | 'en', now: number = Date.now()): string {
  const q = new URLSearchParams();
  const defaultDays = Number(/^(\d+)d$/.exec(REEL_PERIOD_DEFAULT)![1]);
  if (f.from || f.to) {
    const to = f.to ?? cityDate(now);
    const from = f.from ?? daysBefore(to, defaultDays - 1);
    // A start after today (the ledger allows it) is a period of one day, not an unreadable one.
    q.set('period', `${from}..${to < from ? from : to}`);
  }
  const lists: [string, string[]][] = [
    ['district', f.districts],
    ['subdistrict', f.subdistricts],
    ['unit', f.units],
    ['category', f.categories],
    ['status', f.statuses],
    ['grid', f.grids],
  ];
  for (const [key, list] of lists) if (list.length) q.set(key, list.join(','));
  q.set('lang', lang);
  return `/screen/reel?${q.toString().replace(/%2C/g, ',')}`;
}
