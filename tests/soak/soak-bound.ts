/**
 * The soak's bound as a pure function over the samples, so a recorded test-results/soak.json can be
 * judged again without a 30-minute run:
 *
 *   npx tsx tests/soak/soak-bound.ts test-results/soak.json
 *
 * Each side of the comparison is the median of three samples (around the baseline minute, and the
 * last three), so one sample taken while a fetch or a tour flight is in flight (its abort listeners,
 * its response buffer) does not decide; a leak grows every sample and moves the median as well.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface SoakSample {
  minute: number;
  heapUsedMB: number;
  domNodes: number;
  listeners: number;
}

export const HEAP_SLACK_MB = 10;
export const HEAP_SLACK_SHARE = 0.15;
export const COUNT_SLACK_SHARE = 0.1;

export interface SoakVerdict {
  baselineMinute: number;
  baseline: { heapUsedMB: number; domNodes: number; listeners: number };
  end: { heapUsedMB: number; domNodes: number; listeners: number };
  bound: { heapMaxMB: number; domNodesMax: number; listenersMax: number };
  /** Least-squares heap slope from the baseline on, MB per hour. */
  heapSlopeMBPerHour: number;
  failures: string[];
}

/** The baseline minute for a run of `minutes`: 5, or half the run when shorter. */
export function baselineMinute(minutes: number): number {
  return Math.min(5, Math.max(1, Math.floor(minutes / 2)));
}

/** Judges the samples (minute 0, 1, …) of a run against the bound in the module comment. */
export function soakVerdict(samples: readonly SoakSample[], baseMinute: number): SoakVerdict {
  const at = samples.findIndex((s) => s.minute === baseMinute);
  if (at < 0) throw new Error(`no sample at the baseline minute ${baseMinute}: run the soak for at least ${2 * baseMinute} minutes`);
  const around = samples.slice(Math.max(0, at - 1), at + 2);
  const last = samples.slice(-3);
  const med = (xs: readonly SoakSample[], k: 'heapUsedMB' | 'domNodes' | 'listeners') => median(xs.map((x) => x[k]));
  const baseline = { heapUsedMB: med(around, 'heapUsedMB'), domNodes: med(around, 'domNodes'), listeners: med(around, 'listeners') };
  const end = { heapUsedMB: med(last, 'heapUsedMB'), domNodes: med(last, 'domNodes'), listeners: med(last, 'listeners') };
  const bound = {
    heapMaxMB: round(baseline.heapUsedMB + Math.max(HEAP_SLACK_MB, baseline.heapUsedMB * HEAP_SLACK_SHARE)),
    domNodesMax: Math.floor(baseline.domNodes * (1 + COUNT_SLACK_SHARE)),
    listenersMax: Math.floor(baseline.listeners * (1 + COUNT_SLACK_SHARE)),
  };
  const tail = samples.slice(at);
  const heapSlopeMBPerHour = round(
    slope(
      tail.map((x) => x.minute),
      tail.map((x) => x.heapUsedMB),
    ) * 60,
  );
  const failures: string[] = [];
  if (end.heapUsedMB > bound.heapMaxMB) failures.push(`JS heap ${end.heapUsedMB} MB at the end, over the bound ${bound.heapMaxMB} MB`);
  if (end.domNodes > bound.domNodesMax) failures.push(`${end.domNodes} DOM nodes at the end, over the bound ${bound.domNodesMax}`);
  if (end.listeners > bound.listenersMax) failures.push(`${end.listeners} event listeners at the end, over the bound ${bound.listenersMax}`);
  return { baselineMinute: baseMinute, baseline, end, bound, heapSlopeMBPerHour, failures };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Least-squares slope of y over x (0 for fewer than two points). */
function slope(x: number[], y: number[]): number {
  if (x.length < 2) return 0;
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    num += (x[i] - mx) * (y[i] - my);
    den += (x[i] - mx) ** 2;
  }
  return den > 0 ? num / den : 0;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2] ?? 'test-results/soak.json';
  const run = JSON.parse(readFileSync(file, 'utf8')) as { minutes: number; samples: SoakSample[] };
  const verdict = soakVerdict(run.samples, baselineMinute(run.minutes));
  console.log(JSON.stringify(verdict, null, 2));
  process.exitCode = verdict.failures.length ? 1 : 0;
}
