import { HOTSPOT_CLASS_NAMES, type HotspotClassName } from '../contract/hotspots';
import { mannKendall } from './mann-kendall';

/**
 * Emerging hot-spot classes over a cell's weekly Gi* results, after the space-time pattern mining GIS
 * analysts know (ArcGIS "Emerging Hot Spot Analysis"). Each week of a cell is hot (Gi* significant after
 * FDR, z > 0), cold (significant, z < 0) or neither. With T weeks, the final week last, and the trend
 * being a Mann-Kendall test (alpha 0.05) on the cell's weekly Gi* z-scores, the rules, checked in this
 * order, are (cold classes mirror hot ones with hot ↔ cold and "increasing" ↔ "decreasing"):
 *
 * | class | rule |
 * | --- | --- |
 * | new hot | the final week is hot and no earlier week was |
 * | intensifying hot | ≥ 90 % of weeks hot, the final week hot, z-trend significantly rising |
 * | diminishing hot | ≥ 90 % of weeks hot, the final week hot, z-trend significantly falling |
 * | persistent hot | ≥ 90 % of weeks hot, the final week hot, no significant z-trend |
 * | consecutive hot | < 90 % hot; the final week ends an unbroken run of ≥ 2 hot weeks and no week before that run was hot |
 * | oscillating hot | < 90 % hot; the final week hot; some earlier week was cold |
 * | sporadic hot | < 90 % hot; the final week hot; on-and-off before, never cold |
 * | historical hot | the final week is not hot, yet ≥ 90 % of weeks were |
 * | no pattern | none of the above (e.g. hot for a few weeks in the middle only) |
 *
 * ArcGIS lets persistent hot spots skip the final week; here a cell that is ≥ 90 % hot but not in the
 * final week is historical, so the rules are a partition: every cell gets exactly one class.
 */
/** The classes in a fixed order (codes in typed arrays index it); defined with the API schemas. */
export const HOTSPOT_CLASSES = HOTSPOT_CLASS_NAMES;
export type HotspotClass = HotspotClassName;

/** Share of weeks that makes a spot persistent, intensifying, diminishing or historical. */
export const MOSTLY = 0.9;
/** Significance of the Mann-Kendall trend on the z-scores. */
export const TREND_ALPHA = 0.05;

/**
 * The class of one cell.
 * @param state per week in time order: 1 hot, −1 cold, 0 neither (Gi* significant after FDR, sign of z)
 * @param z per week Gi* z-scores (for the trend)
 */
export function classifyCell(state: ArrayLike<number>, z: ArrayLike<number>): HotspotClass {
  const t = state.length;
  if (t === 0) return 'no-pattern';
  let hot = 0;
  let cold = 0;
  for (let i = 0; i < t; i++) {
    if (state[i] > 0) hot++;
    else if (state[i] < 0) cold++;
  }
  const last = state[t - 1];
  if (last === 0) {
    if (hot >= MOSTLY * t) return 'historical-hot';
    if (cold >= MOSTLY * t) return 'historical-cold';
    return 'no-pattern';
  }
  const sign = last > 0 ? 1 : -1;
  const kind = sign > 0 ? 'hot' : 'cold';
  const same = sign > 0 ? hot : cold;
  const opposite = sign > 0 ? cold : hot;
  if (same === 1) return `new-${kind}`;
  if (same >= MOSTLY * t) {
    const trend = mannKendall(z);
    if (trend.p < TREND_ALPHA && trend.z * sign > 0) return `intensifying-${kind}`;
    if (trend.p < TREND_ALPHA && trend.z * sign < 0) return `diminishing-${kind}`;
    return `persistent-${kind}`;
  }
  let runStart = t - 1;
  while (runStart > 0 && state[runStart - 1] === sign) runStart--;
  if (t - runStart >= 2 && t - runStart === same) return `consecutive-${kind}`;
  if (opposite > 0) return `oscillating-${kind}`;
  return `sporadic-${kind}`;
}
