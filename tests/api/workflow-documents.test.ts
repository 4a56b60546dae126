import { afterAll, describe, expect, it } from 'vitest';
import { cityIsoWeek as isoWeek, cityWeekStart as weekStart } from '../../server/contract/city-time';
import { jpegWithExif } from '../fixtures/media/photos';
import { fixtureApp, getJson } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

const html = async (path: string) => {
  const res = await fx.app.request(path);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
};

describe('整改通知单', () => {
  it('prints who must fix what, where and by when, marked 督办 when overdue', async () => {
    const { status, type, body } = await html('/api/problems/p03/notice');
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/html/);
    expect(body).toContain('<h1>督办单</h1>');
    expect(body).toContain('编号：JK-2026-000003');
    expect(body).toContain('<strong>东关市场服务中心</strong>');
    expect(body).toContain('东关农贸市场 东关街12号');
    expect(body).toContain('2026年3月13日 16:00 前（已超期）');
    expect(body).toContain('反复问题');
    expect(body).toContain('@page { size: A4');
    // Self-contained: nothing from outside the origin.
    expect(body).not.toMatch(/(src|href)="https?:/);
    const onTime = await html('/api/problems/p13/notice');
    expect(onTime.body).toContain('<h1>整改通知单</h1>');
  });

  it('shows the before photos, escapes text, and refuses a problem never assigned', async () => {
    const fd = new FormData();
    for (const [k, v] of Object.entries({ category: 'small-ads', lng: 115.975, lat: 36.45, description: '<script>alert(1)</script> 小广告', reporter: '王' }))
      fd.set(k, String(v));
    fd.append('photos', new File([new Uint8Array(await jpegWithExif())], 'a.jpg'));
    const created = (await (await fx.app.request('/api/problems', { method: 'POST', body: fd })).json()) as any;
    const id = created.problem.id;
    expect((await html(`/api/problems/${id}/notice`)).status).toBe(409);
    await fx.app.request(`/api/problems/${id}/transitions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'assigned' }),
    });
    const { body } = await html(`/api/problems/${id}/notice`);
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; 小广告');
    expect(body).not.toContain('<script>alert');
    expect(body).toContain(`src="${created.photos[0].screenUrl}"`);
    expect((await html('/api/problems/p99/notice')).status).toBe(404);
  });
});

describe('weekly 通报', () => {
  it('weeks run Monday to Sunday in city time, ISO numbered', () => {
    expect(new Date(weekStart(Date.parse('2026-03-22T23:59:00+08:00'))).toISOString()).toBe('2026-03-15T16:00:00.000Z');
    expect(new Date(weekStart(Date.parse('2026-03-16T00:00:00+08:00'))).toISOString()).toBe('2026-03-15T16:00:00.000Z');
    expect(isoWeek(Date.parse('2026-03-16T00:00:00Z'))).toBe(12);
    expect(isoWeek(Date.parse('2026-01-01T00:00:00Z'))).toBe(1);
    expect(isoWeek(Date.parse('2027-01-01T00:00:00Z'))).toBe(53);
  });

  it('sums up a subdistrict’s week with its rank, units, overdue list and recurrences', async () => {
    const { status, body } = await html('/api/briefings/weekly?subdistrict=sd02&week=2026-03-10');
    expect(status).toBe(200);
    expect(body).toContain('东城街道创文工作周通报（2026年第11周）');
    expect(body).toContain('2026-03-09 至 2026-03-15');
    // sd02 problems reported 2026-03-09 … 15: p03 (occupy-road), p15 (disorderly-parking).
    expect(body).toMatch(/共发现问题 <strong>2<\/strong> 个/);
    expect(body).toContain('<td>p03</td><td>占道经营</td>');
    expect(body).toContain('五、反复出现的问题（1）');
    const { body: rank } = await getJson(fx.app, '/api/rankings?by=subdistrict&from=2026-03-09&to=2026-03-15');
    const me = rank.rows.find((r: any) => r.id === 'sd02');
    expect(body).toContain(`排名第 <strong>${me.rank}</strong> 位`);
    expect((await html('/api/briefings/weekly?subdistrict=sd99')).status).toBe(404);
    expect((await html('/api/briefings/weekly')).status).toBe(400);
  });
});
