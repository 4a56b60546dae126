/**
 * The 点位信息表: the city's inspection points as the sheet cities hand the assessors before the 暗访, one
 * row per point in the columns they submit (and its 点位编号, so the sheet edited by hand imports back onto
 * the same points: registry-import.ts), grouped by subdistrict and type. Runs in the worker pool
 * (exceljs' load alone is ~0.5 s).
 */
import type { Geometry } from '../../contract/geojson';
import { pointMarker } from '../../contract/geo';
import { cityDate } from '../../contract/city-time';
import { REGISTRY_COLUMNS, type RegistryExportQuery } from '../../contract/places';
import type { Catalog } from '../../contract/catalog';
import { InputError } from '../../errors';
import type { Store } from '../../store/index';
import { assessmentOn, catalogOf } from '../assessment/catalog';
import { loadExcel } from '../problems/ledger';

/**
 * Point type names of the catalog in force today, by id.
 * @throws InputError when `kind` is given and is no type of it (checked before the work goes to the pool).
 */
export async function registryTypeNames(store: Store, base: Catalog, kind: string | undefined, nowMs: number): Promise<Map<string, string>> {
  const version = assessmentOn(await catalogOf(store, base), cityDate(nowMs));
  const names = new Map(version.pointTypes.map((t) => [t.id, t.zh]));
  if (kind && !names.has(kind)) {
    throw new InputError(`Invalid query.kind: there is no point type "${kind}" in catalog ${version.version}; the types are ${[...names.keys()].join(', ')}`, [
      { path: 'query.kind', message: 'unknown point type' },
    ]);
  }
  return names;
}

/** The workbook: a title row naming the city and the day, the header, then the points. */
export async function registryXlsx(store: Store, base: Catalog, q: RegistryExportQuery, nowMs: number, district?: string): Promise<Uint8Array<ArrayBuffer>> {
  const today = cityDate(nowMs);
  const typeName = await registryTypeNames(store, base, q.kind, nowMs);
  // A district office's sheet holds its district's points, and says so in its title.
  const within = district ? await store.districtSubdistricts([district]) : undefined;
  const rows = await store.registryRows({ ...q, within });
  const { Excel } = await loadExcel();
  const wb = new Excel.Workbook();
  wb.creator = 'Xuncha';
  const ws = wb.addWorksheet('点位信息表', { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = [6, 16, 28, 30, 14, 26, 12, 12, 12, 16, 13, 12, 14].map((width) => ({ width }));
  const city = (district ? (await store.listDistricts()).find((d) => d.id === district)?.name : undefined) ?? (await store.getCity())?.name ?? '';
  const scope = [q.subdistrict ? rows[0]?.subdistrictName : null, q.kind ? typeName.get(q.kind) : null].filter(Boolean).join(' · ');
  ws.addRow([`${city}实地考察点位信息表${scope ? `（${scope}）` : ''}　${today}　共 ${rows.length} 个点位`]).font = { bold: true, size: 13 };
  ws.mergeCells(1, 1, 1, REGISTRY_COLUMNS.length);
  ws.addRow([...REGISTRY_COLUMNS]).font = { bold: true };
  rows.forEach((r, i) => {
    const [lng, lat] = pointMarker(JSON.parse(r.geometry) as Geometry, r.entrance ? (JSON.parse(r.entrance) as [number, number]) : null);
    ws.addRow([
      i + 1,
      typeName.get(r.kind) ?? r.kind,
      r.name,
      r.address,
      r.subdistrictName,
      r.unitName,
      r.leaderName,
      r.keeper,
      r.contact,
      r.phone,
      lng,
      lat,
      r.id,
    ]);
  });
  ws.getColumn(11).numFmt = '0.0000000';
  ws.getColumn(12).numFmt = '0.0000000';
  return new Uint8Array(await wb.xlsx.writeBuffer()) as Uint8Array<ArrayBuffer>;
}
