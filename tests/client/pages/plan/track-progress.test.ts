import { describe, expect, it } from 'vitest';
import { coverageNote, latestFixes, progressSummary, sharePercent, stopMark } from '../../../../client/src/pages/plan/track-progress';
import { isFaded, isTeamPositionEvent, upsertEvent } from '../../../../client/src/lib/team-positions';
import { TRACK_FADE_MS } from '../../../../server/contract/track-rules';
import type { TeamPositionEvent } from '../../../../server/contract/tracks';

const stops = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `s${i}`, name: `站${i}`, seq: i + 1, reached: false, reachedAt: null, closestM: null }));

describe('the walked summary line', () => {
  it('says distance, stops reached and back streets covered, in both languages', () => {
    const team = { walkedM: 3812, reached: 17, stops: stops(18), backStreetShare: 0.92 };
    expect(progressSummary(team, 'zh')).toBe('实走 3.8 km · 到达 17/18 站 · 背街小巷覆盖 92 %');
    expect(progressSummary(team, 'en')).toBe('Walked 3.8 km · reached 17/18 stops · back streets covered 92 %');
  });

  it('leaves the back streets out of a plan without any, and keeps kilometres under one', () => {
    expect(progressSummary({ walkedM: 450, reached: 2, stops: stops(5), backStreetShare: null }, 'zh')).toBe('实走 0.5 km · 到达 2/5 站');
    expect(progressSummary({ walkedM: 0, reached: 0, stops: stops(3), backStreetShare: 0 }, 'en')).toBe(
      'Walked 0.0 km · reached 0/3 stops · back streets covered 0 %',
    );
  });

  it('never rounds a street not walked to its end up to 100 %', () => {
    expect(sharePercent(0.996)).toBe(99);
    expect(sharePercent(1)).toBe(100);
    expect(sharePercent(0.924)).toBe(92);
    expect(sharePercent(0.004)).toBe(0);
  });
});

describe('a stop’s mark', () => {
  it('gives the time reached in the city, whatever offset the time was written with', () => {
    expect(stopMark({ reached: true, reachedAt: '2026-11-26T01:12:40Z', closestM: 8 }, 'zh')).toBe('09:12 到达');
    expect(stopMark({ reached: true, reachedAt: '2026-11-26T09:12:40+08:00', closestM: 8 }, 'en')).toBe('reached 09:12');
  });

  it('says how near the walk came to a stop not reached, or only that it was not', () => {
    expect(stopMark({ reached: false, reachedAt: null, closestM: 312.6 }, 'zh')).toBe('未到达（最近 313 米）');
    expect(stopMark({ reached: false, reachedAt: null, closestM: null }, 'en')).toBe('not reached');
  });
});

describe('fading positions', () => {
  it('fades a position once it is older than TRACK_FADE_MS, and an unreadable time at once', () => {
    const at = Date.parse('2026-11-26T09:00:00+08:00');
    expect(isFaded(at, at)).toBe(false);
    expect(isFaded(at, at + TRACK_FADE_MS)).toBe(false);
    expect(isFaded(at, at + TRACK_FADE_MS + 1)).toBe(true);
    expect(isFaded(Number.NaN, at)).toBe(true);
  });
});

describe('the newest position per team', () => {
  const ev = (team: number, at: string, planId = 'pl1', lng = 116.1): TeamPositionEvent => ({ planId, team, lng, lat: 36, at });
  const teams = [
    { index: 0, position: { lngLat: [116, 36] as [number, number], at: '2026-11-26T09:00:00+08:00' } },
    { index: 1, position: null },
  ];

  it('takes an event over the progress when it is newer, and ignores other plans', () => {
    const fixes = latestFixes(teams, [ev(0, '2026-11-26T09:01:00+08:00'), ev(1, '2026-11-26T09:05:00+08:00', 'pl2')], 'pl1');
    expect(fixes).toEqual([{ team: 0, lngLat: [116.1, 36], atMs: Date.parse('2026-11-26T09:01:00+08:00') }]);
  });

  it('keeps the progress when a replayed event is older', () => {
    const fixes = latestFixes(teams, [ev(0, '2026-11-26T08:59:00+08:00'), ev(1, '2026-11-26T09:02:00+08:00')], 'pl1');
    expect(fixes.map((f) => [f.team, f.lngLat[0]])).toEqual([
      [0, 116],
      [1, 116.1],
    ]);
  });

  it('holds one event a team: a newer one replaces, an older one is dropped', () => {
    let list = upsertEvent([], ev(0, '2026-11-26T09:00:00+08:00'));
    list = upsertEvent(list, ev(1, '2026-11-26T09:00:00+08:00'));
    list = upsertEvent(list, ev(0, '2026-11-26T09:02:00+08:00', 'pl1', 116.2));
    const before = list;
    expect(upsertEvent(list, ev(0, '2026-11-26T09:01:00+08:00'))).toBe(before);
    expect(list.map((e) => [e.team, e.lng])).toEqual([
      [0, 116.2],
      [1, 116.1],
    ]);
  });

  it('reads only well-formed event data', () => {
    expect(isTeamPositionEvent(ev(0, '2026-11-26T09:00:00+08:00'))).toBe(true);
    expect(isTeamPositionEvent({ planId: 'pl1', team: 0.5, lng: 1, lat: 2, at: '2026-11-26T09:00:00+08:00' })).toBe(false);
    expect(isTeamPositionEvent({ planId: 'pl1', team: 0, lng: 1, lat: 2, at: 'soon' })).toBe(false);
    expect(isTeamPositionEvent(null)).toBe(false);
  });
});

describe('a back street’s coverage note', () => {
  it('gives the share of a street reached or walked in part, nothing for a street missed or a market', () => {
    expect(coverageNote({ reached: true }, { coveredShare: 0.63 }, 'zh')).toBe('覆盖 63 %');
    expect(coverageNote({ reached: false }, { coveredShare: 0.2 }, 'en')).toBe('covered 20 %');
    expect(coverageNote({ reached: false }, { coveredShare: 0 }, 'zh')).toBeNull();
    expect(coverageNote({ reached: true }, undefined, 'zh')).toBeNull();
  });
});
