/**
 * The big screen's live feed: the summary (GET /api/screen/summary) fetched again on every change the
 * event stream reports, on a 30 s poll that covers a stream that is down, and every 3 s while the server
 * does not answer (then the stream is opened anew); the pulses of new reports, which expire; and the
 * teams' `team.position` events, on the same stream (one connection per wall), for the map's markers.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ScreenSummary } from '../../../../server/contract/screen';
import type { TeamPositionEvent } from '../../../../server/contract/tracks';
import { isAbortError } from '../../api/client';
import { listenToProblemEvents } from '../../api/ledger';
import { getScreenSummary } from '../../api/screen';
import { isTeamPositionEvent, upsertEvent } from '../../lib/team-positions';
import { readScreenParams, type ScreenPeriod } from './screen-url';
import type { ScreenPulse } from './use-screen-map';

/** Refetch at least this often, so a dropped event stream cannot freeze the wall for long. */
const POLL_MS = 30_000;
/** After a failed fetch (the server restarting), try again this soon rather than at the next poll. */
const RETRY_MS = 3_000;
/** A burst of events (a bulk assignment) is at most two refetches: one at once, one when it is over. */
const EVENT_DEBOUNCE_MS = 300;
/** How long a new problem pulses on the map. */
const PULSE_MS = 20_000;
const TEAM_EVENTS = ['team.position'] as const;

export interface ScreenFeed {
  /** The period the summary is for (read again from the URL on every refresh: `30d` moves on at midnight). */
  period: ScreenPeriod;
  summary: ScreenSummary | null;
  /** When the summary last arrived (ms). */
  updatedAt: number | null;
  /** The last failure's sentence, null once the server answers again. */
  error: string | null;
  /** Bumped on every change the stream or the poll brings (the map fetches its heat again). */
  version: number;
  pulses: ScreenPulse[];
  /** Ids of the pulsing reports (shown as fresh rows). */
  freshIds: ReadonlySet<string>;
  /** The newest `team.position` event of each team (one entry a team, whatever the night brings). */
  teamEvents: readonly TeamPositionEvent[];
}

/** See the module comment. */
export function useScreenFeed(district: string | null, initialPeriod: ScreenPeriod): ScreenFeed {
  const [period, setPeriod] = useState<ScreenPeriod>(initialPeriod);
  const [summary, setSummary] = useState<ScreenSummary | null>(null);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [pulses, setPulses] = useState<ScreenPulse[]>([]);
  const [teamEvents, setTeamEvents] = useState<TeamPositionEvent[]>([]);
  // Fresh rows are the pulsing ones: both expire together, so nothing grows over a night.
  const freshIds = useMemo(() => new Set(pulses.map((p) => p.id)), [pulses]);

  // Bumped when the server answers again after failing: the event stream is opened anew, since a
  // browser gives an EventSource up for good after some failures (an error status during a restart).
  const [streamKey, setStreamKey] = useState(0);
  const failed = useRef(false);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  useEffect(() => {
    const ctl = new AbortController();
    let retry: ReturnType<typeof setTimeout> | null = null;
    const wanted = readScreenParams(window.location.search).period;
    getScreenSummary(wanted, district, ctl.signal).then(
      (s) => {
        setSummary(s);
        setPeriod((p) => (p.from === wanted.from && p.to === wanted.to ? p : wanted));
        setUpdatedAt(Date.now());
        setError(null);
        if (failed.current) setStreamKey((k) => k + 1);
        failed.current = false;
      },
      (err: unknown) => {
        if (isAbortError(err)) return;
        // The last figures stay up (with the stale mark): a wall never goes blank over a restart.
        setError(err instanceof Error ? err.message : String(err));
        failed.current = true;
        retry = setTimeout(refresh, RETRY_MS);
      },
    );
    return () => {
      ctl.abort();
      if (retry) clearTimeout(retry);
    };
  }, [district, version, refresh]);

  useEffect(() => {
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let pending = false;
    const stop = listenToProblemEvents((type, data) => {
      // A team's fix moves its marker; it changes no figure, so the summary is not fetched for it.
      if (type === 'team.position') {
        if (isTeamPositionEvent(data)) setTeamEvents((list) => upsertEvent(list, data));
        return;
      }
      if (type === 'problem.created' && isCreated(data)) {
        setPulses((p) => [...p, { id: data.id, lngLat: [data.lng, data.lat], at: Date.now() }]);
      }
      if (timer) {
        pending = true;
        return;
      }
      // Leading edge: a single new report shows at once; the rest of a burst waits for its end.
      refresh();
      timer = setTimeout(() => {
        timer = null;
        if (pending) refresh();
        pending = false;
      }, EVENT_DEBOUNCE_MS);
    }, TEAM_EVENTS);
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, [refresh, streamKey]);

  // Old pulses drop out, so the overlay (and memory) stays small over a night.
  useEffect(() => {
    if (!pulses.length) return;
    const oldest = Math.min(...pulses.map((p) => p.at));
    const timer = setTimeout(() => setPulses((ps) => ps.filter((p) => Date.now() - p.at < PULSE_MS)), Math.max(0, oldest + PULSE_MS - Date.now()));
    return () => clearTimeout(timer);
  }, [pulses]);

  return { period, summary, updatedAt, error, version, pulses, freshIds, teamEvents };
}

function isCreated(data: unknown): data is { id: string; lng: number; lat: number } {
  if (!data || typeof data !== 'object') return false;
  const d = data as Record<string, unknown>;
  return typeof d.id === 'string' && typeof d.lng === 'number' && typeof d.lat === 'number';
}
