/**
 * Catalog versions the administrator imports from a workbook (catalog-sheet.ts), kept in the database
 * beside the shipped files (catalogOf merges them). A version scores from its effective day on; that
 * day may not be in the past, so what was scored stays scored under the version of its day.
 */
import type { CatalogImported } from '../../contract/assessment';
import { cityDate, toCityIso } from '../../contract/city-time';
import type { Catalog } from '../../contract/catalog';
import { AppError, bilingual, InputError } from '../../errors';
import type { AppPool } from '../../pool/app-pool';
import type { Store } from '../../store/index';
import { catalogOf } from './catalog';
import { flattenIndicators } from '../../contract/assessment';

export interface CatalogImportDeps {
  store: Store;
  catalog: Catalog;
  pool: AppPool;
  now(): number;
}

/**
 * `POST /api/assessment/catalog`: reads the workbook (in the pool: exceljs), checks it, stores it.
 * @throws InputError (400) naming sheet and row; AppError 409 for a version name or day already taken.
 */
export async function importCatalogVersion(deps: CatalogImportDeps, bytes: Uint8Array, who: string): Promise<CatalogImported> {
  const c = await deps.pool.run('assessment.catalog.parse', { bytes, categoryIds: deps.catalog.categories.map((k) => k.id) });
  const today = cityDate(deps.now());
  if (c.effectiveFrom < today)
    throw new InputError(
      bilingual(
        `“目录”页的生效日期 ${c.effectiveFrom} 已经过去：新版本只能从今天（${today}）或以后施行，已有的得分仍按当时的版本。`,
        `Invalid 目录 生效日期: ${c.effectiveFrom} is in the past; a new version scores from today (${today}) or later, so the scores already made keep the version they were made under`,
      ),
      [{ path: '目录', message: `生效日期 ${c.effectiveFrom} is before today (${today})` }],
    );
  const taken = (await catalogOf(deps.store, deps.catalog)).assessment.find((v) => v.version === c.version || v.effectiveFrom === c.effectiveFrom);
  if (taken)
    throw new AppError(
      409,
      bilingual(
        `已有目录版本 ${taken.version}（${taken.effectiveFrom} 起施行）；新版本请使用新的版本号和生效日期。`,
        `Catalog version ${taken.version} (in force from ${taken.effectiveFrom}) already exists; give the new one its own 版本 and 生效日期.`,
      ),
    );
  await deps.store.insertCatalogVersion(c, toCityIso(deps.now()), who);
  return {
    version: c.version,
    name: c.name,
    effectiveFrom: c.effectiveFrom,
    pointTypes: c.pointTypes.length,
    items: c.pointTypes.reduce((a, t) => a + t.items.length, 0),
    indicators: flattenIndicators(c.indicators).length,
  };
}
