/**
 * A year of check results (检查结果) as the field page would have sent them: every inspection point is
 * visited now and then by its subdistrict's inspectors, more often where the campaign looks first
 * (markets weekly, main roads and toilets fortnightly, communities monthly) and more often still in the
 * build-up to an assessment; a few points are never visited, as in any real city. At each visit the
 * inspector ticks the items of the catalog version in force that day: an item fails when a problem of
 * one of its categories is open at the point then (and the check names that problem), now and then
 * without one; counts and rates are recorded with their number most of the time.
 *
 * Written after the problems, from their history, so the check results and the problems agree.
 */
import type { AssessmentCatalog } from '../../server/contract/assessment';
import { catalogInForce } from '../../server/contract/assessment';
import type { XY } from './geometry';
import { type Rng, chance, intBetween, pick, uniform } from './random';
import { DAY_S, HOUR_S, calendar, formatDate, formatLocal, parseLocalDate, weekday } from './time';

/** An inspection point as the check history needs it: its marker in [lng, lat]. */
export interface CheckPlace {
  id: string;
  kind: string;
  subdistrict: number;
  at: XY;
}

/** A problem at a place, open from `fromS` until `toS` (local seconds; Infinity while it is open). */
export interface PlaceProblem {
  id: string;
  category: string;
  fromS: number;
  toS: number;
}

/** One line of checks.ndjson: the `POST /api/checks` body and who sent it (data/README.md). */
export interface CheckLine {
  id: string;
  pointId: string;
  at: string;
  lngLat: XY;
  items: { itemId: string; result: 'pass' | 'fail' | 'na'; value?: number }[];
  problemIds?: string[];
  inspector: string;
}

export interface CheckInput {
  rng: Rng;
  /** Last day of the history, YYYY-MM-DD (city time). */
  end: string;
  places: readonly CheckPlace[];
  catalogs: readonly AssessmentCatalog[];
  /** Each place's problems, by place id. */
  problems: ReadonlyMap<string, readonly PlaceProblem[]>;
  /** Per subdistrict, the names the checks are signed with. */
  inspectors: readonly (readonly string[])[];
}

/** The history covers this many days up to `end`, from the first catalog version's day at the earliest. */
export const CHECK_HISTORY_DAYS = 365;
/** Mean days between two visits of a point, by type; types missing here are visited monthly. */
const VISIT_EVERY_DAYS: Record<string, number> = {
  market: 7,
  'main-road': 21,
  'commercial-street': 10,
  'public-toilet': 14,
  'construction-site': 14,
  'park-square': 14,
  'back-street': 30,
  'bus-stop': 30,
  junction: 30,
  'school-area': 21,
  'urban-village': 21,
};
const DEFAULT_EVERY_DAYS = 30;
/** Share of points (other than markets) nobody has visited in the whole year. */
const NEVER_VISITED = 0.05;
/** An open problem of an item's category is seen (and fails the item) this often. */
const SEEN_OPEN = 0.85;

const localSeconds = (iso: string) => Date.parse(`${iso.slice(0, 19)}Z`) / 1000;

/** Local seconds of a problem's report and close (Infinity while open) from its ISO times. */
export function problemSpan(reportedAt: string, closedAt: string | null): { fromS: number; toS: number } {
  return { fromS: localSeconds(reportedAt), toS: closedAt ? localSeconds(closedAt) : Infinity };
}

function uuid(rng: Rng): string {
  const hex = (n: number) =>
    Array.from({ length: n }, () =>
      Math.floor(rng() * 16)
        .toString(16)
        .toLowerCase(),
    ).join('');
  const variant = (8 + Math.floor(rng() * 4)).toString(16);
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}

function inCampaign(t: number): boolean {
  const { month, day } = calendar(t);
  return month === 4 || month === 10 || ((month === 5 || month === 11) && day <= 15);
}

/** New Year's Day, Labour Day and National Day: the fixed-date holidays nobody inspects on. */
function holiday(t: number): boolean {
  const { month, day } = calendar(t);
  return (month === 1 && day === 1) || (month === 5 && day <= 5) || (month === 10 && day <= 7);
}

/** The working time of a visit on or after day `t`: a working day, 08:30–11:45 or 14:00–17:30. */
function visitTime(rng: Rng, t: number): number {
  let day = Math.floor(t / DAY_S) * DAY_S;
  while (weekday(day) === 0 || weekday(day) === 6 || holiday(day)) day += DAY_S;
  const hour = chance(rng, 0.6) ? uniform(rng, 8.5, 11.75) : uniform(rng, 14, 17.5);
  return day + Math.floor(hour * HOUR_S);
}

/** Yields every check result of the history in time order. */
export function* generateChecks(input: CheckInput): Generator<CheckLine> {
  const { rng, catalogs } = input;
  const endDay = parseLocalDate(input.end);
  const endT = endDay + DAY_S - 1;
  const first = catalogs[0] ? parseLocalDate(catalogs[0].effectiveFrom) : endDay;
  const startDay = Math.max(endDay - (CHECK_HISTORY_DAYS - 1) * DAY_S, first);
  if (startDay > endDay) return;

  const visits: { t: number; place: CheckPlace; sloppy: number }[] = [];
  for (const place of input.places) {
    if (place.kind !== 'market' && chance(rng, NEVER_VISITED)) continue;
    const every = (VISIT_EVERY_DAYS[place.kind] ?? DEFAULT_EVERY_DAYS) * uniform(rng, 0.7, 1.8);
    // How often this point fails an item with nothing reported: some are kept better than others.
    const sloppy = uniform(rng, 0.02, 0.16);
    let t = startDay + uniform(rng, 0, every) * DAY_S;
    while (true) {
      const at = visitTime(rng, t);
      if (at > endT) break;
      visits.push({ t: at, place, sloppy });
      t = at + every * (inCampaign(at) ? 0.6 : 1) * uniform(rng, 0.6, 1.4) * DAY_S;
    }
  }
  visits.sort((a, b) => a.t - b.t || a.place.id.localeCompare(b.place.id));

  for (const { t, place, sloppy } of visits) {
    const catalog = catalogInForce(catalogs, formatDate(t));
    const type = catalog?.pointTypes.find((p) => p.id === place.kind);
    if (!type) continue;
    const open = (input.problems.get(place.id) ?? []).filter((p) => p.fromS <= t && t < p.toS);
    const refs = new Set<string>();
    const items: CheckLine['items'] = type.items.map((item) => {
      const seen = open.filter((p) => item.categories.includes(p.category) && chance(rng, SEEN_OPEN));
      for (const p of seen) refs.add(p.id);
      const fails = seen.length > 0 || chance(rng, sloppy);
      const rule = item.rule;
      if (rule.kind === 'pass-fail') {
        if (!fails && chance(rng, 0.01)) return { itemId: item.id, result: 'na' };
        return { itemId: item.id, result: fails ? 'fail' : 'pass' };
      }
      const canFail = rule.kind === 'rate' || rule.min > 0;
      const result = fails && canFail ? 'fail' : 'pass';
      // Most inspectors count; some only tick the verdict.
      if (!chance(rng, 0.85)) return { itemId: item.id, result };
      const value =
        rule.kind === 'count'
          ? result === 'pass'
            ? rule.min + intBetween(rng, 0, 4)
            : intBetween(rng, 0, rule.min - 1)
          : Math.round((result === 'pass' ? uniform(rng, rule.min, 1) : uniform(rng, Math.max(0, rule.min - 0.25), rule.min - 0.01)) * 100) / 100;
      return { itemId: item.id, result, value };
    });
    const jitter = () => (rng() - 0.5) * 0.0001;
    const line: CheckLine = {
      id: uuid(rng),
      pointId: place.id,
      at: formatLocal(t),
      lngLat: [Math.round((place.at[0] + jitter()) * 1e7) / 1e7, Math.round((place.at[1] + jitter()) * 1e7) / 1e7],
      items,
      inspector: pick(rng, input.inspectors[place.subdistrict] ?? ['区创城办督查组']),
    };
    if (refs.size > 0) line.problemIds = [...refs];
    yield line;
  }
}
