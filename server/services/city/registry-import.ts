/**
 * The 点位信息表 imported again: the clerk exports the registry, edits the sheet by hand (a contact
 * changed, a market moved, a row added or deleted) and brings it back. Rows are matched to the points
 * they stand for, the differences listed (the dry run), and applied as registry edits in one
 * transaction, so each change has its history entry and a bad row leaves the registry as it was.
 *
 * Reading the workbook and matching its rows run in the worker pool (exceljs, a lookup or two per row);
 * the writes run on the main thread, the single writer, and check each point's version again, so a point
 * changed between the plan and the write is a 409, not lost.
 */
import type ExcelJS from 'exceljs';
import type { z } from 'zod';
import { distanceM, pointMarker, type LngLat } from '../../contract/geo';
import { PlaceCreateBody, PlacePatchBody, REGISTRY_COLUMNS, type RegistryImportResult } from '../../contract/places';
import type { Catalog } from '../../contract/catalog';
import { bilingual, InputError } from '../../errors';
import type { Store } from '../../store/index';
import type { PlaceState } from '../../store/places';
import { degreesAround } from '../../workflow/nearby';
import { cellText } from '../assessment/catalog-sheet';
import { loadExcel } from '../problems/ledger';
import { createPlace, editableTypes, patchPlace, restorePlace, retirePlace } from './place-edits';
import { registryTypeNames } from './registry-sheet';

type Column = (typeof REGISTRY_COLUMNS)[number];

/** One row of the sheet: its cells by column, the coordinates as numbers (null when empty). */
export interface SheetRow {
  row: number;
  cells: Partial<Record<Column, string>>;
  lng: number | null;
  lat: number | null;
}

export interface RegistrySheet {
  /** The worksheet's name, for the row references of errors. */
  sheet: string;
  rows: SheetRow[];
  /** Whether the sheet has the 点位编号 column: then it is the full list of the points it covers. */
  hasIds: boolean;
}

/** Other spellings of the columns people type (a sheet made by hand rather than exported). */
const ALIASES: Record<string, Column> = { 类型: '点位类型', 点位名称: '名称', 街道: '所属街道', 电话: '联系电话', 编号: '点位编号', id: '点位编号' };

/** The header is looked for this far down (the export has a title row above it). */
const HEADER_SEARCH_ROWS = 5;
/** More rows than any city's registry: a wrong file (a ledger, a road list). */
const MAX_ROWS = 20_000;
/** A row names the same point as a registry point of its type and name this close (metres): the sheet's own points, moved a little. */
const MATCH_M = 200;
/** Coordinates closer than this to the point's marker are where it is: the sheet's rounding, not a move. */
const MOVE_TOLERANCE_M = 0.5;

const rowRef = (sheet: string, row: number) => `${sheet}!${row}`;

function rowError(sheet: string, row: number, zh: string, en: string): InputError {
  return new InputError(bilingual(`第 ${row} 行：${zh}`, `Row ${row}: ${en}`), [{ path: rowRef(sheet, row), message: en }]);
}

function coordinate(cell: ExcelJS.Cell): number | null {
  const v = cell.value;
  if (typeof v === 'number') return v;
  const t = cellText(cell);
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : NaN;
}

/**
 * Reads the 点位信息表 (the sheet named so, else the first): the header is the first row with a 名称
 * column, and the rows under it until the end, empty rows skipped.
 * @throws InputError naming what is missing, or the row that cannot be read.
 */
export async function parseRegistrySheet(bytes: Uint8Array): Promise<RegistrySheet> {
  const { Excel } = await loadExcel();
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new InputError(
      bilingual(
        '无法读取该文件：请上传 Excel 工作簿（.xlsx），例如“导出点位信息表”得到的表格；WPS 或 Excel 里“另存为 .xlsx”即可。',
        'The file is no Excel workbook (.xlsx): upload the 点位信息表 as exported, edited and saved as .xlsx.',
      ),
      [{ path: 'form.file', message: 'not an .xlsx workbook' }],
    );
  }
  const ws = wb.getWorksheet('点位信息表') ?? wb.worksheets[0];
  if (!ws) throw new InputError(bilingual('工作簿里没有工作表。', 'The workbook has no sheet.'), [{ path: 'form.file', message: 'no sheet' }]);

  const known = new Set<string>(REGISTRY_COLUMNS);
  let header: Map<Column, number> | null = null;
  let headerRow = 0;
  for (let r = 1; r <= Math.min(HEADER_SEARCH_ROWS, ws.rowCount) && !header; r++) {
    const found = new Map<Column, number>();
    ws.getRow(r).eachCell((cell, col) => {
      const t = cellText(cell).replace(/\s+/g, '');
      const name = known.has(t) ? (t as Column) : ALIASES[t.toLowerCase()];
      if (name && !found.has(name)) found.set(name, col);
    });
    if (found.has('名称')) [header, headerRow] = [found, r];
  }
  const need = ['名称', '点位类型', '经度', '纬度'] as const;
  const missing = header ? need.filter((c) => !header.has(c)) : need;
  if (!header || missing.length > 0) {
    throw new InputError(
      bilingual(
        `「${ws.name}」前 ${HEADER_SEARCH_ROWS} 行里没有找到表头：需要 ${missing.join('、')} 列（用“导出点位信息表”得到的表格修改后再导入）。`,
        `No header in the first ${HEADER_SEARCH_ROWS} rows of "${ws.name}": it needs the columns ${missing.join(', ')} (edit the sheet 导出点位信息表 gives, then import it).`,
      ),
      [{ path: rowRef(ws.name, headerRow || 1), message: `missing columns: ${missing.join(', ')}` }],
    );
  }
  const cols = header;
  const rows: SheetRow[] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells: SheetRow['cells'] = {};
    for (const [name, col] of cols) {
      const t = cellText(row.getCell(col));
      if (t !== '') cells[name] = t;
    }
    if (Object.keys(cells).length === 0) continue;
    if (rows.length === MAX_ROWS) {
      throw new InputError(bilingual(`表中点位超过 ${MAX_ROWS} 行：这是点位信息表吗？`, `More than ${MAX_ROWS} rows of points: is this the 点位信息表?`), [
        { path: rowRef(ws.name, r), message: 'too many rows' },
      ]);
    }
    const lng = coordinate(row.getCell(cols.get('经度')!));
    const lat = coordinate(row.getCell(cols.get('纬度')!));
    if (Number.isNaN(lng) || Number.isNaN(lat)) {
      throw rowError(ws.name, r, '经度、纬度须为数字（如 115.9801、36.4502）。', '经度 and 纬度 must be numbers (like 115.9801, 36.4502).');
    }
    rows.push({ row: r, cells, lng, lat });
  }
  if (rows.length === 0) {
    throw new InputError(bilingual('表头下面没有点位。', 'There are no points under the header.'), [{ path: rowRef(ws.name, headerRow), message: 'no rows' }]);
  }
  return { sheet: ws.name, rows, hasIds: cols.has('点位编号') };
}

/** One planned edit of the registry; `row` is the sheet's (null for a map file's point). */
export type Step =
  | { action: 'add'; row: number | null; body: PlaceCreateBody; id?: string }
  | { action: 'update'; row: number | null; id: string; body: PlacePatchBody; restore: boolean; movedM: number | null }
  | { action: 'retire'; id: string; version: number; kind: string; name: string; reason: string };

/** Names to ids, refusing a name two things share (the row must say which). */
function byName<T>(items: readonly T[], name: (t: T) => string[], id: (t: T) => string | number) {
  const map = new Map<string, (string | number)[]>();
  for (const t of items) for (const n of new Set(name(t))) map.set(n, [...(map.get(n) ?? []), id(t)]);
  return map;
}

/** The first zod issue of a body, as the row's error. */
function invalid(sheet: string, row: number, error: z.ZodError): InputError {
  const issue = error.issues[0];
  const field = String(issue.path[0] ?? '');
  const column: Record<string, string> = { name: '名称', phone: '联系电话', address: '地址', keeper: '点位长', contact: '联系人', kind: '点位类型' };
  return rowError(sheet, row, `「${column[field] ?? field}」${issue.message}`, `${column[field] ?? field}: ${issue.message}`);
}

/**
 * Plans the import: which rows add a point, which change one (and which fields), which points the
 * sheet no longer lists. Reads only.
 */
async function plan(store: Store, base: Catalog, sheet: RegistrySheet, nowMs: number): Promise<ImportPlan> {
  const types = await registryTypeNames(store, base, undefined, nowMs);
  const kindOf = new Map<string, string>();
  for (const [id, zh] of types) kindOf.set(zh, id).set(id, id);
  const subdistricts = byName(
    await store.listSubdistricts(),
    (s) => [s.name],
    (s) => s.id,
  );
  const units = byName(
    await store.listUnits(),
    (u) => [u.name],
    (u) => u.id,
  );
  const leaders = byName(
    await store.registryLeaders(),
    (l) => [l.displayName, l.username],
    (l) => l.id,
  );
  // `has`: what the row's point has now, which a name shared by two (two 城管中队 in two subdistricts) still names.
  const one = <T extends string | number>(map: Map<string, (string | number)[]>, value: string, has: T | null, row: number, zh: string, en: string): T => {
    const ids = map.get(value);
    if (!ids) throw rowError(sheet.sheet, row, `没有名为「${value}」的${zh}。`, `there is no ${en} named "${value}".`);
    if (has !== null && ids.includes(has)) return has;
    if (ids.length > 1)
      throw rowError(
        sheet.sheet,
        row,
        `有 ${ids.length} 个${zh}都叫「${value}」，无法确定是哪一个。`,
        `${ids.length} ${en}s are named "${value}": name one apart first.`,
      );
    return ids[0] as T;
  };

  const steps: Step[] = [];
  const matched = new Map<string, number>();
  let unchanged = 0;
  const kinds = new Set<string>();
  // Where the sheet's points are now: a sheet exported for one subdistrict stands for that one only.
  const matchedSubdistricts = new Set<string | null>();
  for (const { row, cells, lng, lat } of sheet.rows) {
    const kind = cells['点位类型'] === undefined ? undefined : kindOf.get(cells['点位类型']);
    if (kind === undefined) {
      const given = cells['点位类型'] ?? '';
      throw rowError(
        sheet.sheet,
        row,
        given ? `没有「${given}」这一点位类型；类型有：${[...types.values()].join('、')}。` : '请填写点位类型。',
        given ? `there is no point type "${given}"; the types are ${[...types.values()].join(', ')}.` : 'give the 点位类型.',
      );
    }
    const name = cells['名称'] ?? '';
    if (!name) throw rowError(sheet.sheet, row, '请填写点位名称。', 'give the point a name (名称).');
    kinds.add(kind);
    const at: LngLat | null = lng !== null && lat !== null ? [lng, lat] : null;

    // The point the row stands for: its id, else one of its type and name nearby.
    let id = cells['点位编号'] ?? null;
    // Read once per row: parsing a back street's geometry is most of a row's time.
    let found = id === null ? null : await store.placeState(id);
    if (id !== null && !found) {
      throw rowError(
        sheet.sheet,
        row,
        `点位编号「${id}」不在点位库中：若是新点位，请清空该格。`,
        `点位编号 "${id}" is not in the registry: clear the cell for a new point.`,
      );
    }
    if (id === null && at) {
      const { dLng, dLat } = degreesAround(at[1], MATCH_M);
      const near = (await store.sameNamedPlaces(kind, name, [at[0] - dLng, at[1] - dLat, at[0] + dLng, at[1] + dLat]))
        .map((o) => ({ id: o.id, d: distanceM(pointMarker(o.state.geometry, o.state.entrance), at) }))
        .filter((o) => o.d < MATCH_M && !matched.has(o.id))
        .sort((a, b) => a.d - b.d);
      id = near[0]?.id ?? null;
      found = id === null ? null : await store.placeState(id);
    }
    if (id !== null && matched.has(id)) {
      throw rowError(
        sheet.sheet,
        row,
        `与第 ${matched.get(id)} 行是同一个点位（${id}）：删去其中一行。`,
        `the same point (${id}) as row ${matched.get(id)}: delete one of the two rows.`,
      );
    }

    const now = found?.state ?? null;
    const sd = cells['所属街道'];
    const subdistrictId = sd === undefined ? undefined : one<string>(subdistricts, sd, now?.subdistrictId ?? null, row, '街道', 'subdistrict');
    const unitId = cells['责任单位'] === undefined ? null : one<string>(units, cells['责任单位'], now?.unitId ?? null, row, '责任单位', 'responsible unit');
    const leaderId =
      cells['包抓领导'] === undefined ? null : one<number>(leaders, cells['包抓领导'], now?.leaderId ?? null, row, '领导账号（包抓领导）', "leader's account");
    const attrs = {
      address: cells['地址'] ?? null,
      unitId,
      leaderId,
      keeper: cells['点位长'] ?? null,
      contact: cells['联系人'] ?? null,
      phone: cells['联系电话'] ?? null,
    };

    if (id === null) {
      if (!at) throw rowError(sheet.sheet, row, '新点位须填写经度、纬度（WGS84）。', 'a new point needs 经度 and 纬度 (WGS84).');
      const body = PlaceCreateBody.safeParse({
        kind,
        name,
        geometry: { type: 'Point', coordinates: at },
        ...attrs,
        ...(subdistrictId ? { subdistrictId } : {}),
      });
      if (!body.success) throw invalid(sheet.sheet, row, body.error);
      steps.push({ action: 'add', row, body: body.data });
      continue;
    }

    matched.set(id, row);
    const cur = found!;
    const s = cur.state;
    matchedSubdistricts.add(s.subdistrictId);
    const patch: Record<string, unknown> = {};
    if (kind !== s.kind) patch.kind = kind;
    if (name !== s.name) patch.name = name;
    // An empty 所属街道 keeps the derived one; the other cells say what the point has, empty for nothing.
    if (subdistrictId !== undefined && subdistrictId !== s.subdistrictId) patch.subdistrictId = subdistrictId;
    for (const [field, value] of Object.entries(attrs)) if (value !== s[field as keyof PlaceState]) patch[field] = value;
    let movedM: number | null = null;
    if (at) {
      const d = distanceM(pointMarker(s.geometry, s.entrance), at);
      if (d > MOVE_TOLERANCE_M) {
        movedM = Math.round(d * 10) / 10;
        if (s.geometry.type === 'Point') patch.geometry = { type: 'Point', coordinates: at };
        else if (s.geometry.type === 'Polygon' || s.geometry.type === 'MultiPolygon') patch.entrance = at;
        else
          throw rowError(
            sheet.sheet,
            row,
            `「${s.name}」是一条线，不能用经纬度移动：请在“点位管理”页面上重画，表中经度、纬度保持导出时的值。`,
            `${s.name} is a line and cannot be moved by its coordinates: redraw it on the registry page (点位管理) and leave 经度/纬度 as exported.`,
          );
      }
    }
    if (Object.keys(patch).length === 0 && !s.retired) {
      unchanged++;
      continue;
    }
    const body = PlacePatchBody.safeParse({ version: cur.version + (s.retired ? 1 : 0), ...patch });
    if (!body.success) throw invalid(sheet.sheet, row, body.error);
    steps.push({ action: 'update', row, id, body: body.data, restore: Boolean(s.retired), movedM });
  }

  // A sheet with 点位编号 lists every point of its types in the subdistricts its points are in: one missing was deleted.
  const scope = { kinds: [...kinds].sort(), subdistrictIds: [...matchedSubdistricts].filter((d): d is string => d !== null).sort() };
  if (sheet.hasIds) {
    for (const kind of scope.kinds) {
      for (const r of await store.registryRows({ kind })) {
        if (matched.has(r.id) || !matchedSubdistricts.has(r.subdistrictId)) continue;
        steps.push({
          action: 'retire',
          id: r.id,
          version: (await store.placeState(r.id))!.version,
          kind: r.kind,
          name: r.name,
          reason: '导入的点位信息表中已无此点位 (not in the imported 点位信息表)',
        });
      }
    }
  }
  return { steps, unchanged, scope };
}

/** Thrown inside the transaction of a dry run so that SQLite rolls every write back. */
class DryRun extends Error {}

/** A planned import: the sheet's, or a map file's merge (registry-merge.ts). */
export interface ImportPlan {
  steps: Step[];
  unchanged: number;
  scope: RegistryImportResult['scope'];
}

/**
 * Applies a plan as registry edits (history action 导入, or 地图合并 for a map file) in one transaction, a
 * dry run rolled back at its end (so it checks every step as the real import would). A step the registry
 * refuses (outside the city, a twin within 20 m …) names its sheet row and undoes the whole import; with
 * `skipRefused` (a map file, whose points nobody typed) it is left out and listed instead.
 */
export async function applyPlan(
  store: Store,
  base: Catalog,
  planned: ImportPlan,
  o: { dryRun: boolean; actor: string; nowMs: number; action: 'import' | 'merge'; sheet?: string; skipRefused?: boolean },
): Promise<{ changes: RegistryImportResult['changes']; skipped: RegistryImportResult['skipped'] }> {
  const changes: RegistryImportResult['changes'] = [];
  const skipped: RegistryImportResult['skipped'] = [];
  const types = await editableTypes(store, base, o.nowMs);
  const opts = { action: o.action, types };
  const run = async () => {
    for (const step of planned.steps) {
      try {
        if (step.action === 'add') {
          const id = await createPlace(store, base, step.body, o.actor, o.nowMs, { ...opts, id: step.id });
          changes.push({ action: 'add', row: step.row, id: o.dryRun ? null : id, kind: step.body.kind, name: step.body.name, fields: [], movedM: null });
        } else if (step.action === 'update') {
          const before = (await store.placeState(step.id))!.state;
          if (step.restore) await restorePlace(store, base, step.id, {}, o.actor, o.nowMs, opts);
          const fields = Object.keys(step.body).filter((f) => f !== 'version');
          if (fields.length > 0) await patchPlace(store, base, step.id, step.body, o.actor, o.nowMs, opts);
          changes.push({
            action: step.restore ? 'restore' : 'update',
            row: step.row,
            id: step.id,
            kind: step.body.kind ?? before.kind,
            name: step.body.name ?? before.name,
            fields: fields.map((f) => (f === 'entrance' ? 'geometry' : f)),
            movedM: step.movedM,
          });
        } else {
          await retirePlace(store, step.id, { version: step.version, reason: step.reason }, o.actor, o.nowMs, opts);
          changes.push({ action: 'retire', row: null, id: step.id, kind: step.kind, name: step.name, fields: ['retired'], movedM: null });
        }
      } catch (err) {
        if (!(err instanceof InputError) || step.action === 'retire') throw err;
        const why = err.details[0]?.message ?? err.message;
        if (o.skipRefused) {
          skipped.push({
            id: step.action === 'add' ? (step.id ?? null) : step.id,
            name: step.body.name ?? (await store.placeState(step.id!))?.state.name ?? '',
            reason: why,
          });
          continue;
        }
        if (step.row !== null && o.sheet !== undefined) throw rowError(o.sheet, step.row, why, why);
        throw err;
      }
    }
    if (o.dryRun) throw new DryRun();
  };
  try {
    await store.transaction(run);
  } catch (err) {
    if (!(err instanceof DryRun)) throw err;
  }
  return { changes, skipped };
}

/** The counts of the answer, from the changes made. */
export function importResult(
  dryRun: boolean,
  rows: number,
  planned: ImportPlan,
  applied: Awaited<ReturnType<typeof applyPlan>>,
  retiresMissing: boolean,
  kept = 0,
): RegistryImportResult {
  const { changes, skipped } = applied;
  const count = (f: (c: (typeof changes)[number]) => boolean) => changes.filter(f).length;
  return {
    dryRun,
    rows,
    unchanged: planned.unchanged,
    added: count((c) => c.action === 'add'),
    changed: count((c) => (c.action === 'update' || c.action === 'restore') && c.fields.some((f) => f !== 'geometry')),
    moved: count((c) => c.fields.includes('geometry')),
    retired: count((c) => c.action === 'retire'),
    restored: count((c) => c.action === 'restore'),
    retiresMissing,
    kept,
    scope: planned.scope,
    changes,
    skipped,
  };
}

/** A 点位信息表 read and planned (in the pool: reading and matching is most of an import's time). */
export interface SheetPlan extends ImportPlan {
  sheet: string;
  rows: number;
  hasIds: boolean;
}

/**
 * Reads the 点位信息表 and plans its changes; reads only, so the pool's workers run it.
 * @throws InputError (400) naming the row.
 */
export async function planRegistrySheet(store: Store, base: Catalog, bytes: Uint8Array, nowMs: number): Promise<SheetPlan> {
  const sheet = await parseRegistrySheet(bytes);
  return { ...(await plan(store, base, sheet, nowMs)), sheet: sheet.sheet, rows: sheet.rows.length, hasIds: sheet.hasIds };
}

/**
 * `POST /api/places/import` of a 点位信息表: applies its plan (the single writer's part).
 * @throws InputError (400) naming the row; AppError 409 when a point changed since it was planned.
 */
export async function importRegistry(
  store: Store,
  base: Catalog,
  planned: SheetPlan,
  dryRun: boolean,
  actor: string,
  nowMs: number,
): Promise<RegistryImportResult> {
  const applied = await applyPlan(store, base, planned, { dryRun, actor, nowMs, action: 'import', sheet: planned.sheet });
  return importResult(dryRun, planned.rows, planned, applied, planned.hasIds);
}
