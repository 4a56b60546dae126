import { describe, expect, it } from 'vitest';
import { decodeUrlState, encodeUrlState, EMPTY_URL_STATE, type UrlState } from '../../../client/src/app/url-state';
import { EMPTY_FILTERS } from '../../../client/src/lib/filters';

const FULL: UrlState = {
  view: { center: [115.98123, 36.45678], zoom: 14.25 },
  lang: 'en',
  filters: {
    from: '2026-01-01',
    to: '2026-03-31',
    categories: ['occupy-road', 'exposed-garbage'],
    statuses: ['overdue', 'reported'],
    districts: ['dt02'],
    subdistricts: ['sd3'],
    units: ['u12', 'u7'],
    grids: ['grid-2', 'grid-1'],
  },
  hidden: ['markets', 'subdistricts'],
};

describe('encodeUrlState', () => {
  it('writes every part in a fixed order, lists comma-joined', () => {
    expect(encodeUrlState(FULL)).toBe(
      'c=115.98123,36.45678&z=14.25&lang=en&from=2026-01-01&to=2026-03-31&category=occupy-road,exposed-garbage' +
        '&status=reported,overdue&district=dt02&subdistrict=sd3&unit=u12,u7&grid=grid-2,grid-1&hide=subdistricts,markets',
    );
  });

  it('writes nothing for the default state', () => {
    expect(encodeUrlState(EMPTY_URL_STATE)).toBe('');
  });

  it('rounds the centre to 5 decimals and the zoom to 2', () => {
    const s = encodeUrlState({ ...EMPTY_URL_STATE, view: { center: [115.123456789, 36.987654321], zoom: 12.3456 } });
    expect(s).toBe('c=115.12346,36.98765&z=12.35');
  });
});

describe('decodeUrlState', () => {
  it('round-trips what encode writes', () => {
    const back = decodeUrlState(`?${encodeUrlState(FULL)}`);
    expect(back).toEqual({
      ...FULL,
      filters: { ...FULL.filters, statuses: ['reported', 'overdue'] },
      hidden: ['subdistricts', 'markets'],
    });
  });

  it('gives the empty state for an empty query', () => {
    expect(decodeUrlState('')).toEqual(EMPTY_URL_STATE);
  });

  it('drops malformed values and keeps the good ones', () => {
    const s = decodeUrlState('c=200,36&z=13&lang=fr&from=2026-02-30&to=2026-03-01&status=overdue,bogus&category=a,,a,<script>&hide=markets,roads&unit=u1');
    expect(s.view).toBeNull();
    expect(s.lang).toBeNull();
    expect(s.filters).toEqual({ ...EMPTY_FILTERS, to: '2026-03-01', statuses: ['overdue'], categories: ['a'], units: ['u1'] });
    expect(s.hidden).toEqual(['markets']);
  });

  it('needs both centre and zoom for a view', () => {
    expect(decodeUrlState('c=115.9,36.4').view).toBeNull();
    expect(decodeUrlState('z=12').view).toBeNull();
    expect(decodeUrlState('c=115.9,36.4&z=25').view).toBeNull();
    expect(decodeUrlState('c=115.9,36.4&z=12').view).toEqual({ center: [115.9, 36.4], zoom: 12 });
  });
});
