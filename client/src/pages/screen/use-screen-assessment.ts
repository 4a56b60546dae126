/**
 * The big screen's 测评 figures: the 得分率 of the last 30 days' checks and the share of points 迎检达标
 * now, for the city or the pinned district or subdistrict (a district's: its subdistricts' summed). They move with check results, not with each report, so
 * they are asked for on their own every few minutes instead of with the summary on every event.
 */
import { useEffect, useState } from 'react';
import { cityDate, DAY_MS } from '../../../../server/contract/city-time';
import { getAssessmentScores, getReadiness } from '../../api/assessment';
import type { ScreenPin } from './screen-url';

const REFRESH_MS = 5 * 60_000;
const WINDOW_DAYS = 30;

export interface ScreenAssessment {
  scoreRate: number | null;
  readyRate: number | null;
  ready: number;
  total: number;
}

/** null until the first answer (and while the server refuses: the tiles then show dashes). */
export function useScreenAssessment(district: ScreenPin | null): ScreenAssessment | null {
  const [value, setValue] = useState<ScreenAssessment | null>(null);
  // The effect follows the pin's id (the pin object is made once per page, but a key says what counts).
  const pinKey = district?.subdistricts.join(',') ?? '';
  useEffect(() => {
    const inPin = pinKey ? new Set(pinKey.split(',')) : null;
    let ctl = new AbortController();
    const load = () => {
      ctl.abort();
      ctl = new AbortController();
      const { signal } = ctl;
      const now = Date.now();
      const span = { from: cityDate(now - (WINDOW_DAYS - 1) * DAY_MS), to: cityDate(now) };
      Promise.all([
        getAssessmentScores({ by: inPin ? 'subdistrict' : 'city', ...span }, signal),
        getReadiness({ days: WINDOW_DAYS, by: 'subdistrict' }, signal),
      ]).then(
        ([scores, ready]) => {
          if (!inPin) {
            const score = scores.rows[0];
            const t = ready.totals;
            setValue({ scoreRate: score?.scoreRate ?? null, readyRate: t.readyRate, ready: t.ready, total: t.total });
            return;
          }
          // 得分率 is earned ÷ possible, so a district's is its subdistricts' points summed, not their rates averaged.
          const rows = scores.rows.filter((r) => inPin.has(r.key));
          const earned = rows.reduce((s, r) => s + r.earned, 0);
          const possible = rows.reduce((s, r) => s + r.possible, 0);
          const counts = ready.rows.filter((r) => inPin.has(r.key));
          const readyN = counts.reduce((s, r) => s + r.ready, 0);
          const total = counts.reduce((s, r) => s + r.total, 0);
          // One row (a subdistrict): its own rates, as the server rounded them.
          const scoreRate = rows.length === 1 ? rows[0].scoreRate : possible > 0 ? earned / possible : null;
          const readyRate = counts.length === 1 ? counts[0].readyRate : total > 0 ? readyN / total : null;
          setValue({ scoreRate, readyRate, ready: readyN, total });
        },
        () => undefined,
      );
    };
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      clearInterval(timer);
      ctl.abort();
    };
  }, [pinKey]);
  return value;
}
