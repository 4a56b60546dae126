import { describe, expect, it } from 'vitest';
import {
  districtSubdistricts,
  EMPTY_FILTERS,
  filtersToParams,
  filtersToQuery,
  hasValidDateRange,
  isEmptyFilters,
  isIsoDate,
  sanitizeFilters,
  toggleValue,
  toQueryString,
} from '../../../client/src/lib/filters';
import { toggleValueOf } from '../../../client/src/lib/layer-toggles';

describe('filtersToQuery', () => {
  it('is empty for no filter', () => {
    expect(filtersToQuery(EMPTY_FILTERS)).toBe('');
  });

  it('uses the API parameter names with comma lists in a canonical order', () => {
    expect(
      filtersToQuery({
        from: '2026-01-01',
        to: '2026-06-30',
        categories: ['b-cat', 'a-cat'],
        statuses: ['closed', 'overdue', 'reported'],
        districts: ['dt2', 'dt1'],
        subdistricts: ['sd2', 'sd10'],
        units: ['u3'],
        grids: ['grid-b', 'grid-a'],
      }),
    ).toBe(
      'from=2026-01-01&to=2026-06-30&category=a-cat,b-cat&status=reported,overdue,closed&district=dt1,dt2&subdistrict=sd10,sd2&unit=u3&grid=grid-a,grid-b',
    );
  });

  it('gives equal strings for equal filters chosen in a different order', () => {
    const a = filtersToQuery({ ...EMPTY_FILTERS, categories: ['x', 'y'], statuses: ['assigned', 'reported'] });
    const b = filtersToQuery({ ...EMPTY_FILTERS, categories: ['y', 'x'], statuses: ['reported', 'assigned'] });
    expect(a).toBe(b);
  });

  it('escapes characters that would break the query', () => {
    expect(filtersToQuery({ ...EMPTY_FILTERS, units: ['a&b=c'] })).toBe('unit=a%26b%3Dc');
  });
});

describe('filter helpers', () => {
  it('isIsoDate accepts real dates only', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-2-1')).toBe(false);
    expect(isIsoDate('')).toBe(false);
  });

  it('isEmptyFilters sees any set filter', () => {
    expect(isEmptyFilters(EMPTY_FILTERS)).toBe(true);
    expect(isEmptyFilters({ ...EMPTY_FILTERS, to: '2026-01-01' })).toBe(false);
    expect(isEmptyFilters({ ...EMPTY_FILTERS, units: ['u1'] })).toBe(false);
  });

  it('hasValidDateRange rejects from after to', () => {
    expect(hasValidDateRange({ ...EMPTY_FILTERS, from: '2026-03-02', to: '2026-03-01' })).toBe(false);
    expect(hasValidDateRange({ ...EMPTY_FILTERS, from: '2026-03-01', to: '2026-03-01' })).toBe(true);
    expect(hasValidDateRange({ ...EMPTY_FILTERS, from: '2026-03-02' })).toBe(true);
  });

  it('sanitizeFilters drops unknown ids', () => {
    const f = {
      ...EMPTY_FILTERS,
      categories: ['a', 'zz'],
      districts: ['dt1', 'dt9'],
      subdistricts: ['sd1', 'sd9'],
      units: ['u0'],
      grids: ['grid-gone', 'grid-1'],
    };
    expect(sanitizeFilters(f, { categories: ['a'], districts: ['dt1'], subdistricts: ['sd1'], units: ['u1'], grids: ['grid-1'] })).toEqual({
      ...EMPTY_FILTERS,
      categories: ['a'],
      districts: ['dt1'],
      subdistricts: ['sd1'],
      units: [],
      grids: ['grid-1'],
    });
  });

  it('districtSubdistricts resolves districts into the subdistricts meta puts in them', () => {
    const resolve = districtSubdistricts({
      subdistricts: [
        { id: 'sd1', districtId: 'dt1' },
        { id: 'sd2', districtId: 'dt2' },
        { id: 'sd3', districtId: 'dt1' },
        { id: 'sd4', districtId: null },
      ],
    });
    expect(resolve(['dt1'])).toEqual(['sd1', 'sd3']);
    expect(resolve(['dt1', 'dt2'])).toEqual(['sd1', 'sd2', 'sd3']);
    expect(resolve(['dt9'])).toEqual([]);
  });

  it('toggleValue adds and removes', () => {
    expect(toggleValue(['a', 'b'], 'c')).toEqual(['a', 'b', 'c']);
    expect(toggleValue(['a', 'b'], 'a')).toEqual(['b']);
  });
});

describe('toggleValueOf (layer toggles)', () => {
  it('keeps the hidden list in toggle order', () => {
    expect(toggleValueOf(['problems'], 'subdistricts')).toEqual(['subdistricts', 'problems']);
    expect(toggleValueOf(['subdistricts', 'problems'], 'problems')).toEqual(['subdistricts']);
  });
});

describe('filtersToParams', () => {
  it('names the parameters as the API reads them, lists sorted and comma-joined, empty filters left out', () => {
    expect(filtersToParams(EMPTY_FILTERS)).toEqual({});
    expect(filtersToParams({ ...EMPTY_FILTERS, to: '2026-03-31', statuses: ['overdue', 'reported'], units: ['u2', 'u1'] })).toEqual({
      to: '2026-03-31',
      status: 'reported,overdue',
      unit: 'u1,u2',
    });
  });

  it('is what filtersToQuery writes out', () => {
    const f = { ...EMPTY_FILTERS, from: '2026-01-01', categories: ['b', 'a&c'], subdistricts: ['sd01'] };
    expect(toQueryString({ ...filtersToParams(f) })).toBe(filtersToQuery(f));
    expect(toQueryString({ a: 'x,y', b: undefined, c: 'z w' })).toBe('a=x,y&c=z%20w');
  });
});
