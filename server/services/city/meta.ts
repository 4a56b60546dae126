import { NoCityError } from '../../errors';
import type { Catalog } from '../../contract/catalog';
import type { Meta } from '../../contract/meta';
import { PROBLEM_STATUSES } from '../../contract/problems';
import type { Store } from '../../store/index';

/** Everything the client needs before the first map: city, counts, catalog, subdistricts, units. */
export function buildMeta(store: Store, catalog: Catalog): Meta {
  const city = store.getCity();
  if (!city) throw new NoCityError();
  return {
    city: {
      name: city.name,
      nameEn: city.nameEn,
      center: city.center,
      bbox: city.bbox,
      source: city.source,
      attribution: city.attribution,
    },
    counts: store.counts(),
    categories: catalog.categories,
    statuses: [...PROBLEM_STATUSES],
    subdistricts: store.listSubdistricts(),
    units: store.listUnits(),
    problemTimeRange: store.problemTimeRange(),
  };
}
