/* The 红黑榜's formula. Pure and zod-free, so the client may import values from it. */

/**
 * 红黑榜 rankings. The composite score (0–100, higher is better) is
 *
 *   score = 40 × on-time rate + 20 × look-back pass rate + 20 × (1 − recurrence rate)
 *         + 20 × (1 − overdue share) − 2 × summons (约谈) problems, floored at 0
 *
 * where a rate with nothing to count (no problem fell due, none was checked) counts as fully met, the
 * overdue share is overdue ÷ found (at most 1), and each problem at 约谈 level (two strikes) costs 2
 * points. Ties rank by fewer problems per 100 inspection points, then by name.
 */
export const RANKING_FORMULA = 'score = 40·onTimeRate + 20·lookBackPassRate + 20·(1 − recurrenceRate) + 20·(1 − min(1, overdue/found)) − 2·summons, ≥ 0';

/** The most of the 100 points the administrator may give to the 测评 得分率: the handling figures keep at least half. */
export const ASSESSMENT_WEIGHT_MAX = 50;

/**
 * The formula with the 测评 得分率 weighed in at `w` points of 100 (0: the formula above, unchanged). The
 * handling score is scaled to the rest, so the total stays out of 100; a group none of whose points was
 * checked in the period scores 0 on that part, as a point not checked is never counted as passed.
 */
export function rankingFormula(w: number): string {
  if (w <= 0) return RANKING_FORMULA;
  return `score = ${(100 - w) / 100}·(${RANKING_FORMULA.replace('score = ', '').replace(', ≥ 0', '')}) + ${w}·assessmentRate (0 when nothing was checked), ≥ 0`;
}

/**
 * A 考评 the city sets: indicators, each a rate with its formula written out, a weight (of 100) and a
 * direction (higher or lower is better). A version applies from its day on; the 红黑榜 of a period uses
 * the version in force on the period's last day. Until the administrator saves one, the built-in
 * composite above applies.
 */
export const INDICATOR_IDS = [
  'handlingRate',
  'onTimeRate',
  'reworkRate',
  'overdueRate',
  'extensionRate',
  'returnRate',
  'passRate',
  'recurrenceRate',
  'assessmentRate',
] as const;
export type IndicatorId = (typeof INDICATOR_IDS)[number];
export type Direction = 'higher' | 'lower';

/** Each indicator: its name, its formula over the period's problems (reported in it) and the better direction. */
export const INDICATORS: Record<IndicatorId, { zh: string; en: string; formulaZh: string; formulaEn: string; direction: Direction }> = {
  handlingRate: {
    zh: '处置率',
    en: 'Handling rate',
    formulaZh: '已整改数 ÷ 应处置数（已交办且期限已到或已整改）',
    formulaEn: 'rectified ÷ due (assigned, and past the deadline or rectified)',
    direction: 'higher',
  },
  onTimeRate: { zh: '按期处置率', en: 'On-time rate', formulaZh: '按期整改数 ÷ 应处置数', formulaEn: 'rectified by the deadline ÷ due', direction: 'higher' },
  reworkRate: {
    zh: '返工率',
    en: 'Rework rate',
    formulaZh: '复查不合格次数 ÷ 复查次数',
    formulaEn: 'failed look-backs ÷ look-backs',
    direction: 'lower',
  },
  overdueRate: { zh: '超期率', en: 'Overdue rate', formulaZh: '当前超期数 ÷ 发现问题数', formulaEn: 'overdue now ÷ found', direction: 'lower' },
  extensionRate: {
    zh: '延期率',
    en: 'Extension rate',
    formulaZh: '批准延期的问题数 ÷ 应处置数',
    formulaEn: 'cases with an approved extension ÷ due',
    direction: 'lower',
  },
  returnRate: {
    zh: '退单率',
    en: 'Return rate',
    formulaZh: '批准退单数 ÷（交办问题数 + 批准退单数）',
    formulaEn: 'approved returns ÷ (assigned cases + approved returns)',
    direction: 'lower',
  },
  passRate: {
    zh: '复查合格率',
    en: 'Look-back pass rate',
    formulaZh: '复查合格次数 ÷ 复查次数',
    formulaEn: 'passed look-backs ÷ look-backs',
    direction: 'higher',
  },
  recurrenceRate: { zh: '反复率', en: 'Recurrence rate', formulaZh: '反复问题数 ÷ 发现问题数', formulaEn: 'recurrences ÷ found', direction: 'lower' },
  assessmentRate: {
    zh: '测评得分率',
    en: 'Assessment score rate',
    formulaZh: '所辖点位实地考察得分率（期间内未检查记 0）',
    formulaEn: 'the 测评 score rate of its points (0 when none was checked in the period)',
    direction: 'higher',
  },
};

export interface FormulaIndicator {
  id: IndicatorId;
  weight: number;
  direction: Direction;
}

/** A version of the city's 考评. */
export interface FormulaVersion {
  /** The first day it applies (city date). */
  validFrom: string;
  indicators: FormulaIndicator[];
  /** Points off per problem at 约谈 level (0: none). */
  summonsPenalty: number;
}

/** What is wrong with a version (empty when nothing): an unknown or repeated indicator, weights that do not sum to 100. */
export function formulaProblems(v: Pick<FormulaVersion, 'indicators' | 'summonsPenalty'>): { path: string; message: string; zh: string }[] {
  const out: { path: string; message: string; zh: string }[] = [];
  const seen = new Set<string>();
  v.indicators.forEach((x, i) => {
    if (!(INDICATOR_IDS as readonly string[]).includes(x.id)) {
      out.push({ path: `indicators.${i}.id`, message: `unknown indicator "${x.id}"; the indicators are ${INDICATOR_IDS.join(', ')}`, zh: `没有指标“${x.id}”` });
    } else if (seen.has(x.id)) out.push({ path: `indicators.${i}.id`, message: `${x.id} is listed twice`, zh: `指标 ${INDICATORS[x.id].zh} 列了两次` });
    seen.add(x.id);
    if (!(x.weight >= 0)) out.push({ path: `indicators.${i}.weight`, message: 'a weight is 0 or more', zh: '分值不能为负' });
  });
  const sum = v.indicators.reduce((s, x) => s + x.weight, 0);
  if (Math.abs(sum - 100) > 1e-9) {
    out.push({
      path: 'indicators',
      message: `the weights sum to ${Math.round(sum * 100) / 100}, not 100`,
      zh: `各指标分值合计 ${Math.round(sum * 100) / 100} 分，应为 100 分`,
    });
  }
  if (!(v.summonsPenalty >= 0)) out.push({ path: 'summonsPenalty', message: 'the summons penalty is 0 or more', zh: '约谈扣分不能为负' });
  return out;
}

/** A group's rates over the period, null where there was nothing to count. */
export type IndicatorRates = Record<IndicatorId, number | null>;

/**
 * A group's score under version `v`: the sum of weight × rate (or × (1 − rate) where lower is better),
 * less the summons penalty, at least 0, to one decimal. A rate with nothing to count counts as fully met,
 * except the 测评得分率: a point not checked is never counted as passed.
 */
export function formulaScore(v: Pick<FormulaVersion, 'indicators' | 'summonsPenalty'>, rates: IndicatorRates, summons: number): number {
  let score = -v.summonsPenalty * summons;
  for (const x of v.indicators) {
    const r = rates[x.id];
    const met = r === null ? (x.id === 'assessmentRate' ? 0 : 1) : x.direction === 'higher' ? r : 1 - r;
    score += x.weight * met;
  }
  return Math.max(0, Math.round(score * 10) / 10);
}

/** The version written out: `score = 40·按期处置率 + 20·(1 − 反复率) … − 2·约谈, ≥ 0`. */
export function formulaText(v: Pick<FormulaVersion, 'indicators' | 'summonsPenalty'>, lang: 'zh' | 'en'): string {
  const terms = v.indicators
    .filter((x) => x.weight > 0)
    .map((x) => {
      const name = lang === 'zh' ? INDICATORS[x.id].zh : x.id;
      return `${x.weight}·${x.direction === 'higher' ? name : `(1 − ${name})`}`;
    });
  const penalty = v.summonsPenalty > 0 ? ` − ${v.summonsPenalty}·${lang === 'zh' ? '约谈问题数' : 'summons'}` : '';
  return `score = ${terms.join(' + ') || '0'}${penalty}, ≥ 0`;
}

/**
 * The built-in composite as a version (what a city starts from when it sets its own): RANKING_FORMULA,
 * scaled to 100 − w when the 测评 得分率 is weighed in at w.
 */
export function builtInVersion(w: number): Omit<FormulaVersion, 'validFrom'> {
  const k = (100 - w) / 100;
  const indicators: FormulaIndicator[] = [
    { id: 'onTimeRate', weight: 40 * k, direction: 'higher' },
    { id: 'passRate', weight: 20 * k, direction: 'higher' },
    { id: 'recurrenceRate', weight: 20 * k, direction: 'lower' },
    { id: 'overdueRate', weight: 20 * k, direction: 'lower' },
  ];
  if (w > 0) indicators.push({ id: 'assessmentRate', weight: w, direction: 'higher' });
  return { indicators, summonsPenalty: 2 * k };
}

/** The version in force on `date` among `versions` (any order), or null when none applies yet. */
export function versionOn<V extends Pick<FormulaVersion, 'validFrom'>>(versions: readonly V[], date: string): V | null {
  let best: V | null = null;
  for (const v of versions) if (v.validFrom <= date && (!best || v.validFrom > best.validFrom)) best = v;
  return best;
}
