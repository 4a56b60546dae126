import { toProblemFilter, type FilterResolver, type ProblemFilter, type ProblemFilterQuery } from '../../contract/problem-filter';
import type { Store } from '../../store/index';

export type FilterStore = Pick<Store, 'gridArea' | 'districtSubdistricts'>;

/**
 * What a query's grid and district filters need from the store (the grids' outlines, the districts'
 * subdistricts), read ahead: the contract builds the filter synchronously, in the browser as here.
 */
export async function filterResolver(store: FilterStore, q: { grid?: readonly string[]; district?: readonly string[] }): Promise<Partial<FilterResolver>> {
  const area = q.grid?.length ? await store.gridArea([...q.grid]) : null;
  const subdistricts = q.district?.length ? await store.districtSubdistricts(q.district) : null;
  return { ...(area && { gridArea: () => area }), ...(subdistricts && { districtSubdistricts: () => subdistricts }) };
}

/** The filter of `q`, its grids and districts resolved by the store. */
export async function problemFilter(store: FilterStore, q: ProblemFilterQuery): Promise<ProblemFilter> {
  return toProblemFilter(q, await filterResolver(store, q));
}
