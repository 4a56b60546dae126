import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { toCityIso } from '../../../server/contract/city-time';
import { mulberry32 } from '../../../server/solver/random';

/**
 * Grows a demo problems.ndjson to `target` problems by adding seeded copies of its problems: each copy
 * moves up to `jitterM` metres and up to a week earlier in time (all its workflow times together, so
 * they stay consistent), keeping the demo's hotspots, recurrences and weekly and campaign rhythm at a
 * higher density. Needed because the demo generator stops at scale 20 (about 480,000 problems).
 */
export async function amplifyProblems(src: string, dst: string, target: number, opts: { seed?: number; jitterM?: number } = {}) {
  const lines: string[] = [];
  for await (const line of createInterface({ input: createReadStream(src), crlfDelay: Infinity })) if (line.trim()) lines.push(line);
  const random = mulberry32(opts.seed ?? 7);
  const jitterDeg = (opts.jitterM ?? 8) / 111_000;
  const out = createWriteStream(dst);
  const write = async (s: string) => {
    if (!out.write(`${s}\n`)) await once(out, 'drain');
  };
  const firstMs = Date.parse(JSON.parse(lines[0]).properties.reportedAt);
  let written = 0;
  for (const line of lines) {
    if (written >= target) break;
    await write(line);
    written++;
  }
  const TIMES = ['reportedAt', 'assignedAt', 'deadline', 'rectifiedAt', 'closedAt'] as const;
  for (let copy = 1; written < target; copy++) {
    for (const line of lines) {
      if (written >= target) break;
      const f = JSON.parse(line);
      const p = f.properties;
      const reported = Date.parse(p.reportedAt);
      // Earlier by whole days (the hour of day keeps the demo's working-hours rhythm), never before the first report.
      const shiftMs = Math.min(Math.floor(random() * 7), Math.floor((reported - firstMs) / 86_400_000)) * 86_400_000;
      for (const k of TIMES) if (p[k]) p[k] = shiftIso(p[k], -shiftMs);
      p.id = `${p.id}c${copy}`;
      if (p.recurrenceOf) p.recurrenceOf = `${p.recurrenceOf}c${copy}`;
      f.id = p.id;
      const [lng, lat] = f.geometry.coordinates;
      f.geometry.coordinates = [round7(lng + (random() - 0.5) * 2 * jitterDeg), round7(lat + (random() - 0.5) * 2 * jitterDeg)];
      await write(JSON.stringify(f));
      written++;
    }
  }
  out.end();
  await once(out, 'finish');
  return { source: lines.length, written };
}

/** Shifts `2026-03-04T09:15:00+08:00` by `ms`, keeping the +08:00 form. */
function shiftIso(iso: string, ms: number): string {
  return toCityIso(Date.parse(iso) + ms);
}

function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}
