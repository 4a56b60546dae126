/**
 * The 暗访片 (evidence reel) the leaders' meeting opens with: the problems of a period, a place or a unit,
 * each with its report photos and clips, in the order they were found; where rectified, the after photos
 * beside them. Photos appear as checked for public use (publicCopy): a blurred one by its blurred copy,
 * an excluded one never; `reviewed` keeps the unchecked ones out too.
 */
import { problemFilter } from '../problems/filter';
import type { Catalog } from '../../contract/catalog';
import { cityDate, DAY_MS, toCityIso } from '../../contract/city-time';
import { REEL_LIMIT_DEFAULT, type Reel, type ReelMedia, type ReelQuery, type ReelSlide } from '../../contract/reel';
import { NotFoundError, bilingual } from '../../errors';
import type { Store } from '../../store/index';
import type { ProblemMediaRow } from '../../store/media';
import { mediaUrls } from '../media/media';
import { publicCopy } from '../media/redaction';
import { ledgerRow } from '../problems/ledger';

/** What a problem's media give a slide: the shown ones, and how many were left out or are unchecked. */
function slideMedia(media: readonly ProblemMediaRow[], role: 'before' | 'after', reviewed: boolean) {
  const shown: ReelMedia[] = [];
  let left = 0;
  for (const m of media) {
    if (m.role !== role) continue;
    const hash = publicCopy(m);
    if (hash === null || (reviewed && !m.redaction)) {
      left++;
      continue;
    }
    const urls = mediaUrls(hash);
    const video = m.kind === 'video';
    shown.push({
      kind: m.kind,
      src: video ? urls.url : urls.screenUrl,
      thumbUrl: urls.thumbUrl,
      posterUrl: video ? urls.screenUrl : null,
      width: m.width,
      height: m.height,
      durationMs: video ? (m.durationMs ?? 0) : null,
      review: m.redaction ? (m.redaction.status === 'blurred' ? 'blurred' : 'clear') : 'unchecked',
    });
  }
  return { shown, left, unchecked: shown.filter((m) => m.review === 'unchecked').length };
}

/** Names of `ids` by `nameOf`; @throws NotFoundError naming the first that is none. */
async function namesOf(
  ids: readonly string[] | undefined,
  nameOf: (id: string) => Promise<string | null | undefined> | string | null | undefined,
  what: { zh: string; en: string },
): Promise<string[]> {
  const names: string[] = [];
  for (const id of ids ?? []) {
    const name = await nameOf(id);
    if (!name) throw new NotFoundError(bilingual(`没有${what.zh}“${id}”。`, `There is no ${what.en} "${id}"; GET /api/meta lists them.`));
    names.push(name);
  }
  return names;
}

/** The title card's line: the place (the narrowest named: units, else subdistricts, districts, the city) and the period. */
async function scopeOf(store: Store, q: ReelQuery, nowMs: number): Promise<string> {
  const districts = await store.listDistricts();
  const place = [
    await namesOf(q.unit, (id) => store.unitName(id), { zh: '责任单位', en: 'unit' }),
    await namesOf(q.subdistrict, (id) => store.subdistrictName(id), { zh: '街道', en: 'subdistrict' }),
    await namesOf(q.district, (id) => districts.find((d) => d.id === id)?.name, { zh: '区县', en: 'district' }),
  ].find((names) => names.length > 0) ?? [(await store.getCity())?.name ?? ''];
  const from = q.from === undefined ? null : cityDate(q.from);
  const to = cityDate(q.to ?? nowMs);
  const period = from === null ? `截至 ${to}` : from === to ? from : `${from} 至 ${to}`;
  return `${place.join('、')} · ${period}`;
}

/** `GET /api/screen/reel` (in the worker pool: two counts over the filter and the slides' media). */
export async function reel(store: Store, catalog: Catalog, q: ReelQuery, nowMs: number): Promise<Reel> {
  const scope = await scopeOf(store, q, nowMs);
  const reviewed = q.reviewed === '1';
  const found = await store.reelRows(await problemFilter(store, q), reviewed, q.limit ?? REEL_LIMIT_DEFAULT, nowMs);
  const colors = new Map(catalog.categories.map((c) => [c.id, c.color]));
  let unreviewed = 0;
  let excluded = 0;
  const slides: ReelSlide[] = await Promise.all(
    found.rows.map(async (db) => {
      const r = ledgerRow(db, catalog);
      const media = await store.problemMedia(r.id);
      const before = slideMedia(media, 'before', reviewed);
      const after = slideMedia(media, 'after', reviewed);
      unreviewed += before.unchecked + after.unchecked;
      excluded += before.left + after.left;
      const end = r.rectifiedAt ? Date.parse(r.rectifiedAt) : nowMs;
      return {
        id: r.id,
        category: r.category,
        categoryName: r.categoryName,
        color: colors.get(r.category) ?? '#888888',
        description: r.description,
        location: r.location,
        lngLat: [r.lng, r.lat],
        districtName: r.districtName,
        subdistrictName: r.subdistrictName,
        unitName: r.unitName,
        reportedAt: r.reportedAt,
        status: r.status,
        overdue: r.overdue,
        rectifiedAt: r.rectifiedAt,
        openDays: Math.max(0, Math.floor((end - Date.parse(r.reportedAt)) / DAY_MS)),
        before: before.shown,
        after: after.shown,
      };
    }),
  );
  return { now: toCityIso(nowMs), scope, matched: found.matched, withMedia: found.withMedia, slides, unreviewed, excluded };
}
