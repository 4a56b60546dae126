import { classifyCell, HOTSPOT_CLASSES } from './emerging';
import { benjaminiHochberg } from './fdr';
import { giMoments, giStarZ } from './gi-star';
import { mannKendall } from './mann-kendall';
import { twoSidedP } from './normal';

/**
 * Hotspot statistics over a space-time cube: C cells × T weeks of problem counts, stored cell-major
 * (`counts[c * T + t]`), with the cells' spatial neighbours in CSR form (each list includes the cell).
 *
 * - Weekly Gi*: every bin (c, t) is a feature; its neighbours are the bins of c's spatial neighbours in
 *   weeks t − timeWindow … t (ArcGIS's "neighbourhood time step"), so W = |N(c)| · (weeks in the window).
 *   Mean and S are over all C · T bins. Benjamini-Hochberg over all bins at `alpha` decides which are hot
 *   (z > 0) or cold (z < 0).
 * - Each cell's class comes from its weekly states and z-scores (emerging.ts).
 * - Over the whole period: Gi* of the cells' total counts with the same spatial neighbours, BH over the
 *   cells (`z`, `p`, `significant`), and a Mann-Kendall trend of the weekly counts (`trendZ`, `trendP`).
 * Cells without any problem in the period are not in the cube: a bin exists where a cell had data.
 */
export interface CubeInput {
  cells: number;
  weeks: number;
  /** C × T counts, cell-major. */
  counts: Float64Array;
  /** CSR neighbours of each cell, itself included. */
  offsets: Uint32Array;
  targets: Uint32Array;
}

export interface CubeOptions {
  /** Earlier weeks in each bin's neighbourhood; default 1. */
  timeWindow?: number;
  /** False-discovery rate; default 0.05. */
  alpha?: number;
}

export interface CubeResult {
  /** Per cell: problems in the period. */
  total: Float64Array;
  /** Per cell: Gi* z and p of the totals, and BH significance (1/0). */
  z: Float64Array;
  p: Float64Array;
  significant: Uint8Array;
  /** Per cell: index into HOTSPOT_CLASSES. */
  classCode: Uint8Array;
  hotWeeks: Uint16Array;
  coldWeeks: Uint16Array;
  /** Per cell: Mann-Kendall z and p of the weekly counts (positive z: rising). */
  trendZ: Float64Array;
  trendP: Float64Array;
  /** Per bin (cell-major): weekly Gi* z and state (1 hot, −1 cold, 0 neither). */
  binZ: Float32Array;
  binState: Int8Array;
}

/** Runs the weekly Gi*, FDR, classification and whole-period statistics over `cube`. */
export function analyseCube(cube: CubeInput, opts: CubeOptions = {}): CubeResult {
  const { cells: C, weeks: T, counts, offsets, targets } = cube;
  const timeWindow = Math.max(0, Math.floor(opts.timeWindow ?? 1));
  const alpha = opts.alpha ?? 0.05;
  if (counts.length !== C * T) throw new RangeError(`analyseCube: counts must hold cells × weeks = ${C * T} values (got ${counts.length}).`);
  if (offsets.length !== C + 1) throw new RangeError(`analyseCube: offsets must have cells + 1 = ${C + 1} entries (got ${offsets.length}).`);

  // Sliding sums over each cell's time window: windowSum[c*T+t] = Σ counts[c*T + t−timeWindow … t].
  const windowSum = new Float64Array(C * T);
  const total = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const base = c * T;
    let run = 0;
    for (let t = 0; t < T; t++) {
      run += counts[base + t];
      if (t > timeWindow) run -= counts[base + t - timeWindow - 1];
      windowSum[base + t] = run;
      total[c] += counts[base + t];
    }
  }

  const m = giMoments(counts);
  // Bins with |z| below this have p > 0.0574 and cannot pass BH at alpha ≤ 0.05 (its line never
  // exceeds alpha): they get p = 1 without the erfc, which is most of the million bins.
  const zNeedsP = alpha <= 0.05 ? 1.9 : 0;
  const binZ = new Float32Array(C * T);
  const binP = new Float64Array(C * T);
  for (let c = 0; c < C; c++) {
    const start = offsets[c];
    const end = offsets[c + 1];
    const ring = end - start;
    for (let t = 0; t < T; t++) {
      let sum = 0;
      for (let k = start; k < end; k++) sum += windowSum[targets[k] * T + t];
      const inWindow = Math.min(t, timeWindow) + 1;
      const z = giStarZ(sum, ring * inWindow, m);
      binZ[c * T + t] = z;
      binP[c * T + t] = Math.abs(z) >= zNeedsP ? twoSidedP(z) : 1;
    }
  }
  const binSig = benjaminiHochberg(binP, alpha);
  const binState = new Int8Array(C * T);
  for (let i = 0; i < C * T; i++) if (binSig[i]) binState[i] = binZ[i] > 0 ? 1 : -1;

  const classCode = new Uint8Array(C);
  const hotWeeks = new Uint16Array(C);
  const coldWeeks = new Uint16Array(C);
  const trendZ = new Float64Array(C);
  const trendP = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const states = binState.subarray(c * T, (c + 1) * T);
    for (let t = 0; t < T; t++) {
      if (states[t] > 0) hotWeeks[c]++;
      else if (states[t] < 0) coldWeeks[c]++;
    }
    // Only cells with a significant week can have a class; the rest skip the O(T²) trend on z.
    classCode[c] = hotWeeks[c] + coldWeeks[c] === 0 ? 0 : HOTSPOT_CLASSES.indexOf(classifyCell(states, binZ.subarray(c * T, (c + 1) * T)));
    const trend = mannKendall(counts.subarray(c * T, (c + 1) * T));
    trendZ[c] = trend.z;
    trendP[c] = trend.p;
  }

  const tm = giMoments(total);
  const z = new Float64Array(C);
  const p = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    let sum = 0;
    for (let k = offsets[c]; k < offsets[c + 1]; k++) sum += total[targets[k]];
    z[c] = giStarZ(sum, offsets[c + 1] - offsets[c], tm);
    p[c] = twoSidedP(z[c]);
  }
  const significant = benjaminiHochberg(p, alpha);

  return { total, z, p, significant, classCode, hotWeeks, coldWeeks, trendZ, trendP, binZ, binState };
}
