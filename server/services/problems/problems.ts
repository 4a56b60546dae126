import { NotFoundError } from '../../errors';
import type { Catalog } from '../../contract/catalog';
import { encodeCursor, LIMIT_DEFAULT, type ProblemCollection, type ProblemDetail, type ProblemQuery, toProblemFilter } from '../../contract/problems';
import type { Store } from '../../store/index';

/**
 * One page of problems for a validated query, newest first, with the cursor of the next page, as the
 * JSON text of a ProblemCollection (the store writes each feature's JSON; we only join them).
 */
export function listProblemsJson(store: Store, query: ProblemQuery, nowMs: number, redact = false): string {
  const { features, next } = store.queryProblems(toProblemFilter(query), {
    limit: query.limit ?? LIMIT_DEFAULT,
    cursor: query.cursor,
    nowMs,
    redact,
  });
  const nextCursor: ProblemCollection['nextCursor'] = next ? encodeCursor(next) : null;
  return `{"type":"FeatureCollection","features":[${features.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`;
}

/** One problem with its category, subdistrict, unit and place resolved to names. */
export function problemDetail(store: Store, catalog: Catalog, id: string, nowMs: number, redact = false): ProblemDetail {
  const problem = store.getProblem(id, nowMs);
  if (!problem) throw new NotFoundError(`There is no problem "${id}". Problem ids look like p000123; list them with GET /api/problems.`);
  const p = redact ? { ...problem.properties, description: '', reporter: '' } : problem.properties;
  const category = catalog.categories.find((c) => c.id === p.category);
  const place = p.placeId ? store.getPlace(p.placeId) : null;
  return {
    ...problem,
    properties: {
      ...p,
      // A category missing from the catalog still shows, under its id.
      categoryName: category ? { zh: category.zh, en: category.en } : { zh: p.category, en: p.category },
      subdistrictName: store.subdistrictName(p.subdistrictId),
      unitName: store.unitName(p.unitId),
      place: place ? { id: place.id, kind: place.kind, name: place.name } : null,
    },
  };
}
