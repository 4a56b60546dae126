/**
 * The outlines of the 网格 a filter names, as the area the browser's own masks test (the server resolves
 * the same ids from its store): loaded from `GET /api/grids` when a grid is chosen.
 */
import { listGrids } from '../api/grids';
import { filterArea, type FilterArea } from '../../../server/contract/problem-filter';
import { useRequest, type RequestState } from './use-request';

/** The area of grids `ids` (null data: no grid chosen); the request's state while it loads or fails. */
export function useGridArea(ids: readonly string[]): RequestState<FilterArea | null> {
  const key = [...ids].sort().join(',');
  return useRequest<FilterArea | null>(
    key
      ? async (signal) => {
          const wanted = new Set(key.split(','));
          const grids = (await listGrids(signal)).features.filter((g) => wanted.has(g.id));
          return filterArea(
            grids.map((g) => g.geometry),
            grids.map((g) => `${g.id}@${g.properties.version}`).join(','),
          );
        }
      : null,
    [key],
  );
}
