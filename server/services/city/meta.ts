import { NoCityError } from '../../errors';
import type { Catalog } from '../../contract/catalog';
import type { MediaLimits, Meta } from '../../contract/meta';
import { PROBLEM_STATUSES } from '../../contract/problems';
import type { Store } from '../../store/index';
import { catalogOf } from '../assessment/catalog';

/** Every point type of every version, by id, in catalog order, named as the newest version names it. */
function pointTypes(catalog: Catalog): Meta['pointTypes'] {
  const byId = new Map<string, Meta['pointTypes'][number]>();
  for (const v of catalog.assessment) for (const t of v.pointTypes) byId.set(t.id, { id: t.id, zh: t.zh, en: t.en });
  return [...byId.values()];
}

/**
 * Everything the client needs before the first map: city, counts, catalog, districts, subdistricts, units,
 * and the upload limits (`media`, from the workflow deps).
 * For a district account (`district`), the lists it may choose from are its district's: the filters and
 * forms offer nothing the server would answer empty for it.
 */
export async function buildMeta(store: Store, catalog: Catalog, media: MediaLimits, district: string | null = null): Promise<Meta> {
  const city = await store.getCity();
  if (!city) throw new NoCityError();
  const subdistricts = (await store.listSubdistricts()).filter((s) => !district || s.districtId === district);
  const mine = new Set(subdistricts.map((s) => s.id));
  return {
    city: {
      name: city.name,
      nameEn: city.nameEn,
      center: city.center,
      bbox: city.bbox,
      source: city.source,
      attribution: city.attribution,
    },
    counts: await store.counts(),
    categories: catalog.categories,
    pointTypes: pointTypes(await catalogOf(store, catalog)),
    statuses: [...PROBLEM_STATUSES],
    districts: (await store.listDistricts()).filter((d) => !district || d.id === district),
    subdistricts,
    units: (await store.listUnits()).filter((u) => !district || u.districtId === district),
    grids: (await store.gridNames()).filter((g) => !district || (g.subdistrictId !== null && mine.has(g.subdistrictId))),
    problemTimeRange: await store.problemTimeRange(),
    media,
  };
}
