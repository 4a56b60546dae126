/**
 * The hotspot resources, for every page that reads them (the hotspot page, the big screen): the binary
 * problem points (decoded), the H3 cells, one cell's weeks and the recurring sites. The one module that
 * fetches them.
 */
import type { HotspotCellHistory, HotspotCollection, RecurringCollection } from '../../../server/contract/hotspots';
import { filtersToParams, type ProblemFilters } from '../lib/filters';
import { POINTS_REVISION_HEADER } from '../../../server/contract/points-bin';
import { applyPointsDelta, decodePoints, decodePointsDelta, type ProblemPoints } from '../map/deck/points-bin';
import { call, callRaw } from './http';
import { getVisitsOf } from './places';

const BINARY = 'application/octet-stream';

/** GET /api/hotspots/points.bin, decoded: every problem as typed-array columns. */
export async function getProblemPoints(signal: AbortSignal): Promise<ProblemPoints> {
  const res = await callRaw('GET /api/hotspots/points.bin', { signal }, BINARY);
  return decodePoints(await res.arrayBuffer());
}

/** A page's copy of every problem's point, kept current by deltas (createLivePoints). */
export interface LivePoints {
  /**
   * The points brought up to date: points.bin whole the first time (and whenever the server says reload),
   * after that only the rows that changed (GET /api/hotspots/points.delta), written into the same columns.
   * Calls during a refresh share one follow-up, so a burst of events is at most one delta in flight and
   * one after it. `signal` cancels the caller's wait, not the shared request (close() does).
   */
  refresh(signal: AbortSignal): Promise<ProblemPoints>;
  /** Cancels the request under way (a page leaving); a later refresh starts again. */
  close(): void;
}

/** See LivePoints. One per page that holds the points. */
export function createLivePoints(): LivePoints {
  let held: { points: ProblemPoints; revision: string | null } | null = null;
  let ctl = new AbortController();
  let running: Promise<ProblemPoints> | null = null;
  let queued: Promise<ProblemPoints> | null = null;

  async function once(signal: AbortSignal): Promise<ProblemPoints> {
    if (held?.revision) {
      const res = await callRaw('GET /api/hotspots/points.delta', { query: { since: held.revision }, signal }, BINARY);
      const delta = decodePointsDelta(await res.arrayBuffer());
      const next = applyPointsDelta(held.points, delta);
      if (next && delta.dictionary.revision) {
        held = { points: next, revision: delta.dictionary.revision };
        return next;
      }
    }
    // NOTE: a 304 from the browser's cache keeps the stored headers, so the revision matches the body.
    const res = await callRaw('GET /api/hotspots/points.bin', { signal }, BINARY);
    const points = decodePoints(await res.arrayBuffer());
    held = { points, revision: res.headers.get(POINTS_REVISION_HEADER) };
    return points;
  }

  function shared(): Promise<ProblemPoints> {
    if (!running) {
      running = once(ctl.signal).finally(() => {
        running = null;
      });
      return running;
    }
    const asked = ctl.signal;
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = null;
        asked.throwIfAborted(); // closed meanwhile: the page has gone
        return shared();
      });
    return queued;
  }

  return {
    async refresh(signal) {
      const points = await shared();
      signal.throwIfAborted();
      return points;
    },
    close() {
      ctl.abort();
      ctl = new AbortController();
    },
  };
}

/** GET /api/hotspots: the cells at H3 resolution `res` (the server's default when omitted) under `filters`. */
export function getHotspots(filters: ProblemFilters, res: number | undefined, signal: AbortSignal): Promise<HotspotCollection> {
  return call('GET /api/hotspots', { query: { ...filtersToParams(filters), res: res === undefined ? undefined : String(res) }, signal });
}

/** GET /api/hotspots/cells/:cell: one cell's weekly history under the same filters and resolution. */
export function getHotspotCell(cell: string, filters: ProblemFilters, res: number, signal: AbortSignal): Promise<HotspotCellHistory> {
  return call('GET /api/hotspots/cells/:cell', { params: { cell }, query: { ...filtersToParams(filters), res: String(res) }, signal });
}

/** GET /api/visits: the inspection visits of each place in [from, to] (dates), by place id. */
export async function getVisits(places: readonly string[], from: string, to: string, signal: AbortSignal): Promise<Map<string, number>> {
  return new Map((await getVisitsOf(places, from, to, signal)).map((p) => [p.id, p.visits]));
}

/** GET /api/recurring: the most recurring sites under `filters`, at most `limit`. */
export function getRecurring(filters: ProblemFilters, limit: number, signal: AbortSignal): Promise<RecurringCollection> {
  return call('GET /api/recurring', { query: { ...filtersToParams(filters), limit: String(limit) }, signal });
}
