/**
 * The big screen's 测评 figures: the 得分率 of the last 30 days' checks and the share of points 迎检达标
 * now, for the city or the pinned subdistrict. They move with check results, not with each report, so
 * they are asked for on their own every few minutes instead of with the summary on every event.
 */
import { useEffect, useState } from 'react';
import { cityDate, DAY_MS } from '../../../../server/contract/city-time';
import { getAssessmentScores, getReadiness } from '../../api/assessment';

const REFRESH_MS = 5 * 60_000;
const WINDOW_DAYS = 30;

export interface ScreenAssessment {
  scoreRate: number | null;
  readyRate: number | null;
  ready: number;
  total: number;
}

/** null until the first answer (and while the server refuses: the tiles then show dashes). */
export function useScreenAssessment(district: string | null): ScreenAssessment | null {
  const [value, setValue] = useState<ScreenAssessment | null>(null);
  useEffect(() => {
    let ctl = new AbortController();
    const load = () => {
      ctl.abort();
      ctl = new AbortController();
      const { signal } = ctl;
      const now = Date.now();
      const span = { from: cityDate(now - (WINDOW_DAYS - 1) * DAY_MS), to: cityDate(now) };
      Promise.all([
        getAssessmentScores({ by: district ? 'subdistrict' : 'city', ...span }, signal),
        getReadiness({ days: WINDOW_DAYS, by: 'subdistrict' }, signal),
      ]).then(
        ([scores, ready]) => {
          const score = district ? scores.rows.find((r) => r.key === district) : scores.rows[0];
          const counts = district ? ready.rows.find((r) => r.key === district) : ready.totals;
          setValue({ scoreRate: score?.scoreRate ?? null, readyRate: counts?.readyRate ?? null, ready: counts?.ready ?? 0, total: counts?.total ?? 0 });
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
  }, [district]);
  return value;
}
