import { z } from 'zod';
import { CheckItem, ItemRule, Text } from './catalog';
import { errorResponses, timeParam } from './common';
import { endpoints } from './endpoint';
import { ADMINS, ANALYSTS, READERS } from './roles';
import { itemVerdict } from './assessment-rules';

export { itemVerdict, ItemRule };

/**
 * The assessment catalog (测评目录): the on-site part of the 测评体系 as this project writes it
 * (data/catalog/assessment/, its README names the sources). Point types, items and thresholds are data
 * because every province's variant differs; a catalog is a version in force from a day on.
 */

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day like 2026-03-20');

export const AssessmentItem = z.strictObject({
  id: z.string().min(1),
  zh: z.string().min(1),
  en: z.string().min(1),
  indicator: z.string().min(1).meta({ description: 'the number of the 测评指标 (a leaf of the tree) the item scores under' }),
  rule: ItemRule,
  points: z.number().positive().meta({ description: 'what the item is worth at one point; all of it is lost when it fails' }),
  categories: z
    .array(z.string().min(1))
    .meta({ description: 'problem categories that, left open at the point, fail the item; the first is what a failed item is reported as' }),
});
export type AssessmentItem = z.infer<typeof AssessmentItem>;

export const PointType = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a point type id is lower-case kebab-case, e.g. bus-stop'),
  zh: z.string().min(1),
  en: z.string().min(1),
  scope: z.enum(['district', 'city']).meta({ description: 'district: scored in its subdistrict; city: scored city-wide only (分区 / 不分区)' }),
  quota: z.number().int().nonnegative().meta({ description: 'points of this type a mock assessment draws by default' }),
  dwellMin: z.number().positive().meta({ description: 'minutes an inspector spends at one point, the planner’s default' }),
  observe: z.strictObject({
    zh: z.string().min(1),
    en: z.string().min(1),
    walkM: z.number().positive().optional(),
    watchMin: z.number().positive().optional(),
  }),
  items: z.array(AssessmentItem).min(1, 'a point type needs at least one check item'),
});
export type PointType = z.infer<typeof PointType>;

export interface Indicator {
  no: string;
  zh: string;
  en: string;
  points: number;
  method?: 'observe' | 'inspect' | 'simulate';
  children?: Indicator[];
}
export const Indicator: z.ZodType<Indicator> = z.lazy(() =>
  z.strictObject({
    no: z.string().regex(/^\d+(\.\d+)*$/, 'an indicator number looks like 2.1.3'),
    zh: z.string().min(1),
    en: z.string().min(1),
    points: z.number().positive(),
    method: z.enum(['observe', 'inspect', 'simulate']).optional(),
    children: z.array(Indicator).min(1).optional(),
  }),
);

/** Every indicator of the tree, depth first, with its depth (1 = 测评项目). */
export function flattenIndicators(tree: readonly Indicator[]): { indicator: Indicator; depth: number; parent: string | null }[] {
  const out: { indicator: Indicator; depth: number; parent: string | null }[] = [];
  const walk = (nodes: readonly Indicator[], depth: number, parent: string | null) => {
    for (const n of nodes) {
      out.push({ indicator: n, depth, parent });
      if (n.children) walk(n.children, depth + 1, n.no);
    }
  };
  walk(tree, 1, null);
  return out;
}

const sum = (xs: readonly number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 1000) / 1000;

export const AssessmentCatalog = z
  .strictObject({
    version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a version is letters, digits and . _ -, e.g. xuncha-2026.1'),
    name: Text,
    effectiveFrom: Day.meta({ description: 'the first day (city time) scores are computed under this version' }),
    totalPoints: z.number().positive(),
    note: Text.optional(),
    indicators: z.array(Indicator).min(1),
    pointTypes: z.array(PointType).min(1),
    lookBackItems: z.array(CheckItem).meta({ description: 'what an inspector checks at a problem stop (回头看); not scored' }),
  })
  .superRefine((c, ctx) => {
    const flat = flattenIndicators(c.indicators);
    const leaves = new Set<string>();
    const seenNo = new Set<string>();
    flat.forEach(({ indicator: n }) => {
      if (seenNo.has(n.no)) ctx.addIssue({ code: 'custom', path: ['indicators'], message: `indicator number ${n.no} is given twice` });
      seenNo.add(n.no);
      if (!n.children) leaves.add(n.no);
      else if (sum(n.children.map((k) => k.points)) !== n.points)
        ctx.addIssue({
          code: 'custom',
          path: ['indicators'],
          message: `indicator ${n.no} is worth ${n.points} points but its parts add up to ${sum(n.children.map((k) => k.points))}; make them agree`,
        });
    });
    const top = sum(c.indicators.map((n) => n.points));
    if (top !== c.totalPoints)
      ctx.addIssue({ code: 'custom', path: ['totalPoints'], message: `the indicators add up to ${top} points, not the stated total ${c.totalPoints}` });
    const types = new Set<string>();
    const items = new Set<string>(c.lookBackItems.map((i) => i.id));
    c.pointTypes.forEach((t, ti) => {
      if (types.has(t.id)) ctx.addIssue({ code: 'custom', path: ['pointTypes', ti, 'id'], message: `point type "${t.id}" is given twice` });
      types.add(t.id);
      t.items.forEach((it, ii) => {
        if (items.has(it.id))
          ctx.addIssue({ code: 'custom', path: ['pointTypes', ti, 'items', ii, 'id'], message: `check item "${it.id}" is given twice; item ids are unique` });
        items.add(it.id);
        if (!leaves.has(it.indicator))
          ctx.addIssue({
            code: 'custom',
            path: ['pointTypes', ti, 'items', ii, 'indicator'],
            message: seenNo.has(it.indicator)
              ? `indicator ${it.indicator} has parts; link the item to one of them`
              : `there is no indicator ${it.indicator}; give the number of a 测评指标 in the tree`,
          });
      });
    });
  })
  .meta({ id: 'AssessmentCatalog' });
export type AssessmentCatalog = z.output<typeof AssessmentCatalog>;

/** Sentences naming each item linked to a problem category the catalog does not have. */
export function unknownCategories(c: AssessmentCatalog, categoryIds: ReadonlySet<string>): string[] {
  const out: string[] = [];
  c.pointTypes.forEach((t, ti) =>
    t.items.forEach((it, ii) => {
      for (const cat of it.categories)
        if (!categoryIds.has(cat))
          out.push(`pointTypes.${ti}.items.${ii}.categories: item "${it.id}" names the problem category "${cat}", which is not in categories.json`);
    }),
  );
  return out;
}

/** The version in force on `day` (YYYY-MM-DD): the latest whose effectiveFrom is not after it; null before the first. */
export function catalogInForce<C extends { effectiveFrom: string }>(versions: readonly C[], day: string): C | null {
  let best: C | null = null;
  for (const v of versions) if (v.effectiveFrom <= day && (!best || v.effectiveFrom > best.effectiveFrom)) best = v;
  return best;
}

/** A version's check items by point type, in the field page's and the task sheet's shape. */
export function checkItemsOf(c: AssessmentCatalog): Record<string, CheckItem[]> {
  const out: Record<string, CheckItem[]> = {};
  for (const t of c.pointTypes) out[t.id] = t.items.map((it) => ({ id: it.id, zh: it.zh, en: it.en, category: it.categories[0] ?? null, rule: it.rule }));
  return out;
}

// ——— API ———

const SCORE_GROUPINGS = ['city', 'district', 'subdistrict', 'type', 'indicator', 'point', 'unit'] as const;

const windowQuery = {
  from: timeParam('start', 'checks recorded at or after (date or ISO time); default 30 days before to', '2026-03-01').optional(),
  to: timeParam('end', 'checks recorded at or before (a date includes the whole day); default now', '2026-03-31').optional(),
};
const fromNotAfterTo = (q: { from?: number; to?: number }, ctx: z.RefinementCtx) => {
  if (q.from !== undefined && q.to !== undefined && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must not be after to' });
};

export const CatalogQuery = z.object({
  date: Day.optional().meta({ description: 'the day whose version to give (city time); default today' }),
});

export const CatalogResponse = z
  .object({
    inForce: AssessmentCatalog,
    versions: z.array(z.object({ version: z.string(), name: Text, effectiveFrom: z.string() })).meta({ description: 'every version, oldest first' }),
  })
  .meta({ id: 'AssessmentCatalogResponse' });
export type CatalogResponse = z.infer<typeof CatalogResponse>;

export const ScoresQuery = z.object({ by: z.enum(SCORE_GROUPINGS).default('city'), ...windowQuery }).superRefine(fromNotAfterTo);

export const ScoreRow = z.object({
  key: z
    .string()
    .meta({ description: 'the id of what the row groups by: a point, type, subdistrict (* = types scored city-wide), unit, indicator number; city' }),
  name: z.string(),
  scoreRate: z.number().min(0).max(1).nullable().meta({ description: '得分率: points earned ÷ points observed; null when nothing was observed' }),
  earned: z.number(),
  possible: z.number(),
  lost: z.number().meta({ description: 'points observed but not earned' }),
  checked: z.number().int().meta({ description: 'points checked in the window' }),
  unchecked: z.number().int().meta({ description: '未检查: points with no check in the window (never counted as passed)' }),
  depth: z.number().int().optional().meta({ description: 'indicator rows: 1 = 测评项目, 2 = 测评内容, 3 = 测评指标' }),
});
export type ScoreRow = z.infer<typeof ScoreRow>;

export const TrendPoint = z.object({
  week: z.string().meta({ description: 'ISO week in city time, e.g. 2026-W10' }),
  from: z.string(),
  scoreRate: z.number().nullable(),
  checked: z.number().int(),
  unchecked: z.number().int(),
  catalogVersion: z.string(),
});

export const ScoresResponse = z
  .object({
    by: z.enum(SCORE_GROUPINGS),
    from: z.string(),
    to: z.string(),
    catalogVersion: z.string().meta({ description: 'the catalog version in force on the window’s last day, which the rows are scored under' }),
    totalPoints: z.number(),
    estimatedScore: z
      .number()
      .nullable()
      .meta({ description: 'the on-site score out of totalPoints the observations would give; null when nothing was observed' }),
    rows: z.array(ScoreRow),
    trend: z.array(TrendPoint).meta({ description: 'the city’s 得分率 week by week over the window, each week under its own version' }),
  })
  .meta({ id: 'AssessmentScores' });
export type ScoresResponse = z.infer<typeof ScoresResponse>;

export const LossesQuery = z
  .object({
    ...windowQuery,
    type: z.string().min(1).max(100).optional().meta({ description: 'only this point type' }),
    subdistrict: z.string().min(1).max(100).optional(),
    unit: z.string().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .superRefine(fromNotAfterTo);

export const LossPlace = z.object({
  pointId: z.string(),
  name: z.string(),
  subdistrictId: z.string().nullable(),
  subdistrictName: z.string().nullable(),
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
  checkId: z.string(),
  checkAt: z.string(),
  failedAtCheck: z.boolean().meta({ description: 'the inspector recorded it failing (else only open problems failed it)' }),
  problemIds: z.array(z.string()).meta({ description: 'problems open at the point that fail the item' }),
  photos: z.array(z.string()).meta({ description: 'photo URLs of those problems (/media/…/thumb)' }),
});

export const LossRow = z.object({
  itemId: z.string(),
  zh: z.string(),
  en: z.string(),
  typeId: z.string(),
  typeName: z.string(),
  indicator: z.string(),
  indicatorName: z.string(),
  points: z.number(),
  failures: z.number().int(),
  lost: z.number().meta({ description: 'points × failures' }),
  places: z.array(LossPlace),
});
export type LossRow = z.infer<typeof LossRow>;

export const LossesResponse = z
  .object({ from: z.string(), to: z.string(), catalogVersion: z.string(), lost: z.number(), rows: z.array(LossRow) })
  .meta({ id: 'AssessmentLosses' });
export type LossesResponse = z.infer<typeof LossesResponse>;

export const ReadinessQuery = z.object({
  days: z.coerce.number().int().min(1).max(365).default(30).meta({ description: 'a point counts as 达标 when checked within this many days' }),
  by: z.enum(['type', 'subdistrict', 'point']).default('type'),
  limit: z.coerce.number().int().min(1).max(5000).default(200).meta({ description: 'by=point: at most this many points, longest unvisited first' }),
});

const ReadinessCounts = {
  total: z.number().int(),
  ready: z.number().int().meta({ description: '达标: checked within `days`, every item passed, nothing open' }),
  notReady: z.number().int().meta({ description: '未达标: checked within `days`, but an item failed or was not recorded, or a problem is open' }),
  stale: z.number().int().meta({ description: '超期未查: not checked within `days`' }),
  readyRate: z.number().nullable(),
};

export const ReadinessResponse = z
  .object({
    days: z.number().int(),
    at: z.string(),
    catalogVersion: z.string(),
    deadline: z
      .object({ name: z.string(), start: z.string(), daysLeft: z.number().int() })
      .nullable()
      .meta({ description: 'the assessment window the administrator set (大屏 countdown); null when none is set' }),
    totals: z.object(ReadinessCounts),
    rows: z.array(z.object({ key: z.string(), name: z.string(), ...ReadinessCounts })),
    points: z
      .array(
        z.object({
          key: z.string(),
          name: z.string(),
          typeId: z.string(),
          typeName: z.string(),
          subdistrictName: z.string().nullable(),
          unitName: z.string().nullable(),
          status: z.enum(['ready', 'not-ready', 'stale']),
          lastVisitAt: z.string().nullable(),
          daysSinceVisit: z.number().int().nullable().meta({ description: 'whole days since its latest check; null when never checked' }),
          missing: z.array(z.string()).meta({ description: 'items failed or not recorded at the check' }),
          openProblems: z.number().int(),
        }),
      )
      .meta({ description: 'by=point: the points not 达标, longest unvisited (never first) then the rest' }),
  })
  .meta({ id: 'AssessmentReadiness' });
export type ReadinessResponse = z.infer<typeof ReadinessResponse>;

export const ReadinessMapQuery = z.object({ days: ReadinessQuery.shape.days });

/** `GET /api/assessment/readiness/map`: every point, where it is and its status, for a map layer. */
export const ReadinessMap = z
  .object({
    type: z.literal('FeatureCollection'),
    days: z.number().int(),
    at: z.string(),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.string(),
        geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
        properties: z.object({
          name: z.string(),
          typeName: z.string(),
          status: z.enum(['ready', 'not-ready', 'stale']),
          daysSinceVisit: z.number().int().nullable(),
        }),
      }),
    ),
  })
  .meta({ id: 'AssessmentReadinessMap', description: 'a point of each: the point itself, a community’s entrance (else its centre), the middle of a line' });
export type ReadinessMap = z.infer<typeof ReadinessMap>;

export const CatalogUploadForm = z
  .object({ file: z.string().meta({ format: 'binary', description: 'the workbook (.xlsx) in the layout GET /api/assessment/catalog.xlsx gives' }) })
  .meta({ id: 'CatalogUploadForm' });

export const CatalogImported = z
  .object({ version: z.string(), name: Text, effectiveFrom: z.string(), pointTypes: z.number().int(), items: z.number().int(), indicators: z.number().int() })
  .meta({ id: 'CatalogImported' });
export type CatalogImported = z.infer<typeof CatalogImported>;

/** Largest catalog workbook accepted (the shipped catalog is about 20 KB). */
export const CATALOG_SHEET_MAX_BYTES = 5 * 1024 * 1024;

/** 测评迎检. */
export const ASSESSMENT_API = endpoints({
  'GET /api/assessment/catalog': {
    tag: 'assessment',
    summary: 'The assessment catalog: indicators, point types, check items and their scoring rules',
    description: 'The version in force on `date` (default today) and the list of all versions.',
    access: READERS,
    query: CatalogQuery,
    responses: { 200: { description: 'The catalog', schema: CatalogResponse }, ...errorResponses(400) },
  },
  'GET /api/assessment/catalog.xlsx': {
    tag: 'assessment',
    summary: 'The catalog version in force on `date` as a workbook to edit and import again',
    description:
      'Sheets 目录 (version, names, effective day, total), 指标 (the tree by number), 点位类型, 检查项 (rule 合格/不合格, 数量 or 比率 with its 阈值) and 回头看. ' +
      'Edit it in Excel or WPS, give it a new 版本 and 生效日期, and import it with POST /api/assessment/catalog.',
    access: READERS,
    query: CatalogQuery,
    responses: {
      200: { description: 'XLSX workbook', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      ...errorResponses(400),
    },
  },
  'POST /api/assessment/catalog': {
    tag: 'assessment',
    summary: 'Import a catalog version from a workbook (a province’s variant, changed points, items or thresholds)',
    description:
      'The workbook is checked whole: indicator numbers and sums, points adding up to 总分, every item linked to an indicator of the tree and to categories the city has, a threshold for each count and rate item. ' +
      'Any problem is a 400 naming the sheet and row (`details[].path` like `检查项!12`), and nothing is applied. The version scores from its 生效日期 on, which may not be in the past (scores already made keep their version); 409 when its name or day is taken.',
    access: ADMINS,
    bodyLimit: CATALOG_SHEET_MAX_BYTES + 64 * 1024,
    body: CatalogUploadForm,
    bodyContentType: 'multipart/form-data',
    responses: { 201: { description: 'The imported version', schema: CatalogImported }, ...errorResponses(400, 409, 413) },
  },
  'GET /api/assessment/scores': {
    tag: 'assessment',
    summary: '得分率 of the city, its subdistricts, point types, indicators, units or points over a window',
    description:
      'From the latest check of each point in [from, to] and the problems open at its points at the end; points never checked are 未检查. ' +
      'Definitions: server/analytics/assessment-score.ts.',
    access: ANALYSTS,
    query: ScoresQuery,
    responses: { 200: { description: 'Rows worst first (indicators in tree order)', schema: ScoresResponse }, ...errorResponses(400) },
  },
  'GET /api/assessment/readiness': {
    tag: 'assessment',
    summary: '迎检准备: points 达标, 未达标 and 超期未查 by point type or subdistrict, against the assessment date',
    access: ANALYSTS,
    query: ReadinessQuery,
    responses: { 200: { description: 'Readiness', schema: ReadinessResponse }, ...errorResponses(400) },
  },
  'GET /api/assessment/readiness/map': {
    tag: 'assessment',
    summary: '迎检准备 on the map: every point with its status (达标 / 未达标 / 超期未查) as GeoJSON points',
    access: ANALYSTS,
    query: ReadinessMapQuery,
    responses: { 200: { description: 'One feature per point', schema: ReadinessMap }, ...errorResponses(400) },
  },
  'GET /api/assessment/losses': {
    tag: 'assessment',
    summary: 'Where we lose points: failed items ranked by points lost, with the places, units and photos',
    access: ANALYSTS,
    query: LossesQuery,
    responses: { 200: { description: 'Most points lost first', schema: LossesResponse }, ...errorResponses(400) },
  },
});
