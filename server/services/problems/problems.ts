import { problemFilter } from './filter';
import { NotFoundError } from '../../errors';
import type { Catalog } from '../../contract/catalog';
import { encodeCursor, LIMIT_DEFAULT, type ProblemCollection, type ProblemDetail, type ProblemQuery } from '../../contract/problems';
import type { Store } from '../../store/index';

/** The last version computed per store: one query per problems revision and passed deadline, not per request. */
const versions = new WeakMap<Store, { revision: number; fromMs: number; untilMs: number | null; version: string }>();

/**
 * What every problem answer (the GeoJSON pages, the problem tiles) says at `nowMs`, as a short string:
 * it changes when any problem changes (the store's problems revision) and when the clock passes an
 * assigned problem's deadline (it turns overdue), and only then. Answers of the same version, filter and
 * caller are the same bytes, so it keys their ETags.
 */
export async function problemsVersion(store: Store, nowMs: number): Promise<string> {
  const revision = await store.problemsRevision();
  const last = versions.get(store);
  // Valid from the instant it was computed up to and including the next deadline (overdue is `deadline < now`).
  if (last && last.revision === revision && nowMs >= last.fromMs && (last.untilMs === null || nowMs <= last.untilMs)) return last.version;
  const untilMs = await store.nextDeadlineMs(nowMs);
  const version = `${revision}.${untilMs === null ? 'x' : untilMs.toString(36)}`;
  versions.set(store, { revision, fromMs: nowMs, untilMs, version });
  return version;
}

const HEAD = Buffer.from('{"type":"FeatureCollection","features":[');

/**
 * One page of problems for a validated query, newest first, with the cursor of the next page, as the
 * UTF-8 bytes of a ProblemCollection (the store writes the features' JSON as one BLOB; we only frame it,
 * so the page never becomes a JS string).
 */
export async function listProblemsJson(store: Store, query: ProblemQuery, nowMs: number, redact = false): Promise<Buffer> {
  const { json, next } = await store.queryProblemsBytes(await problemFilter(store, query), {
    limit: query.limit ?? LIMIT_DEFAULT,
    cursor: query.cursor,
    nowMs,
    redact,
  });
  const nextCursor: ProblemCollection['nextCursor'] = next ? encodeCursor(next) : null;
  return Buffer.concat([HEAD, json, Buffer.from(`],"nextCursor":${JSON.stringify(nextCursor)}}`)]);
}

/** One problem with its category, subdistrict, unit and place resolved to names. */
export async function problemDetail(store: Store, catalog: Catalog, id: string, nowMs: number, redact = false): Promise<ProblemDetail> {
  const problem = await store.getProblem(id, nowMs);
  if (!problem) throw new NotFoundError(`There is no problem "${id}". Problem ids look like p000123; list them with GET /api/problems.`);
  const p = redact ? { ...problem.properties, description: '', reporter: '' } : problem.properties;
  const category = catalog.categories.find((c) => c.id === p.category);
  const place = p.placeId ? await store.getPlace(p.placeId) : null;
  return {
    ...problem,
    properties: {
      ...p,
      // A category missing from the catalog still shows, under its id.
      categoryName: category ? { zh: category.zh, en: category.en } : { zh: p.category, en: p.category },
      limit: category?.deadline ?? null,
      codes: category?.codes ?? [],
      subdistrictName: await store.subdistrictName(p.subdistrictId),
      unitName: await store.unitName(p.unitId),
      place: place ? { id: place.id, kind: place.kind, name: place.name } : null,
    },
  };
}
