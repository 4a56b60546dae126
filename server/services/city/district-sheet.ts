/**
 * The city's districts from a sheet (区县与街道对照表): for a city whose district boundaries are not mapped,
 * the 创文办 lists which 街道 belongs to which 区/县, with the codes where it has them, and each district
 * becomes the union of its subdistricts. Two layouts are read, as cities keep them:
 *
 * - one row per subdistrict: 区县 (名称), 区县代码, 街道 (名称), 街道代码 — names or codes, either is enough;
 * - the 统计用区划代码 list itself: 区划代码 (统计用区划代码) and 名称, one row per area, a district's code ending
 *   in 000000 (371502000000) and its subdistricts' in 000 under the same first six digits (371502001000).
 *
 * A subdistrict is found by its code (12 digits, or the first 9 that name a township) or else by its name.
 * A row that names no subdistrict of the city, or a subdistrict that no row names, refuses the sheet: every
 * subdistrict must be in exactly one district. Nothing is written until the whole sheet is read and checked.
 */
import { featureCollection, feature, union } from '@turf/turf';
import type ExcelJS from 'exceljs';
import type { MultiPolygon, Polygon } from 'geojson';
import { DISTRICT_KINDS, type DistrictKind } from '../../contract/layers';
import { coordsBBox } from '../../geo/bbox';
import { bilingual, InputError } from '../../errors';
import type { Store } from '../../store/index';
import { assignUnitDistricts } from '../../store/districts';
import { bumpPlacesRevision, bumpRevision } from '../../store/revisions';
import { cellText } from '../assessment/catalog-sheet';
import { loadExcel } from '../problems/ledger';

/** A district as the sheet defines it: its subdistricts by id. */
export interface SheetDistrict {
  id: string;
  name: string;
  code: string;
  kind: DistrictKind;
  subdistrictIds: string[];
}

/** What applying the sheet would do; `problems` empty when it may be applied. */
export interface DistrictSheetPlan {
  districts: SheetDistrict[];
  /** Subdistrict codes the sheet sets (id → code), where they differ from the stored ones. */
  codes: Record<string, string>;
  problems: string[];
}

const HEADER_SEARCH_ROWS = 10;
const COLUMNS = {
  districtName: ['区县', '区县名称', '区', '县', '所属区县', '区/县', 'district'],
  districtCode: ['区县代码', '区县区划代码', 'districtcode'],
  subdistrictName: ['街道', '街道名称', '乡镇', '街道（乡镇）', '乡镇街道', 'subdistrict'],
  subdistrictCode: ['街道代码', '乡镇代码', '街道区划代码', 'subdistrictcode'],
  code: ['区划代码', '统计用区划代码', '代码', 'code'],
  name: ['名称', '单位名称', 'name'],
  kind: ['类型', '区县类型', 'kind'],
} as const;
type Column = keyof typeof COLUMNS;

const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();

/** 区 district, 县/县级市/旗 county, 开发区/高新区/新区/园区 zone; an explicit 类型 cell wins. */
function kindOf(name: string, given: string | undefined): DistrictKind {
  const g = given?.trim();
  if (g && (DISTRICT_KINDS as readonly string[]).includes(g)) return g as DistrictKind;
  if (g) return /开发|高新|新区|园区|zone/i.test(g) ? 'zone' : /县|市|旗|county/i.test(g) ? 'county' : 'district';
  if (/(开发区|高新区|新区|园区)$/.test(name)) return 'zone';
  if (/(县|市|旗)$/.test(name)) return 'county';
  return 'district';
}

/** The sheet's rows as cells by column, with the sheet row number; the header is the first row naming a known column pair. */
async function readRows(bytes: Uint8Array): Promise<{ sheet: string; rows: { row: number; cells: Partial<Record<Column, string>> }[] }> {
  const { Excel } = await loadExcel();
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new InputError(
      bilingual('无法读取该文件：请用 Excel 工作簿（.xlsx）；WPS 或 Excel 里“另存为 .xlsx”即可。', 'The file is no Excel workbook (.xlsx): save it as .xlsx.'),
      [{ path: 'file', message: 'not an .xlsx workbook' }],
    );
  }
  const ws: ExcelJS.Worksheet | undefined = wb.worksheets[0];
  if (!ws) throw new InputError(bilingual('工作簿里没有工作表。', 'The workbook has no sheet.'), [{ path: 'file', message: 'no sheet' }]);
  const aliases = new Map<string, Column>();
  for (const [col, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) for (const n of names) aliases.set(norm(n), col);
  let header: Map<Column, number> | null = null;
  let headerRow = 0;
  for (let r = 1; r <= Math.min(HEADER_SEARCH_ROWS, ws.rowCount) && !header; r++) {
    const found = new Map<Column, number>();
    ws.getRow(r).eachCell((cell, col) => {
      const c = aliases.get(norm(cellText(cell)));
      if (c && !found.has(c)) found.set(c, col);
    });
    const perRow = (found.has('districtName') || found.has('districtCode')) && (found.has('subdistrictName') || found.has('subdistrictCode'));
    if (perRow || (found.has('code') && found.has('name'))) [header, headerRow] = [found, r];
  }
  if (!header) {
    throw new InputError(
      bilingual(
        `「${ws.name}」前 ${HEADER_SEARCH_ROWS} 行里没有找到表头：需要“区县”和“街道”两列（名称或代码），或“区划代码”和“名称”两列（统计用区划代码表）。`,
        `No header in the first ${HEADER_SEARCH_ROWS} rows of "${ws.name}": it needs 区县 and 街道 columns (names or codes), or 区划代码 and 名称 (the 统计用区划代码 list).`,
      ),
      [{ path: `${ws.name}!1`, message: 'no header' }],
    );
  }
  const rows: { row: number; cells: Partial<Record<Column, string>> }[] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const cells: Partial<Record<Column, string>> = {};
    for (const [c, col] of header) {
      const t = cellText(ws.getRow(r).getCell(col)).trim();
      if (t !== '') cells[c] = t;
    }
    if (Object.keys(cells).length) rows.push({ row: r, cells });
  }
  return { sheet: ws.name, rows };
}

/**
 * Reads the sheet and matches it to the city's subdistricts: the districts it defines, the subdistrict codes
 * it sets, and every problem found (a row naming no subdistrict of the city, a subdistrict in two districts
 * or in none), each naming the row or the subdistrict.
 */
export async function planDistrictSheet(store: Store, bytes: Uint8Array): Promise<DistrictSheetPlan> {
  const { sheet, rows } = await readRows(bytes);
  const subdistricts = await store.listSubdistricts();
  const byCode = new Map<string, string>();
  for (const s of subdistricts) if (s.code.length >= 9) byCode.set(s.code.slice(0, 9), s.id);
  const byName = new Map(subdistricts.map((s) => [norm(s.name), s.id]));
  const problems: string[] = [];
  const districts = new Map<string, SheetDistrict>();
  const codes: Record<string, string> = {};
  const owner = new Map<string, string>();

  const districtFor = (name: string | undefined, code: string | undefined, kind: string | undefined, row: number): SheetDistrict | null => {
    const key = code ? code.slice(0, 6) : name ? norm(name) : '';
    if (!key) {
      problems.push(`${sheet}!${row}: the row names no district (区县)`);
      return null;
    }
    let d = districts.get(key);
    if (!d) {
      d = {
        id: code && /^\d{6}/.test(code) ? `dt${code.slice(0, 6)}` : `dt${String(districts.size + 1).padStart(2, '0')}`,
        name: name ?? code!,
        code: code ?? '',
        kind: kindOf(name ?? '', kind),
        subdistrictIds: [],
      };
      districts.set(key, d);
    } else if (name && d.name === d.code) d.name = name;
    return d;
  };
  const place = (d: SheetDistrict, sdName: string | undefined, sdCode: string | undefined, row: number) => {
    const id = (sdCode && byCode.get(sdCode.slice(0, 9))) ?? (sdName ? byName.get(norm(sdName)) : undefined);
    if (!id) {
      problems.push(`${sheet}!${row}: no subdistrict of this city is ${[sdName, sdCode].filter(Boolean).join(' / ')}`);
      return;
    }
    const before = owner.get(id);
    if (before && before !== d.id) {
      problems.push(`${sheet}!${row}: subdistrict ${sdName ?? id} is listed under two districts`);
      return;
    }
    owner.set(id, d.id);
    if (!d.subdistrictIds.includes(id)) d.subdistrictIds.push(id);
    const stored = subdistricts.find((s) => s.id === id)!;
    if (sdCode && /^\d{9,12}$/.test(sdCode) && sdCode !== stored.code) codes[id] = sdCode.padEnd(12, '0');
  };

  const codeList = rows.some((r) => r.cells.code !== undefined) && !rows.some((r) => r.cells.subdistrictName || r.cells.subdistrictCode);
  if (codeList) {
    // The 统计用区划代码 list: districts first by their codes, then each township under its district's six digits.
    for (const { row, cells } of rows) {
      const code = cells.code?.replace(/\D/g, '') ?? '';
      if (/^\d{6}0{6}$/.test(code) && !/^\d{4}00/.test(code)) districtFor(cells.name, code, cells.kind, row);
    }
    for (const { row, cells } of rows) {
      const code = cells.code?.replace(/\D/g, '') ?? '';
      if (!/^\d{9}000$/.test(code) || /^\d{6}000/.test(code)) continue;
      const d = districts.get(code.slice(0, 6));
      if (!d) problems.push(`${sheet}!${row}: ${cells.name ?? code} (${code}) lies under no district row of the sheet (${code.slice(0, 6)}000000)`);
      else place(d, cells.name, code, row);
    }
  } else {
    for (const { row, cells } of rows) {
      const d = districtFor(cells.districtName, cells.districtCode?.replace(/\D/g, ''), cells.kind, row);
      if (d) place(d, cells.subdistrictName, cells.subdistrictCode?.replace(/\D/g, ''), row);
    }
  }
  for (const s of subdistricts) if (!owner.has(s.id)) problems.push(`subdistrict ${s.name} (${s.id}) is in no district of the sheet`);
  for (const d of districts.values()) if (d.subdistrictIds.length === 0) problems.push(`district ${d.name} has no subdistrict of this city`);
  return { districts: [...districts.values()].filter((d) => d.subdistrictIds.length > 0), codes, problems };
}

/**
 * Writes a checked plan in one transaction: the districts (each the union of its subdistricts' outlines),
 * the subdistricts' districts and codes, the units' districts; moves the city's stamp and the revisions so
 * tiles, filters and rankings answer from the new districts.
 * @throws InputError when the plan has problems (they are the message).
 */
export function applyDistrictSheet(store: Store, plan: DistrictSheetPlan): void {
  if (plan.problems.length) {
    throw new InputError(
      bilingual(
        `区县对照表有 ${plan.problems.length} 处问题，未作任何修改：${plan.problems.slice(0, 10).join('；')}`,
        `The district sheet has ${plan.problems.length} problem(s); nothing was changed: ${plan.problems.slice(0, 10).join('; ')}`,
      ),
      plan.problems.slice(0, 50).map((message) => ({ path: 'file', message })),
    );
  }
  const db = store.db;
  const geometryOf = db.prepare<[string], { geometry: string }>('SELECT geometry FROM subdistricts WHERE id = ?');
  const shapes = plan.districts.map((d) => {
    const parts = d.subdistrictIds.map((id) => feature(JSON.parse(geometryOf.get(id)!.geometry) as Polygon | MultiPolygon));
    const merged = parts.length === 1 ? parts[0] : union(featureCollection(parts));
    return merged!.geometry;
  });
  db.transaction(() => {
    db.exec('DELETE FROM districts; DELETE FROM districts_rtree;');
    const insert = db.prepare('INSERT INTO districts (rid, id, name, code, kind, geometry) VALUES (?, ?, ?, ?, ?, ?)');
    const box = db.prepare('INSERT INTO districts_rtree (rid, min_x, max_x, min_y, max_y) VALUES (?, ?, ?, ?, ?)');
    const setDistrict = db.prepare('UPDATE subdistricts SET district_id = ? WHERE id = ?');
    const setCode = db.prepare('UPDATE subdistricts SET code = ? WHERE id = ?');
    plan.districts.forEach((d, i) => {
      const [w, s, e, n] = coordsBBox(shapes[i].coordinates)!;
      insert.run(i + 1, d.id, d.name, d.code, d.kind, JSON.stringify(shapes[i]));
      box.run(i + 1, w, e, s, n);
      for (const sd of d.subdistrictIds) setDistrict.run(d.id, sd);
    });
    for (const [id, code] of Object.entries(plan.codes)) setCode.run(code, id);
    db.exec('UPDATE units SET district_id = NULL');
    assignUnitDistricts(db);
    // The basemap's boundaries, and every answer filtered or ranked by district, are made again.
    db.prepare('UPDATE city SET stamp = ?').run(`${new Date().toISOString()}/districts`);
    bumpRevision(db, 'problems', 'all');
    bumpPlacesRevision(db);
  })();
}
