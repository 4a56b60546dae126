import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProblemCollection, ProblemDetail, type ProblemProps } from '../../server/contract/problems';
import { FIXTURE_DIR, fixtureApp, getJson, NOW } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

interface Written {
  geometry: { coordinates: [number, number] };
  properties: ProblemProps;
}
const WRITTEN: Written[] = readFileSync(join(FIXTURE_DIR, 'problems.ndjson'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));

const isOverdue = (p: ProblemProps) => p.status === 'assigned' && Date.parse(p.deadline!) < NOW;

/** The filter semantics of the contract, written plainly, to check the SQL against. */
function expectedIds(q: {
  bbox?: number[];
  from?: number;
  to?: number;
  category?: string[];
  status?: string[];
  subdistrict?: string[];
  unit?: string[];
}): string[] {
  return WRITTEN.filter(
    ({
      geometry: {
        coordinates: [lng, lat],
      },
      properties: p,
    }) => {
      const t = Date.parse(p.reportedAt);
      if (q.bbox && (lng < q.bbox[0] || lat < q.bbox[1] || lng > q.bbox[2] || lat > q.bbox[3])) return false;
      if (q.from !== undefined && t < q.from) return false;
      if (q.to !== undefined && t > q.to) return false;
      if (q.category && !q.category.includes(p.category)) return false;
      if (q.subdistrict && !q.subdistrict.includes(p.subdistrictId!)) return false;
      if (q.unit && !q.unit.includes(p.unitId!)) return false;
      if (q.status && !q.status.includes(p.status) && !(q.status.includes('overdue') && isOverdue(p))) return false;
      return true;
    },
  )
    .sort((a, b) => Date.parse(b.properties.reportedAt) - Date.parse(a.properties.reportedAt) || (a.properties.id < b.properties.id ? 1 : -1))
    .map((f) => f.properties.id);
}

const ids = (body: { features: { id: string }[] }) => body.features.map((f) => f.id);

/** Follows nextCursor until the last page; returns every id in page order. */
async function walk(query: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const all: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = query ? '&' : '';
    const res: { status: number; body: { features: { id: string }[]; nextCursor: string | null } } = await getJson(
      fx.app,
      `/api/problems?${query}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.features.length).toBeLessThanOrEqual(limit);
    all.push(...ids(res.body));
    cursor = res.body.nextCursor;
    pages++;
    expect(pages).toBeLessThan(100);
  } while (cursor);
  return { ids: all, pages };
}

describe('GET /api/problems', () => {
  it('returns every problem newest first with the stored properties plus overdue', async () => {
    const { status, body } = await getJson(fx.app, '/api/problems');
    expect(status).toBe(200);
    expect(ProblemCollection.parse(body)).toEqual(body);
    expect(body.nextCursor).toBeNull();
    expect(ids(body)).toEqual(expectedIds({}));
    // Same reportedAt: the larger id first.
    expect(ids(body).slice(0, 2)).toEqual(['p18', 'p11']);
    expect(ids(body).slice(-2)).toEqual(['p19', 'p01']);
    const byId = new Map(WRITTEN.map((w) => [w.properties.id, w]));
    for (const f of body.features) {
      const w = byId.get(f.id)!;
      expect(f).toEqual({
        type: 'Feature',
        id: w.properties.id,
        geometry: { type: 'Point', ...w.geometry },
        properties: { ...w.properties, overdue: isOverdue(w.properties) },
      });
    }
    expect(
      body.features
        .filter((f: { properties: { overdue: boolean } }) => f.properties.overdue)
        .map((f: { id: string }) => f.id)
        .sort(),
    ).toEqual(['p03', 'p08', 'p14']);
  });

  const cases: [string, Parameters<typeof expectedIds>[0]][] = [
    ['status=overdue', { status: ['overdue'] }],
    ['status=reported,overdue', { status: ['reported', 'overdue'] }],
    ['status=assigned', { status: ['assigned'] }],
    ['status=closed&status=rectified', { status: ['closed', 'rectified'] }],
    ['category=occupy-road,small-ads', { category: ['occupy-road', 'small-ads'] }],
    ['category=no-such-category', { category: ['no-such-category'] }],
    ['subdistrict=sd01', { subdistrict: ['sd01'] }],
    ['unit=u03', { unit: ['u03'] }],
    ['unit=u01,u02&subdistrict=sd02', { unit: ['u01', 'u02'], subdistrict: ['sd02'] }],
    ['from=2026-03-01', { from: Date.parse('2026-03-01T00:00:00+08:00') }],
    ['to=2026-03-19', { to: Date.parse('2026-03-20T00:00:00+08:00') - 1 }],
    ['from=2026-03-19&to=2026-03-19', { from: Date.parse('2026-03-19T00:00:00+08:00'), to: Date.parse('2026-03-20T00:00:00+08:00') - 1 }],
    [
      'from=2026-03-20T09:00:00%2B08:00&to=2026-03-20T09:00:00%2B08:00',
      { from: Date.parse('2026-03-20T09:00:00+08:00'), to: Date.parse('2026-03-20T09:00:00+08:00') },
    ],
    // A small box (the R*Tree path) and the whole city (the newest-first index path).
    ['bbox=115.983,36.447,115.985,36.449', { bbox: [115.983, 36.447, 115.985, 36.449] }],
    ['bbox=115.97,36.44,115.99,36.46', { bbox: [115.97, 36.44, 115.99, 36.46] }],
    ['bbox=115.97,36.44,115.98,36.46&status=closed', { bbox: [115.97, 36.44, 115.98, 36.46], status: ['closed'] }],
    [
      'bbox=115.983,36.447,115.985,36.449&status=assigned,reported&category=occupy-road,exposed-garbage',
      {
        bbox: [115.983, 36.447, 115.985, 36.449],
        status: ['assigned', 'reported'],
        category: ['occupy-road', 'exposed-garbage'],
      },
    ],
  ];

  it.each(cases)('filters %s', async (query, q) => {
    const { status, body } = await getJson(fx.app, `/api/problems?${query}`);
    expect(status).toBe(200);
    expect(ids(body)).toEqual(expectedIds(q));
  });

  it('has filters that select something in this fixture (so the cases above can fail)', () => {
    expect(expectedIds({ status: ['overdue'] })).toEqual(['p03', 'p08', 'p14']);
    expect(expectedIds({ bbox: [115.983, 36.447, 115.985, 36.449] })).toEqual(['p04', 'p03', 'p02', 'p01']);
    expect(expectedIds({ to: Date.parse('2026-03-20T00:00:00+08:00') - 1 })).toContain('p04');
    expect(expectedIds({ to: Date.parse('2026-03-20T00:00:00+08:00') - 1 })).not.toContain('p11');
  });

  it.each([
    ['', 1],
    ['', 3],
    ['', 7],
    ['status=closed', 2],
    ['bbox=115.983,36.447,115.985,36.449', 1],
    ['bbox=115.97,36.44,115.99,36.46&from=2026-02-01', 4],
  ])('pages through "%s" with limit %i, visiting each problem exactly once in order', async (query, limit) => {
    const params = new URLSearchParams(query);
    const q: Parameters<typeof expectedIds>[0] = {};
    if (params.get('status')) q.status = params.get('status')!.split(',');
    if (params.get('bbox')) q.bbox = params.get('bbox')!.split(',').map(Number);
    if (params.get('from')) q.from = Date.parse(`${params.get('from')}T00:00:00+08:00`);
    const expected = expectedIds(q);
    const { ids: seen, pages } = await walk(query, limit);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.max(1, Math.ceil(expected.length / limit)));
  });

  it.each([
    ['limit=50001', 'query.limit', 'limit must be at most 50000; page through more with cursor'],
    ['limit=0', 'query.limit', 'limit must be at least 1'],
    ['from=2026-03-02&to=2026-03-01', 'query.from', 'from must not be after to'],
    ['bbox=1,2,3', 'query.bbox', 'bbox must be four numbers "west,south,east,north" (got 3 parts)'],
    ['from=last-week', 'query.from', 'must be a date like 2026-03-04 or an ISO time like 2026-03-04T09:15:00+08:00 (got "last-week")'],
    ['cursor=xyz', 'query.cursor', 'cursor is not one this server gave out; leave it out to start from the first page'],
    ['status=open', 'query.status.0', 'status must be among reported, assigned, rectified, closed, held, rejected, overdue'],
  ])('rejects %s with 400 and details', async (query, path, message) => {
    const { status, body } = await getJson(fx.app, `/api/problems?${query}`);
    expect(status).toBe(400);
    expect(body.details).toEqual([{ path, message }]);
    expect(body.error).toBe(`Invalid ${path}: ${message}`);
  });

  it('lists every problem of a bad request', async () => {
    const { status, body } = await getJson(fx.app, '/api/problems?limit=0&bbox=x');
    expect(status).toBe(400);
    expect(body.details.map((d: { path: string }) => d.path).sort()).toEqual(['query.bbox', 'query.limit']);
    expect(body.error).toMatch(/\(and 1 more problem\)$/);
  });
});

describe('GET /api/problems/:id', () => {
  it('resolves category, subdistrict, unit and place names', async () => {
    const { status, body } = await getJson(fx.app, '/api/problems/p03');
    expect(status).toBe(200);
    expect(ProblemDetail.parse(body)).toEqual(body);
    const w = WRITTEN.find((x) => x.properties.id === 'p03')!;
    expect(body).toEqual({
      type: 'Feature',
      id: 'p03',
      geometry: { type: 'Point', coordinates: w.geometry.coordinates },
      properties: {
        ...w.properties,
        overdue: true,
        categoryName: { zh: '占道经营', en: 'Street vending on the road' },
        limit: { amount: 3, unit: 'day' },
        codes: [],
        subdistrictName: '东城街道',
        unitName: '东关市场服务中心',
        place: { id: 'mk01', kind: 'market', name: '东关农贸市场' },
      },
    });
  });

  it('gives place null for a problem at no place', async () => {
    const { body } = await getJson(fx.app, '/api/problems/p10');
    expect(body.properties.place).toBeNull();
    expect(body.properties.overdue).toBe(false);
  });

  it('answers 404 for an unknown id', async () => {
    const { status, body } = await getJson(fx.app, '/api/problems/p99');
    expect(status).toBe(404);
    expect(body.error).toMatch(/^There is no problem "p99"/);
  });
});
