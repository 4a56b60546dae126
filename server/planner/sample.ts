/**
 * 暗访 sampling: draw N stops the way an unannounced assessment picks points. The pool is split into
 * strata by kind × subdistrict; each stratum gets a share of N in proportion to its size (largest
 * remainders first, ties broken by the seeded stream), so every kind and subdistrict appears about as
 * often as it exists and no inspector can guess which lanes are safe to skip; inside a stratum the
 * points are a seeded partial Fisher–Yates shuffle. The pool is sorted by id first, so the same pool,
 * N and seed always give the same sample, whatever order the pool came in.
 */
import { mulberry32 } from '../solver/random';

/** What sampling needs to know of a stop. */
export interface Sampleable {
  id: string;
  kind: string;
  subdistrictId: string | null;
}

/**
 * A stratified random sample of `n` items (all of them when the pool is no bigger), in pool order by id.
 * @example stratifiedSample(places, 20, 7).map((p) => p.id)
 */
export function stratifiedSample<T extends Sampleable>(pool: readonly T[], n: number, seed: number): T[] {
  const sorted = [...pool].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (n >= sorted.length) return sorted;
  const rand = mulberry32(seed);
  const strata = new Map<string, T[]>();
  for (const item of sorted) {
    const key = `${item.kind}\u0000${item.subdistrictId ?? ''}`;
    let list = strata.get(key);
    if (!list) strata.set(key, (list = []));
    list.push(item);
  }
  const keys = [...strata.keys()].sort();
  // Hamilton apportionment: floor of each exact share, the rest to the largest remainders.
  const shares = keys.map((k) => {
    const exact = (n * strata.get(k)!.length) / sorted.length;
    return { k, take: Math.floor(exact), rem: exact - Math.floor(exact), tie: rand() };
  });
  let left = n - shares.reduce((s, x) => s + x.take, 0);
  const order = [...shares].sort((a, b) => b.rem - a.rem || a.tie - b.tie);
  for (const s of order) {
    if (left === 0) break;
    s.take++;
    left--;
  }
  const chosen = new Set<string>();
  for (const s of shares) {
    const list = strata.get(s.k)!.slice();
    for (let i = 0; i < s.take; i++) {
      const j = i + Math.floor(rand() * (list.length - i));
      [list[i], list[j]] = [list[j], list[i]];
      chosen.add(list[i].id);
    }
  }
  return sorted.filter((x) => chosen.has(x.id));
}

/**
 * A mock assessment's draw: `quotas[type]` points of each type, each type's share spread over its
 * subdistricts as stratifiedSample spreads it. Every type draws from its own stream (the seed mixed
 * with the type id), so changing one type's quota leaves the other types' points where they were.
 */
export function drawPerType<T extends Sampleable>(pool: readonly T[], quotas: ReadonlyMap<string, number>, seed: number): T[] {
  const byType = new Map<string, T[]>();
  for (const p of pool) {
    const list = byType.get(p.kind);
    if (list) list.push(p);
    else byType.set(p.kind, [p]);
  }
  const out: T[] = [];
  for (const [type, n] of [...quotas].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (n > 0) out.push(...stratifiedSample(byType.get(type) ?? [], n, mixSeed(seed, type)));
  }
  return out;
}

/** FNV-1a of the text folded into the seed: a stream per type that is the same on every run. */
function mixSeed(seed: number, text: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
