import { describe, expect, it } from 'vitest';
import { filterArea, inFilterArea, isOverdue, listMask, statusMask, toProblemFilter } from '../../../server/contract/problem-filter';
import { STATUS_FILTERS } from '../../../server/contract/problem-status';

const NOW = Date.parse('2026-03-20T12:00:00+08:00');
const passing = (mask: Uint8Array | null) => (mask ? STATUS_FILTERS.filter((_, c) => mask[c] === 1) : 'all');

describe('the problem filter', () => {
  it('counts an assigned problem past its deadline as overdue, and nothing else', () => {
    expect(isOverdue('assigned', NOW - 1, NOW)).toBe(true);
    expect(isOverdue('assigned', NOW, NOW)).toBe(false);
    expect(isOverdue('assigned', null, NOW)).toBe(false);
    expect(isOverdue('rectified', NOW - 1, NOW)).toBe(false);
  });

  it('keeps the overdue ones under assigned, and only them under overdue', () => {
    const mask = (status: (typeof STATUS_FILTERS)[number][]) => passing(statusMask(STATUS_FILTERS, toProblemFilter({ status })));
    expect(mask([])).toBe('all');
    expect(mask(['assigned'])).toEqual(['assigned', 'overdue']);
    expect(mask(['overdue'])).toEqual(['overdue']);
    expect(mask(['reported', 'overdue'])).toEqual(['reported', 'overdue']);
    expect(mask(['closed'])).toEqual(['closed']);
  });

  it('treats an empty list as no filter and a null id as never listed', () => {
    const f = toProblemFilter({ category: [], subdistrict: ['sd1'] });
    expect(f.categories).toBeUndefined();
    expect(listMask(['a', 'b'], f.categories)).toBeNull();
    expect(listMask([null, 'sd1', 'sd2'], f.subdistricts)).toEqual(Uint8Array.from([0, 1, 0]));
  });

  it('keeps a grid filter to the inside of its outlines: holes out, every part of a MultiPolygon in', () => {
    const square = (w: number, s: number, e: number, n: number) => [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ];
    const area = filterArea(
      [
        { type: 'Polygon', coordinates: [square(0, 0, 10, 10), square(4, 4, 6, 6)] },
        { type: 'MultiPolygon', coordinates: [[square(20, 0, 21, 1)], [square(30, 0, 31, 1)]] },
      ],
      'g1@1,g2@3',
    );
    expect(area.bbox).toEqual([0, 0, 31, 10]);
    expect([inFilterArea(area, 1, 1), inFilterArea(area, 5, 5), inFilterArea(area, 20.5, 0.5), inFilterArea(area, 30.5, 0.5)]).toEqual([
      true,
      false,
      true,
      true,
    ]);
    expect([inFilterArea(area, 15, 5), inFilterArea(area, -1, 5), inFilterArea(area, 25, 0.5)]).toEqual([false, false, false]);
    // No outline at all (grids that do not exist): nothing is inside.
    expect(inFilterArea(filterArea([], ''), 0, 0)).toBe(false);
  });

  it('resolves grid ids through the side that holds the grids, and refuses to guess without it', () => {
    const area = filterArea([], 'g@0');
    expect(toProblemFilter({ grid: ['g'] }, { gridArea: (ids) => (ids[0] === 'g' ? area : filterArea([], 'x')) }).area).toBe(area);
    expect(toProblemFilter({ grid: [] }).area).toBeUndefined();
    expect(() => toProblemFilter({ grid: ['g'] })).toThrow(/needs the grids/);
  });

  it('turns districts into their subdistricts, narrowed by the subdistricts asked for; a district of none keeps nothing', () => {
    const districtSubdistricts = (ids: string[]) => ids.flatMap((id) => ({ dt1: ['sd1', 'sd2'], dt2: ['sd3'] })[id] ?? []);
    expect(toProblemFilter({ district: ['dt1'] }, { districtSubdistricts }).subdistricts).toEqual(['sd1', 'sd2']);
    expect(toProblemFilter({ district: ['dt1', 'dt2'], subdistrict: ['sd2', 'sd3', 'sd9'] }, { districtSubdistricts }).subdistricts).toEqual(['sd2', 'sd3']);
    expect(toProblemFilter({ district: ['dt1'], subdistrict: ['sd3'] }, { districtSubdistricts }).subdistricts).toEqual([]);
    expect(toProblemFilter({ district: ['nope'] }, { districtSubdistricts }).subdistricts).toEqual([]);
    expect(toProblemFilter({ district: [], subdistrict: ['sd3'] }, { districtSubdistricts }).subdistricts).toEqual(['sd3']);
    expect(() => toProblemFilter({ district: ['dt1'] })).toThrow(/needs the districts/);
    // An empty list keeps nothing wherever the filter is applied.
    expect(listMask(['sd1', 'sd2', null], [])).toEqual(Uint8Array.from([0, 0, 0]));
  });
});
