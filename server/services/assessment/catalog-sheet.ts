/**
 * The assessment catalog as a workbook a 创文办 clerk edits in Excel or WPS: export the version in
 * force, change points, items and thresholds (or a province's whole variant), give it a new version
 * name and effective day, import it. Five sheets, one row per thing, headers in Chinese:
 *
 *   目录      key / value rows: 版本, 名称, 英文名称, 生效日期, 总分, 说明, 英文说明
 *   指标      编号 (1, 1.2, 1.2.3: the tree follows the numbers), 名称, 英文名称, 分值, 方式
 *   点位类型  编号, 名称, 英文名称, 范围 (分区 / 不分区), 抽样数, 停留分钟, 观察方式, 英文观察方式, 步行米, 观察分钟
 *   检查项    编号, 点位类型, 名称, 英文名称, 指标编号, 规则 (合格/不合格 | 数量 | 比率), 阈值, 单位, 英文单位, 分值, 问题类别
 *   回头看    编号, 名称, 英文名称, 问题类别
 *
 * An import is checked whole (AssessmentCatalog's rules: numbers, sums, links) and refused whole, each
 * problem named by its sheet and row, so nothing half-applied ever scores the city.
 */
import type ExcelJS from 'exceljs';
import { AssessmentCatalog, flattenIndicators, unknownCategories, type Indicator, type PointType } from '../../contract/assessment';
import type { CheckItem, ItemRule } from '../../contract/catalog';
import { bilingual, InputError, type ErrorDetail } from '../../errors';
import { loadExcel } from '../problems/ledger';

const SHEETS = { meta: '目录', indicators: '指标', types: '点位类型', items: '检查项', lookBacks: '回头看' } as const;
const META_KEYS = { version: '版本', zh: '名称', en: '英文名称', effectiveFrom: '生效日期', totalPoints: '总分', noteZh: '说明', noteEn: '英文说明' } as const;
const INDICATOR_COLS = ['编号', '名称', '英文名称', '分值', '方式'] as const;
const TYPE_COLS = ['编号', '名称', '英文名称', '范围', '抽样数', '停留分钟', '观察方式', '英文观察方式', '步行米', '观察分钟'] as const;
const ITEM_COLS = ['编号', '点位类型', '名称', '英文名称', '指标编号', '规则', '阈值', '单位', '英文单位', '分值', '问题类别'] as const;
const LOOK_BACK_COLS = ['编号', '名称', '英文名称', '问题类别'] as const;

const METHODS: Record<string, NonNullable<Indicator['method']>> = { 实地观察: 'observe', 查阅资料: 'inspect', 模拟体验: 'simulate' };
const METHOD_NAMES = Object.fromEntries(Object.entries(METHODS).map(([k, v]) => [v, k]));
const RULES = { '合格/不合格': 'pass-fail', 数量: 'count', 比率: 'rate' } as const;
const RULE_NAMES = Object.fromEntries(Object.entries(RULES).map(([k, v]) => [v, k]));
const SCOPES = { 分区: 'district', 不分区: 'city' } as const;

/** The version as the workbook above. */
export async function catalogXlsx(c: AssessmentCatalog): Promise<Uint8Array<ArrayBuffer>> {
  const { Excel } = await loadExcel();
  const wb = new Excel.Workbook();
  wb.creator = 'Xuncha 巡查';
  const sheet = (name: string, cols: readonly string[], widths: number[]) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = cols.map((header, i) => ({ header, width: widths[i] ?? 12 }));
    ws.getRow(1).font = { bold: true };
    return ws;
  };
  const meta = wb.addWorksheet(SHEETS.meta);
  meta.columns = [{ width: 12 }, { width: 70 }];
  for (const [k, v] of [
    [META_KEYS.version, c.version],
    [META_KEYS.zh, c.name.zh],
    [META_KEYS.en, c.name.en],
    [META_KEYS.effectiveFrom, c.effectiveFrom],
    [META_KEYS.totalPoints, c.totalPoints],
    [META_KEYS.noteZh, c.note?.zh ?? ''],
    [META_KEYS.noteEn, c.note?.en ?? ''],
  ] as const)
    meta.addRow([k, v]);
  const ind = sheet(SHEETS.indicators, INDICATOR_COLS, [10, 36, 40, 8, 10]);
  for (const { indicator: n } of flattenIndicators(c.indicators)) ind.addRow([n.no, n.zh, n.en, n.points, n.method ? METHOD_NAMES[n.method] : '']);
  const types = sheet(SHEETS.types, TYPE_COLS, [18, 18, 24, 8, 8, 10, 40, 40, 8, 10]);
  const items = sheet(SHEETS.items, ITEM_COLS, [28, 18, 30, 34, 10, 12, 8, 8, 10, 8, 30]);
  for (const t of c.pointTypes) {
    types.addRow([
      t.id,
      t.zh,
      t.en,
      t.scope === 'city' ? '不分区' : '分区',
      t.quota,
      t.dwellMin,
      t.observe.zh,
      t.observe.en,
      t.observe.walkM ?? '',
      t.observe.watchMin ?? '',
    ]);
    for (const it of t.items)
      items.addRow([
        it.id,
        t.id,
        it.zh,
        it.en,
        it.indicator,
        RULE_NAMES[it.rule.kind],
        it.rule.kind === 'pass-fail' ? '' : it.rule.min,
        it.rule.kind === 'count' ? it.rule.unit.zh : '',
        it.rule.kind === 'count' ? it.rule.unit.en : '',
        it.points,
        it.categories.join(', '),
      ]);
  }
  const lb = sheet(SHEETS.lookBacks, LOOK_BACK_COLS, [24, 30, 36, 20]);
  for (const it of c.lookBackItems) lb.addRow([it.id, it.zh, it.en, it.category ?? '']);
  return new Uint8Array(await wb.xlsx.writeBuffer()) as Uint8Array<ArrayBuffer>;
}

/** A cell as text: numbers as written, rich text and formulas by their value, blanks empty. */
/** A cell as the text a person typed (rich text, formula results and links read as their text). */
export function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if ('richText' in v)
      return v.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('result' in v) return String(v.result ?? '').trim();
    if ('text' in v) return String(v.text).trim();
    if (v instanceof Date) return v.toISOString().slice(0, 10);
  }
  return String(v).trim();
}

/**
 * Reads a workbook in the layout above into a catalog version, checked as the files in
 * data/catalog/assessment are, against the problem categories `categoryIds`.
 * @throws InputError naming each problem as `sheet 第 N 行` (nothing is applied).
 */
export async function parseCatalogXlsx(bytes: Uint8Array, categoryIds: ReadonlySet<string>): Promise<AssessmentCatalog> {
  const { Excel } = await loadExcel();
  const wb = new Excel.Workbook();
  const problems: ErrorDetail[] = [];
  const at = (sheet: string, row: number | null, message: string) => problems.push({ path: row === null ? sheet : `${sheet}!${row}`, message });
  try {
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (err) {
    throw new InputError(
      bilingual(
        '这个文件不是可读取的 Excel 工作簿（.xlsx）：请先下载目录，修改后另存为 .xlsx 再导入。',
        `The file is not an Excel workbook (.xlsx) that can be read (${(err as Error).message}); export the catalog with GET /api/assessment/catalog.xlsx, edit it and save it as .xlsx.`,
      ),
      [{ path: 'file', message: 'not a readable .xlsx' }],
    );
  }
  /** The rows of a sheet under its header, by column name; null (and a problem) when the sheet or a column is missing. */
  const table = (name: string, cols: readonly string[]): { row: number; get: (col: string) => string }[] | null => {
    const ws = wb.getWorksheet(name);
    if (!ws) {
      at(name, null, `the workbook has no sheet “${name}”; keep the five sheets of the exported catalog (目录, 指标, 点位类型, 检查项, 回头看)`);
      return null;
    }
    const header = new Map<string, number>();
    ws.getRow(1).eachCell((cell, col) => header.set(cellText(cell), col));
    const missing = cols.filter((c) => !header.has(c));
    if (missing.length > 0) {
      at(name, 1, `the header row lacks the column${missing.length > 1 ? 's' : ''} ${missing.join('、')}`);
      return null;
    }
    const out: { row: number; get: (col: string) => string }[] = [];
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const get = (col: string) => cellText(row.getCell(header.get(col)!));
      if (cols.every((c) => get(c) === '')) return;
      out.push({ row: n, get });
    });
    return out;
  };
  const num = (sheet: string, row: number, col: string, raw: string, opts: { optional?: boolean; int?: boolean } = {}): number | undefined => {
    if (raw === '') {
      if (!opts.optional) at(sheet, row, `${col} is empty; give a number`);
      return undefined;
    }
    const v = Number(raw.replace(/[%％]$/, ''));
    if (!Number.isFinite(v) || (opts.int && !Number.isInteger(v))) {
      at(sheet, row, `${col} “${raw}” is not ${opts.int ? 'a whole number' : 'a number'}`);
      return undefined;
    }
    return /[%％]$/.test(raw) ? v / 100 : v;
  };

  // 目录
  const metaWs = wb.getWorksheet(SHEETS.meta);
  const meta = new Map<string, { value: string; row: number }>();
  if (!metaWs) at(SHEETS.meta, null, 'the workbook has no sheet “目录” (version, name, effective day, total points)');
  else metaWs.eachRow((row, n) => meta.set(cellText(row.getCell(1)), { value: cellText(row.getCell(2)), row: n }));
  const metaOf = (key: string) => meta.get(key)?.value ?? '';
  for (const key of [META_KEYS.version, META_KEYS.zh, META_KEYS.en, META_KEYS.effectiveFrom, META_KEYS.totalPoints])
    if (metaWs && !metaOf(key)) at(SHEETS.meta, meta.get(key)?.row ?? null, `“${key}” is missing; give it in column B beside its name`);

  // 指标: the tree from the numbers.
  const indicators: Indicator[] = [];
  const indicatorRow = new Map<string, number>();
  const byNo = new Map<string, Indicator>();
  for (const r of table(SHEETS.indicators, INDICATOR_COLS) ?? []) {
    const no = r.get('编号');
    if (!/^\d+(\.\d+)*$/.test(no)) {
      at(SHEETS.indicators, r.row, no ? `编号 “${no}” is not an indicator number like 2.1.3` : '编号 is missing: give the indicator’s number, like 2.1.3');
      continue;
    }
    const points = num(SHEETS.indicators, r.row, '分值', r.get('分值'));
    const methodName = r.get('方式');
    if (methodName && !METHODS[methodName]) at(SHEETS.indicators, r.row, `方式 “${methodName}” is none of ${Object.keys(METHODS).join('、')}`);
    const node: Indicator = {
      no,
      zh: r.get('名称'),
      en: r.get('英文名称') || r.get('名称'),
      points: points ?? 0,
      ...(METHODS[methodName] ? { method: METHODS[methodName] } : {}),
    };
    if (!node.zh) at(SHEETS.indicators, r.row, '名称 is empty');
    if (byNo.has(no)) {
      at(SHEETS.indicators, r.row, `indicator ${no} is given twice (also row ${indicatorRow.get(no)})`);
      continue;
    }
    byNo.set(no, node);
    indicatorRow.set(no, r.row);
    const parentNo = no.includes('.') ? no.slice(0, no.lastIndexOf('.')) : null;
    if (parentNo === null) indicators.push(node);
    else {
      const parent = byNo.get(parentNo);
      if (!parent) at(SHEETS.indicators, r.row, `indicator ${no} comes before (or without) its parent ${parentNo}; list ${parentNo} above it`);
      else (parent.children ??= []).push(node);
    }
  }

  // 点位类型 and 检查项
  const types: PointType[] = [];
  const typeRow: number[] = [];
  for (const r of table(SHEETS.types, TYPE_COLS) ?? []) {
    const scope = SCOPES[r.get('范围') as keyof typeof SCOPES];
    if (!scope) at(SHEETS.types, r.row, `范围 “${r.get('范围')}” must be 分区 or 不分区`);
    const walkM = num(SHEETS.types, r.row, '步行米', r.get('步行米'), { optional: true });
    const watchMin = num(SHEETS.types, r.row, '观察分钟', r.get('观察分钟'), { optional: true });
    types.push({
      id: r.get('编号'),
      zh: r.get('名称'),
      en: r.get('英文名称') || r.get('名称'),
      scope: scope ?? 'district',
      quota: num(SHEETS.types, r.row, '抽样数', r.get('抽样数'), { int: true }) ?? 0,
      dwellMin: num(SHEETS.types, r.row, '停留分钟', r.get('停留分钟')) ?? 1,
      observe: {
        zh: r.get('观察方式'),
        en: r.get('英文观察方式') || r.get('观察方式'),
        ...(walkM === undefined ? {} : { walkM }),
        ...(watchMin === undefined ? {} : { watchMin }),
      },
      items: [],
    });
    typeRow.push(r.row);
  }
  const itemRow = new Map<string, number>();
  for (const r of table(SHEETS.items, ITEM_COLS) ?? []) {
    const ti = types.findIndex((t) => t.id === r.get('点位类型'));
    if (ti < 0) {
      at(SHEETS.items, r.row, `点位类型 “${r.get('点位类型')}” is not in the sheet 点位类型; give one of its 编号`);
      continue;
    }
    const kind = RULES[r.get('规则') as keyof typeof RULES];
    if (!kind) {
      at(SHEETS.items, r.row, `规则 “${r.get('规则')}” must be ${Object.keys(RULES).join('、')}`);
      continue;
    }
    let rule: ItemRule = { kind: 'pass-fail' };
    if (kind !== 'pass-fail') {
      if (r.get('阈值') === '') {
        at(
          SHEETS.items,
          r.row,
          `a ${r.get('规则')} item needs its 阈值 (${kind === 'count' ? 'the least number that passes, e.g. 5' : 'the least rate that passes, e.g. 95%'})`,
        );
        continue;
      }
      const min = num(SHEETS.items, r.row, '阈值', r.get('阈值'));
      if (min === undefined) continue;
      rule =
        kind === 'count'
          ? { kind, min, unit: { zh: r.get('单位') || '处', en: r.get('英文单位') || r.get('单位') || 'items' } }
          : { kind, min: min > 1 ? min / 100 : min };
    }
    const id = r.get('编号');
    itemRow.set(`${ti}\u0000${types[ti].items.length}`, r.row);
    if (id) itemRow.set(id, r.row);
    types[ti].items.push({
      id,
      zh: r.get('名称'),
      en: r.get('英文名称') || r.get('名称'),
      indicator: r.get('指标编号'),
      rule,
      points: num(SHEETS.items, r.row, '分值', r.get('分值')) ?? 0,
      categories: r
        .get('问题类别')
        .split(/[,，、\s]+/)
        .filter(Boolean),
    });
  }
  const lookBackRows = table(SHEETS.lookBacks, LOOK_BACK_COLS) ?? [];
  const lookBackRow = lookBackRows.map((r) => r.row);
  const lookBackItems: CheckItem[] = lookBackRows.map((r) => ({
    id: r.get('编号'),
    zh: r.get('名称'),
    en: r.get('英文名称') || r.get('名称'),
    category: r.get('问题类别') || null,
  }));

  const note = metaOf(META_KEYS.noteZh) ? { zh: metaOf(META_KEYS.noteZh), en: metaOf(META_KEYS.noteEn) || metaOf(META_KEYS.noteZh) } : undefined;
  const candidate = {
    version: metaOf(META_KEYS.version),
    name: { zh: metaOf(META_KEYS.zh), en: metaOf(META_KEYS.en) },
    effectiveFrom: metaOf(META_KEYS.effectiveFrom),
    totalPoints: Number(metaOf(META_KEYS.totalPoints)),
    ...(note ? { note } : {}),
    indicators,
    pointTypes: types,
    lookBackItems,
  };
  // The row a rule of the whole catalog points at: the item, type or indicator it names.
  const rowOf = (path: readonly PropertyKey[], message: string): string => {
    if (path[0] === 'pointTypes' && typeof path[1] === 'number') {
      if (path[2] === 'items' && typeof path[3] === 'number') return `${SHEETS.items}!${itemRow.get(`${path[1]}\u0000${path[3]}`) ?? '?'}`;
      return `${SHEETS.types}!${typeRow[path[1]] ?? '?'}`;
    }
    if (path[0] === 'lookBackItems' && typeof path[1] === 'number') return `${SHEETS.lookBacks}!${lookBackRow[path[1]] ?? '?'}`;
    if (path[0] === 'indicators') {
      const no = /indicator (\d+(?:\.\d+)*)/.exec(message)?.[1];
      return no && indicatorRow.has(no) ? `${SHEETS.indicators}!${indicatorRow.get(no)}` : SHEETS.indicators;
    }
    const key = { version: META_KEYS.version, name: META_KEYS.zh, effectiveFrom: META_KEYS.effectiveFrom, totalPoints: META_KEYS.totalPoints }[String(path[0])];
    return key && meta.has(key) ? `${SHEETS.meta}!${meta.get(key)!.row}` : SHEETS.meta;
  };
  if (problems.length === 0) {
    const parsed = AssessmentCatalog.safeParse(candidate);
    if (!parsed.success) for (const i of parsed.error.issues) problems.push({ path: rowOf(i.path, i.message), message: i.message });
    else {
      for (const m of unknownCategories(parsed.data, categoryIds)) {
        const [, ti, ii] = /pointTypes\.(\d+)\.items\.(\d+)/.exec(m) ?? [];
        problems.push({ path: `${SHEETS.items}!${itemRow.get(`${ti}\u0000${ii}`) ?? '?'}`, message: m.replace(/^[^:]+: /, '') });
      }
      for (const [i, it] of parsed.data.lookBackItems.entries())
        if (it.category && !categoryIds.has(it.category))
          problems.push({ path: `${SHEETS.lookBacks}!${lookBackRow[i]}`, message: `问题类别 “${it.category}” is not a category of this city` });
      if (problems.length === 0) return parsed.data;
    }
  }
  const where = (p: string) => {
    const [sheet, row] = p.split('!');
    return row ? `${sheet} 第 ${row} 行` : sheet;
  };
  const shown = problems.slice(0, 5);
  const more = problems.length > 5 ? ' …' : '';
  throw new InputError(
    bilingual(
      `目录表格有 ${problems.length} 处问题，未导入任何内容；请改正 ${shown.map((p) => where(p.path)).join('、')}${more} 后重新导入。`,
      `The catalog sheet is not usable (${problems.length} problem${problems.length > 1 ? 's' : ''}; nothing was applied): ${shown
        .map((p) => `${where(p.path)}: ${p.message}`)
        .join('; ')}${more}`,
    ),
    problems.map((p) => ({ path: p.path, message: `${where(p.path)}: ${p.message}` })),
  );
}
