import { describe, expect, it } from 'vitest';
import { isOverdue, listMask, statusMask, toProblemFilter } from '../../../server/contract/problem-filter';
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
});
