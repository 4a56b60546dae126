import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS } from '../../../../client/src/lib/filters';
import { DEFAULT_SORT, ledgerParams, ledgerQuery, nextSort, pagesFor, visibleRange } from '../../../../client/src/pages/ledger/ledger-query';

describe('ledgerQuery', () => {
  it('sends the map filters, the search and a non-default sort', () => {
    expect(ledgerQuery(EMPTY_FILTERS, '', DEFAULT_SORT)).toBe('');
    expect(ledgerQuery({ ...EMPTY_FILTERS, statuses: ['overdue'], units: ['u02', 'u01'] }, '  暴露  垃圾 ', { key: 'deadline', order: 'asc' })).toBe(
      `status=overdue&unit=u01,u02&q=${encodeURIComponent('暴露 垃圾')}&sort=deadline&order=asc`,
    );
    expect(ledgerQuery(EMPTY_FILTERS, '', DEFAULT_SORT, { lang: 'en' })).toBe('lang=en');
  });
});

describe('ledgerParams', () => {
  it('gives the same query as parameters, typed for the API call', () => {
    expect(ledgerParams(EMPTY_FILTERS, '', DEFAULT_SORT)).toEqual({});
    expect(ledgerParams({ ...EMPTY_FILTERS, statuses: ['overdue'] }, ' 暴露  垃圾 ', { key: 'id', order: 'asc' }, { lang: 'en' })).toEqual({
      status: 'overdue',
      q: '暴露 垃圾',
      sort: 'id',
      order: 'asc',
      lang: 'en',
    });
  });
});

describe('nextSort', () => {
  it('flips the same column and starts others in their natural order', () => {
    expect(nextSort(DEFAULT_SORT, 'reportedAt')).toEqual({ key: 'reportedAt', order: 'asc' });
    expect(nextSort(DEFAULT_SORT, 'deadline')).toEqual({ key: 'deadline', order: 'asc' });
    expect(nextSort({ key: 'id', order: 'asc' }, 'rectifiedAt')).toEqual({ key: 'rectifiedAt', order: 'desc' });
  });
});

describe('virtual window', () => {
  it('covers the viewport plus overscan, clamped to the rows there are', () => {
    expect(visibleRange(0, 360, 36, 100_000, 5)).toEqual({ first: 0, last: 15 });
    expect(visibleRange(36 * 50_000, 360, 36, 100_000, 5)).toEqual({ first: 49_995, last: 50_015 });
    expect(visibleRange(36 * 99_990, 720, 36, 100_000, 5)).toEqual({ first: 99_985, last: 99_999 });
    expect(visibleRange(0, 360, 36, 0)).toEqual({ first: 0, last: -1 });
  });
  it('names the pages holding a range', () => {
    expect(pagesFor(195, 215, 200)).toEqual([0, 1]);
    expect(pagesFor(0, -1, 200)).toEqual([]);
    expect(pagesFor(400, 599, 200)).toEqual([2]);
  });
});
