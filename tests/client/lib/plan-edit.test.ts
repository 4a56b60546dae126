import { describe, expect, it } from 'vitest';
import { draftOf, editBody, isDirty, moveStop, planOverlay, removeStop, teamsChanged, toggleLock, withTeamParams } from '../../../client/src/lib/plan-edit';
import { formToRequest, stopsFromSearch, type FormState } from '../../../client/src/lib/plan-request';
import type { Plan } from '../../../client/src/api/plans';

const s = (id: string, seq: number, extra: Record<string, unknown> = {}) => ({
  id,
  seq,
  locked: false,
  reversed: false,
  lngLat: [116 + seq / 100, 36] as [number, number],
  ...extra,
});
const plan = {
  id: 'pl-1',
  teams: [
    {
      index: 0,
      name: 'A',
      color: '#d1495b',
      start: [116, 36],
      end: null,
      shiftStart: '08:30',
      budgetS: 3600,
      skills: [],
      geometry: {
        type: 'LineString',
        coordinates: [
          [116, 36],
          [116.01, 36],
        ],
      },
      stops: [s('a', 1), s('b', 2, { locked: true }), s('c', 3, { reversed: true })],
    },
    {
      index: 1,
      name: 'B',
      color: '#00798c',
      start: [116, 36],
      end: [116.1, 36],
      shiftStart: '09:00',
      budgetS: 7200,
      skills: ['car'],
      geometry: null,
      stops: [s('d', 1)],
    },
  ],
  dropped: [{ id: 'x', lngLat: [116.5, 36] }],
} as unknown as Plan;

describe('planner draft editing', () => {
  it('moves a stop within a team (before the stop it is dropped on) and across teams', () => {
    const d = draftOf(plan);
    expect(d.teams).toEqual([['a', 'b', 'c'], ['d']]);
    expect([...d.locked]).toEqual(['b']);
    expect(moveStop(d, 'a', 0, 3).teams[0]).toEqual(['b', 'c', 'a']); // to the end
    expect(moveStop(d, 'a', 0, 2).teams[0]).toEqual(['b', 'a', 'c']); // dropped on c: before it
    expect(moveStop(d, 'c', 0, 0).teams[0]).toEqual(['c', 'a', 'b']);
    expect(moveStop(d, 'b', 1, 0).teams).toEqual([
      ['a', 'c'],
      ['b', 'd'],
    ]);
    expect(moveStop(d, 'x', 1, 99).teams).toEqual([
      ['a', 'b', 'c'],
      ['d', 'x'],
    ]); // a dropped stop put back
    expect(isDirty(plan, d)).toBe(false);
    expect(isDirty(plan, moveStop(d, 'a', 0, 2))).toBe(true);
    expect(isDirty(plan, toggleLock(d, 'a'))).toBe(true);
    expect(isDirty(plan, toggleLock(toggleLock(d, 'a'), 'a'))).toBe(false);
  });

  it('becomes a PUT body with the teams as they are, the draft order and locks (back-street directions left to the server)', () => {
    const d = removeStop(moveStop(draftOf(plan), 'd', 0, 0), 'b');
    const body = editBody(plan, d, '新名字');
    expect(body.name).toBe('新名字');
    expect(body.teams[0].stops).toEqual([
      { id: 'd', locked: false },
      { id: 'a', locked: false },
      { id: 'c', locked: false },
    ]);
    expect(body.teams[1]).toMatchObject({ name: 'B', end: [116.1, 36], shiftStart: '09:00', budgetS: 7200, skills: ['car'], stops: [] });
  });

  it("carries the form's team settings into the edit when the team count matches", () => {
    const same = plan.teams.map((t) => ({ name: t.name, start: t.start, end: t.end, shiftStart: t.shiftStart, budgetS: t.budgetS }));
    expect(teamsChanged(plan, same)).toBe(false);
    const later = same.map((t, i) => (i === 1 ? { ...t, shiftStart: '10:00', end: null } : t));
    expect(teamsChanged(plan, later)).toBe(true);
    const body = withTeamParams(editBody(plan, draftOf(plan)), later);
    expect(body.teams[1]).toMatchObject({ shiftStart: '10:00', end: null, stops: [{ id: 'd', locked: false }] });
    expect(withTeamParams(editBody(plan, draftOf(plan)), later.slice(0, 1)).teams[1].shiftStart).toBe('09:00');
  });

  it('draws routes, numbered stops in team colours, starts and ends, dropped stops', () => {
    const fc = planOverlay(plan, '起', '终');
    const labels = fc.features.filter((f) => f.properties?.label).map((f) => `${f.properties!.color}:${f.properties!.label}`);
    expect(labels).toEqual(['#15803d:起', '#d1495b:1', '#d1495b:2', '#d1495b:3', '#15803d:起', '#b91c1c:终', '#00798c:1']);
    expect(fc.features.filter((f) => f.geometry.type === 'LineString')).toHaveLength(1);
  });
});

describe('planner form', () => {
  const form: FormState = {
    date: '2026-03-20',
    profile: 'walk',
    teams: [{ name: ' 一组 ', start: [116, 36], end: null, shiftStart: '08:30', budgetH: 2.5 }],
    ids: ['mk1'],
    kinds: [],
    subdistricts: [],
    openProblems: 'overdue',
    hotspots: 0,
    unvisited: 0,
    sampleN: 0,
    sampleSeed: 1,
    polygon: [
      [116, 36],
      [116.1, 36],
      [116.1, 36.1],
    ],
    marketWindow: true,
    dwellMin: { market: 15, community: 20, problem: 5 },
    balance: false,
  };
  it('sends only the selection tools in use, with a closed polygon and seconds', () => {
    const req = formToRequest(form);
    expect(req.stops).toEqual({
      ids: ['mk1'],
      openProblems: 'overdue',
      polygon: {
        type: 'Polygon',
        coordinates: [
          [
            [116, 36],
            [116.1, 36],
            [116.1, 36.1],
            [116, 36],
          ],
        ],
      },
    });
    expect(req.teams[0]).toEqual({ name: '一组', start: [116, 36], end: null, shiftStart: '08:30', budgetS: 9000 });
    // A start picked by name is sent with it; an end's name goes only with an end.
    const named = formToRequest({ ...form, teams: [{ ...form.teams[0], startName: '古楼街道办事处', endName: '东关农贸市场' }] });
    expect(named.teams[0]).toMatchObject({ startName: '古楼街道办事处' });
    expect(named.teams[0]).not.toHaveProperty('endName');
    expect(req.dwell).toEqual({ market: 900, community: 1200, problem: 300 });
    expect(req.windows).toEqual({ market: [{ start: '06:00', end: '09:00' }] });
  });
  it('asks for the places unvisited longest when N is set', () => {
    expect(formToRequest({ ...form, ids: [], openProblems: 'none', polygon: null, kinds: ['market'], unvisited: 12 }).stops).toEqual({
      kinds: ['market'],
      longestUnvisited: 12,
    });
  });
  it('reads ?stops= ids', () => {
    expect(stopsFromSearch('?stops=mk1,%20p2,,mk1&lang=en')).toEqual(['mk1', 'p2']);
    expect(stopsFromSearch('')).toEqual([]);
  });
});

describe('planner text', () => {
  it('has every entry in both languages with the same placeholders', async () => {
    const { planText, PLAN_TEXT } = await import('../../../client/src/lib/plan-text');
    const keys = Object.keys(PLAN_TEXT.zh) as (keyof typeof PLAN_TEXT.zh)[];
    expect(Object.keys(PLAN_TEXT.en).sort()).toEqual([...keys].sort());
    for (const k of keys) {
      const zh = planText('zh', k);
      const en = planText('en', k);
      expect(zh.length).toBeGreaterThan(0);
      expect(en.length).toBeGreaterThan(0);
      expect((zh.match(/\{\w+\}/g) ?? []).sort()).toEqual((en.match(/\{\w+\}/g) ?? []).sort());
    }
    expect(planText('zh', 'preselected', { n: 3 })).toBe('已预选 3 个点位');
  });
});
