import { afterAll, describe, expect, it } from 'vitest';
import { PlaceDetail } from '../../server/contract/places';
import { fixtureApp, getJson } from './fixture';

const fx = fixtureApp();
afterAll(() => fx.close());

describe('GET /api/places/:id', () => {
  it('returns a market with names and problem counts', async () => {
    const { status, body } = await getJson(fx.app, '/api/places/mk01');
    expect(status).toBe(200);
    expect(PlaceDetail.parse(body)).toEqual(body);
    expect(body).toEqual({
      type: 'Feature',
      id: 'mk01',
      geometry: { type: 'Point', coordinates: [115.984, 36.448] },
      properties: {
        id: 'mk01',
        name: '东关农贸市场',
        kind: 'market',
        subdistrictId: 'sd02',
        unitId: 'u02',
        address: '东关街12号',
        subdistrictName: '东城街道',
        unitName: '东关市场服务中心',
        // p01, p02 closed; p03 assigned and overdue; p04 reported.
        problemCounts: { total: 4, open: 2, overdue: 1 },
      },
    });
  });

  it('returns a community with its entrance and a back street with its length', async () => {
    const cm = await getJson(fx.app, '/api/places/cm01');
    expect(cm.body.geometry.type).toBe('Polygon');
    expect(cm.body.properties).toMatchObject({ kind: 'community', entrance: [115.974, 36.452], subdistrictName: '西城街道', unitName: '西城街道城管中队' });
    expect(cm.body.properties.problemCounts).toEqual({ total: 2, open: 1, overdue: 1 });
    const bs = await getJson(fx.app, '/api/places/bs01');
    expect(bs.body.properties).toMatchObject({ kind: 'back-street', lengthM: 432 });
    expect(bs.body.properties.problemCounts).toEqual({ total: 3, open: 2, overdue: 0 });
  });

  it('answers 404 for an unknown id', async () => {
    const { status, body } = await getJson(fx.app, '/api/places/mk99');
    expect(status).toBe(404);
    expect(body.error).toMatch(/^There is no place "mk99"/);
  });
});
