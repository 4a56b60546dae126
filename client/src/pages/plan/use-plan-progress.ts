/**
 * The open plan's walked progress and tracks (GET /api/plans/:id/progress and /tracks), fetched again
 * while the page is open: after `team.position` events for this plan (a batch from a team's phone), and
 * every minute while it is today's plan, so a dropped stream cannot freeze it. Positions from the
 * events show at once; the clock moves on every few seconds so a silent team's dot fades on time.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TeamPositionEvent } from '../../../../server/contract/tracks';
import { isAbortError } from '../../api/client';
import { listenToEvents } from '../../api/ledger';
import { fetchPlanProgress, fetchPlanTracks, type PlanProgress, type WalkedTracks } from '../../api/tracks';
import { describeError } from '../../app/describe-error';
import { useI18n } from '../../app/use-i18n';
import { isFaded, isTeamPositionEvent, upsertEvent } from '../../lib/team-positions';
import { latestFixes, type TeamFix } from './track-progress';

/** Refetch at least this often while today's plan is open (the "every 60 s"). */
const POLL_MS = 60_000;
/** Events come a batch per phone; fetching the whole progress again waits this long after the last fetch. */
const EVENT_MIN_GAP_MS = 10_000;
/** How often a fade is re-judged: well under TRACK_FADE_MS, so a dot greys within seconds of its time. */
const CLOCK_MS = 15_000;

export interface PlanProgressView {
  progress: PlanProgress | null;
  tracks: WalkedTracks | null;
  /** Each team's newest position with its fade, from the progress and the events since. */
  fixes: (TeamFix & { faded: boolean })[];
  /** The first fetch is under way. */
  loading: boolean;
  /** The last fetch's failure (the last answer stays shown), null once one succeeds. */
  error: string | null;
  /** The clock the fades were judged by (ms). */
  now: number;
  retry: () => void;
}

/**
 * See the module comment. `planId` null: nothing is fetched. `live`: the plan is today's (polled).
 * `savedAt` (the plan's updatedAt) refetches after a save: stops may have moved between teams.
 */
export function usePlanProgress(planId: string | null, live: boolean, savedAt: string | undefined): PlanProgressView {
  const { t } = useI18n();
  const tRef = useRef(t);
  tRef.current = t;
  const [data, setData] = useState<{ planId: string; progress: PlanProgress; tracks: WalkedTracks } | null>(null);
  const [failure, setFailure] = useState<{ planId: string; message: string } | null>(null);
  const [version, setVersion] = useState(0);
  const [events, setEvents] = useState<TeamPositionEvent[]>([]);
  const [now, setNow] = useState(() => Date.now());
  const lastFetch = useRef(0);

  useEffect(() => {
    if (!planId) return;
    const ctl = new AbortController();
    lastFetch.current = Date.now();
    Promise.all([fetchPlanProgress(planId, ctl.signal), fetchPlanTracks(planId, ctl.signal)]).then(
      ([progress, tracks]) => {
        setData({ planId, progress, tracks });
        setFailure(null);
        setNow(Date.now());
      },
      (err: unknown) => {
        if (!isAbortError(err)) setFailure({ planId, message: describeError(err instanceof Error ? err : new Error(String(err)), tRef.current) });
      },
    );
    return () => ctl.abort();
  }, [planId, version, savedAt]);

  useEffect(() => {
    if (!planId || !live) return;
    const timer = setInterval(() => setVersion((v) => v + 1), POLL_MS);
    return () => clearInterval(timer);
  }, [planId, live]);

  useEffect(() => {
    if (!planId) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stop = listenToEvents(['team.position'], (_type, ev) => {
      if (!isTeamPositionEvent(ev) || ev.planId !== planId) return;
      setEvents((list) => upsertEvent(list, ev));
      setNow(Date.now());
      if (timer) return;
      // Leading edge when the last fetch is old enough, else once the gap has passed: a team's phones
      // sending together cost one fetch.
      timer = setTimeout(
        () => {
          timer = null;
          setVersion((v) => v + 1);
        },
        Math.max(0, lastFetch.current + EVENT_MIN_GAP_MS - Date.now()),
      );
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, [planId]);

  const current = data && data.planId === planId ? data : null;
  const error = failure && failure.planId === planId ? failure.message : null;
  const hasFixes = (current?.progress.teams.some((tm) => tm.position) ?? false) || events.some((e) => e.planId === planId);
  useEffect(() => {
    if (!hasFixes) return;
    const timer = setInterval(() => setNow(Date.now()), CLOCK_MS);
    return () => clearInterval(timer);
  }, [hasFixes]);

  const fixes = useMemo(
    () => (current && planId ? latestFixes(current.progress.teams, events, planId).map((f) => ({ ...f, faded: isFaded(f.atMs, now) })) : []),
    [current, events, planId, now],
  );

  return {
    progress: current?.progress ?? null,
    tracks: current?.tracks ?? null,
    fixes,
    loading: planId !== null && !current && !error,
    error,
    now,
    retry: () => setVersion((v) => v + 1),
  };
}
