/**
 * Tour mode (`/screen?tour=1&interval=20`): which places the wall flies to, in what order, and the
 * caption saying why each is shown. Stops are the period's top hot spots (hot cells with the most
 * problems, the lasting and growing emerging classes first, then cells where problems cluster
 * significantly; alternating with the sites that came back most often) and the worst-ranked
 * subdistricts of the 红黑榜, interleaved, then the overview. Pure: data in, stops out; ScreenMap does
 * the flying.
 */
import type { HotspotClassName } from '../../../../server/contract/hotspots';
import type { ScreenPeriod } from './screen-url';
import type { LngLat } from '../../../../server/contract/geo';

type BBox = [number, number, number, number];

/** Text in both languages (the screen's `?lang=` picks one). */
export interface Bilingual {
  zh: string;
  en: string;
}

/** Where the camera goes: a point at a zoom, or an area to fit. */
export type TourTarget = { center: LngLat; zoom: number } | { bbox: BBox };

export interface TourStop {
  /** Stable across refreshes for the same place (`cell:…`, `sd:…`, `overview`). */
  key: string;
  kind: 'hotspot' | 'site' | 'subdistrict' | 'overview';
  target: TourTarget;
  /** Short heading, e.g. 热点 1. */
  title: Bilingual;
  /** Why it is shown, in plain words. */
  caption: Bilingual;
}

/** A hot cell of GET /api/hotspots with what the captions need. */
export interface TourCell {
  h3: string;
  center: LngLat;
  count: number;
  class: HotspotClassName;
  hotWeeks: number;
  /** Gi* of the cell's count over the period, and whether it is significant (after BH). */
  z: number;
  significant: boolean;
  /** Commonest category inside the cell in the period, with its count. */
  topCategory: { zh: string; en: string; count: number } | null;
  subdistrictName: string | null;
}

/** A recurring site of GET /api/recurring with what the captions need. */
export interface TourSite {
  id: string;
  lngLat: LngLat;
  recurrences: number;
  reports: number;
  category: { zh: string; en: string } | null;
  subdistrictName: string | null;
}

/** A row of GET /api/rankings?by=subdistrict with its area. */
export interface TourSubdistrict {
  id: string;
  name: string;
  rank: number;
  overdue: number;
  onTimeRate: number | null;
  found: number;
  bbox: BBox | null;
}

export interface TourInput {
  period: Pick<ScreenPeriod, 'token' | 'from' | 'to'>;
  cells: readonly TourCell[];
  /** Recurring sites, most recurrences first (as the API gives them). */
  sites?: readonly TourSite[];
  /** Ranking rows, best first (as the API gives them). */
  ranking: readonly TourSubdistrict[];
  overview: { bbox: BBox; name: string; problems: number };
  maxHotspots?: number;
  maxSubdistricts?: number;
}

export const TOUR_MAX_HOTSPOTS = 3;
export const TOUR_MAX_SUBDISTRICTS = 3;
/** A cell is about 350 m across at H3 resolution 9: this zoom shows it with its streets named. */
export const HOTSPOT_ZOOM = 15.5;
/** A recurring site is a spot (30 m): closer, so the shops and the lane around it are named. */
export const SITE_ZOOM = 16.5;

/**
 * Hot classes worth a stop, in order of concern: a place that keeps or grows hot needs action more than
 * one that is cooling or came and went.
 */
const CLASS_PRIORITY: Partial<Record<HotspotClassName, number>> = {
  'intensifying-hot': 0,
  'persistent-hot': 1,
  'consecutive-hot': 2,
  'new-hot': 3,
  'oscillating-hot': 4,
  'sporadic-hot': 5,
  'diminishing-hot': 6,
  'historical-hot': 7,
};

/** Is the cell a hot spot: a hot emerging class, or a significant cluster (Gi* z > 0) without one? */
export function isHotCell(c: Pick<TourCell, 'class' | 'significant' | 'z' | 'count'>): boolean {
  return c.count > 0 && (CLASS_PRIORITY[c.class] !== undefined || (c.class === 'no-pattern' && c.significant && c.z > 0));
}

/**
 * The top hot cells: lasting or growing classes first (intensifying, persistent, consecutive, new), then
 * every other hot cell (a passing class or a significant cluster without one); most problems first
 * within each group.
 */
export function topHotCells(cells: readonly TourCell[], n: number): TourCell[] {
  const hot = cells.filter(isHotCell);
  const group = (c: TourCell) => {
    const p = CLASS_PRIORITY[c.class];
    return p !== undefined && p <= 3 ? 0 : 1;
  };
  return hot.sort((a, b) => group(a) - group(b) || b.count - a.count || a.h3.localeCompare(b.h3)).slice(0, n);
}

/** The worst `n` of a ranking (best-first rows), worst first, that have an area to fly to. */
export function worstSubdistricts(rows: readonly TourSubdistrict[], n: number): TourSubdistrict[] {
  return rows
    .filter((r) => r.bbox !== null)
    .slice()
    .sort((a, b) => b.rank - a.rank)
    .slice(0, n);
}

/**
 * The tour: hot spot, subdistrict, hot spot, subdistrict …, then the overview (always last). The hot
 * spots alternate between hot cells and recurring sites (cell, site, cell …), `maxHotspots` in all.
 */
export function buildTour(input: TourInput): TourStop[] {
  const max = input.maxHotspots ?? TOUR_MAX_HOTSPOTS;
  const cells = topHotCells(input.cells, max);
  const sites = (input.sites ?? []).filter((s) => s.recurrences > 0).slice(0, max);
  const spots: TourStop[] = [];
  for (let i = 0; spots.length < max && (i < cells.length || i < sites.length); i++) {
    if (i < cells.length) spots.push(hotspotStop(cells[i], spots.length + 1));
    if (i < sites.length && spots.length < max) spots.push(siteStop(sites[i], spots.length + 1));
  }
  const total = input.ranking.length;
  const worst = worstSubdistricts(input.ranking, input.maxSubdistricts ?? TOUR_MAX_SUBDISTRICTS);
  const stops: TourStop[] = [];
  for (let i = 0; i < Math.max(spots.length, worst.length); i++) {
    if (i < spots.length) stops.push(spots[i]);
    if (i < worst.length) stops.push(subdistrictStop(worst[i], total));
  }
  const p = periodLabel(input.period);
  stops.push({
    key: 'overview',
    kind: 'overview',
    target: { bbox: input.overview.bbox },
    title: { zh: `${input.overview.name} 全景`, en: `${input.overview.name} overview` },
    caption: { zh: `${p.zh}共发现问题 ${input.overview.problems} 起`, en: `${input.overview.problems} problems found ${p.en}` },
  });
  return stops;
}

function siteStop(s: TourSite, n: number): TourStop {
  const zh = [`反复出现 ${s.recurrences} 次`];
  const en = [`Came back ${s.recurrences} time${s.recurrences === 1 ? '' : 's'} after closing`];
  if (s.category) {
    zh.push(`${s.category.zh} ${s.reports} 起`);
    en.push(`${s.category.en}: ${s.reports}`);
  }
  if (s.subdistrictName) {
    zh.push(s.subdistrictName);
    en.push(s.subdistrictName);
  }
  return {
    key: `site:${s.id}`,
    kind: 'site',
    target: { center: s.lngLat, zoom: SITE_ZOOM },
    title: { zh: `热点 ${n} · 反复点位`, en: `Hot spot ${n} · recurring site` },
    caption: { zh: zh.join(' · '), en: en.join(' · ') },
  };
}

function hotspotStop(c: TourCell, n: number): TourStop {
  const why = CLASS_PRIORITY[c.class] === undefined ? { zh: '问题显著集中', en: 'Problems cluster here significantly' } : classWords(c.class, c.hotWeeks);
  const zh = [why.zh];
  const en = [why.en];
  if (c.topCategory) {
    zh.push(`${c.topCategory.zh} ${c.topCategory.count} 起`);
    en.push(`${c.topCategory.en}: ${c.topCategory.count}`);
  }
  zh.push(`共 ${c.count} 起`);
  en.push(`${c.count} problems in all`);
  if (c.subdistrictName) {
    zh.push(c.subdistrictName);
    en.push(c.subdistrictName);
  }
  return {
    key: `cell:${c.h3}`,
    kind: 'hotspot',
    target: { center: c.center, zoom: HOTSPOT_ZOOM },
    title: { zh: `热点 ${n}`, en: `Hot spot ${n}` },
    caption: { zh: zh.join(' · '), en: en.join(' · ') },
  };
}

/** The emerging hot-spot class in plain words. */
export function classWords(cls: HotspotClassName, hotWeeks: number): Bilingual {
  switch (cls) {
    case 'consecutive-hot':
      return { zh: `连续 ${hotWeeks} 周热点`, en: `Hot ${hotWeeks} weeks running` };
    case 'persistent-hot':
      return { zh: `持续热点（${hotWeeks} 周为热点）`, en: `Persistent hot spot (hot ${hotWeeks} weeks)` };
    case 'intensifying-hot':
      return { zh: `热点加剧（${hotWeeks} 周为热点，且越来越多）`, en: `Intensifying hot spot (hot ${hotWeeks} weeks and rising)` };
    case 'new-hot':
      return { zh: '新出现的热点', en: 'New hot spot' };
    case 'oscillating-hot':
      return { zh: `冷热交替的热点（${hotWeeks} 周为热点）`, en: `Oscillating hot spot (hot ${hotWeeks} weeks)` };
    case 'sporadic-hot':
      return { zh: `时有时无的热点（${hotWeeks} 周为热点）`, en: `Sporadic hot spot (hot ${hotWeeks} weeks)` };
    case 'diminishing-hot':
      return { zh: `热点减弱中（${hotWeeks} 周为热点）`, en: `Diminishing hot spot (hot ${hotWeeks} weeks)` };
    case 'historical-hot':
      return { zh: `曾经的热点（${hotWeeks} 周为热点）`, en: `Former hot spot (hot ${hotWeeks} weeks)` };
    default:
      return { zh: '热点', en: 'Hot spot' };
  }
}

function subdistrictStop(r: TourSubdistrict, total: number): TourStop {
  const place = total - r.rank + 1;
  const zhPlace = place === 1 ? '红黑榜末位' : `红黑榜倒数第 ${place}`;
  const enPlace = place === 1 ? 'Last in the ranking' : `${ordinal(place)} from last in the ranking`;
  const rate = r.onTimeRate === null ? null : `${Math.round(r.onTimeRate * 100)}%`;
  return {
    key: `sd:${r.id}`,
    kind: 'subdistrict',
    target: { bbox: r.bbox! },
    title: { zh: r.name, en: r.name },
    caption: {
      zh: [zhPlace, `逾期 ${r.overdue} 件`, rate === null ? '暂无到期问题' : `按期整改率 ${rate}`].join(' · '),
      en: [enPlace, `${r.overdue} overdue`, rate === null ? 'nothing due yet' : `${rate} rectified on time`].join(' · '),
    },
  };
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}

/** The period in words: 近 12 周 / over the last 12 weeks. */
export function periodLabel(p: Pick<ScreenPeriod, 'token' | 'from' | 'to'>): Bilingual {
  const rel = /^(\d+)([dw])$/.exec(p.token);
  if (rel) {
    const n = Number(rel[1]);
    return rel[2] === 'd'
      ? { zh: `近 ${n} 天`, en: `over the last ${n} day${n === 1 ? '' : 's'}` }
      : { zh: `近 ${n} 周`, en: `over the last ${n} week${n === 1 ? '' : 's'}` };
  }
  switch (p.token) {
    case 'week':
      return { zh: '本周', en: 'this week' };
    case 'month':
      return { zh: '本月', en: 'this month' };
    case 'quarter':
      return { zh: '本季度', en: 'this quarter' };
    case 'year':
      return { zh: '今年', en: 'this year' };
    default:
      return { zh: `${p.from} 至 ${p.to}`, en: `from ${p.from} to ${p.to}` };
  }
}

/** The stop after `index` (wraps to the first: a new cycle, when the data is fetched afresh). */
export function nextIndex(index: number, length: number): number {
  return length <= 0 ? 0 : (index + 1) % length;
}

/**
 * How long the camera flies to a stop, ms: about a third of the interval, so the caption is read with
 * the map still, between 1.5 s and 6 s (a longer flight makes a wall seasick; a shorter one jumps).
 */
export function flyDurationMs(intervalS: number): number {
  return Math.round(Math.min(6000, Math.max(1500, (intervalS * 1000) / 3)));
}
