import { describe, expect, it } from 'vitest';
import { drawPerType, stratifiedSample } from '../../../server/planner/sample';

// 60 markets in sd1, 30 in sd2, 10 communities in sd1: shares 60 / 30 / 10 %.
const pool = [
  ...Array.from({ length: 60 }, (_, i) => ({ id: `mk-a${String(i).padStart(2, '0')}`, kind: 'market', subdistrictId: 'sd1' })),
  ...Array.from({ length: 30 }, (_, i) => ({ id: `mk-b${String(i).padStart(2, '0')}`, kind: 'market', subdistrictId: 'sd2' })),
  ...Array.from({ length: 10 }, (_, i) => ({ id: `cm-${String(i).padStart(2, '0')}`, kind: 'community', subdistrictId: 'sd1' })),
];

describe('stratifiedSample (暗访)', () => {
  it('is reproducible for a seed whatever the pool order, and differs between seeds', () => {
    const a = stratifiedSample(pool, 10, 42).map((x) => x.id);
    const b = stratifiedSample([...pool].reverse(), 10, 42).map((x) => x.id);
    expect(b).toEqual(a);
    expect(stratifiedSample(pool, 10, 43).map((x) => x.id)).not.toEqual(a);
    expect(new Set(a).size).toBe(10);
  });

  it('gives each kind × subdistrict stratum its share of the sample', () => {
    for (const seed of [1, 2, 3]) {
      const s = stratifiedSample(pool, 10, seed);
      expect(s.filter((x) => x.id.startsWith('mk-a'))).toHaveLength(6);
      expect(s.filter((x) => x.id.startsWith('mk-b'))).toHaveLength(3);
      expect(s.filter((x) => x.kind === 'community')).toHaveLength(1);
    }
    // 7 of 100: exact shares 4.2 / 2.1 / 0.7 → floors 4 + 2 + 0, the remainder to the largest (0.7).
    const seven = stratifiedSample(pool, 7, 5);
    expect([
      seven.filter((x) => x.id.startsWith('mk-a')).length,
      seven.filter((x) => x.id.startsWith('mk-b')).length,
      seven.filter((x) => x.kind === 'community').length,
    ]).toEqual([4, 2, 1]);
  });

  it('returns the whole pool when N is not smaller, sorted by id', () => {
    const all = stratifiedSample(pool, 500, 1);
    expect(all).toHaveLength(100);
    expect(all.map((x) => x.id)).toEqual(pool.map((x) => x.id).sort());
  });

  it('picks every member of a stratum about equally often over many seeds', () => {
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 600; seed++)
      for (const x of stratifiedSample(pool, 10, seed)) if (x.kind === 'community') counts.set(x.id, (counts.get(x.id) ?? 0) + 1);
    // 600 draws of one community from 10: about 60 each.
    expect(counts.size).toBe(10);
    for (const n of counts.values()) expect(n).toBeGreaterThan(30);
  });
});

describe('drawPerType (模拟测评)', () => {
  // 4 subdistricts × (40 markets, 10 bus stops, 2 toilets); sd4's markets are 25 (a smaller subdistrict).
  const pool = ['sd1', 'sd2', 'sd3', 'sd4'].flatMap((sd) => [
    ...Array.from({ length: sd === 'sd4' ? 25 : 40 }, (_, i) => ({ id: `mk-${sd}-${i}`, kind: 'market', subdistrictId: sd })),
    ...Array.from({ length: 10 }, (_, i) => ({ id: `bus-${sd}-${i}`, kind: 'bus-stop', subdistrictId: sd })),
    ...Array.from({ length: 2 }, (_, i) => ({ id: `wc-${sd}-${i}`, kind: 'toilet', subdistrictId: sd })),
  ]);
  const quotas = new Map([
    ['market', 10],
    ['bus-stop', 4],
    ['toilet', 0],
  ]);

  it('draws each type’s quota, spread over the subdistricts in proportion', () => {
    const drawn = drawPerType(pool, quotas, 11);
    const count = (f: (p: (typeof pool)[number]) => boolean) => drawn.filter(f).length;
    expect(count((p) => p.kind === 'market')).toBe(10);
    expect(count((p) => p.kind === 'bus-stop')).toBe(4);
    expect(count((p) => p.kind === 'toilet')).toBe(0);
    // 10 markets over 40, 40, 40, 25: exact shares 2.76, 2.76, 2.76, 1.72 → 3 or 2 each, sd4 at least 1.
    for (const sd of ['sd1', 'sd2', 'sd3']) expect([2, 3]).toContain(count((p) => p.kind === 'market' && p.subdistrictId === sd));
    expect([1, 2]).toContain(count((p) => p.kind === 'market' && p.subdistrictId === 'sd4'));
    // 4 bus stops over 4 equal subdistricts: one each.
    for (const sd of ['sd1', 'sd2', 'sd3', 'sd4']) expect(count((p) => p.kind === 'bus-stop' && p.subdistrictId === sd)).toBe(1);
    expect(new Set(drawn.map((p) => p.id)).size).toBe(drawn.length);
  });

  it('gives the same draw for the same seed whatever the pool order, another for another seed', () => {
    const ids = (seed: number, from = pool) => drawPerType(from, quotas, seed).map((p) => p.id);
    expect(ids(11, [...pool].reverse())).toEqual(ids(11));
    expect(ids(12)).not.toEqual(ids(11));
  });

  it('leaves the other types’ points where they were when one type’s quota changes', () => {
    const busStops = (q: Map<string, number>) =>
      drawPerType(pool, q, 5)
        .filter((p) => p.kind === 'bus-stop')
        .map((p) => p.id);
    expect(busStops(new Map([...quotas, ['market', 3]]))).toEqual(busStops(quotas));
  });
});
