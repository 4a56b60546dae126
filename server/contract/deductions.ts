/** 目标考核 entries as plain values (no zod), so a page can show them without the schemas. */

export const DEDUCTION_KINDS = ['supervision', 'summons', 'manual', 'reversal'] as const;
export type DeductionKind = (typeof DEDUCTION_KINDS)[number];

/** Points as people write them: at most two decimals, no trailing zeros (99.9, 2.5, 100). */
export const formatPoints = (x: number) => String(Math.round(x * 100) / 100);
