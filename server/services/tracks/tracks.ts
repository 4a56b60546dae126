/**
 * Walked tracks: a phone's batch of fixes checked and stored, the plan's progress and tracks read, the
 * retention sweep. Fixes that cannot be true (a GPS jump, a clock hours ahead, a phone in another city)
 * are dropped and counted, never stored: a track is evidence, and one bad fix would draw a street nobody
 * walked.
 */
import type { Plan } from '../../contract/plans';
import type { BBox } from '../../contract/geo';
import { haversineM } from '../../contract/geo';
import { DAY_MS, toCityIso } from '../../contract/city-time';
import { TRACK_CITY_MARGIN_M, TRACK_FUTURE_SLACK_MS, TRACK_MAX_ACCURACY_M, TRACK_MAX_SPEED_MPS } from '../../contract/track-rules';
import type { TeamPositionEvent, TrackBatch, TrackBatchResult, TrackDropped } from '../../contract/tracks';
import { bilingual, InputError } from '../../errors';
import type { Store, TrackPointRow } from '../../store/index';

/** How far around a batch its account's stored fixes are read to check the speeds at its edges. */
const NEIGHBOUR_WINDOW_MS = 60 * 60_000;

/** `bbox` grown by `m` metres on every side. */
function grown(bbox: BBox, m: number): BBox {
  const dLat = m / 111_195;
  const dLng = m / (111_195 * Math.cos((((bbox[1] + bbox[3]) / 2) * Math.PI) / 180));
  return [bbox[0] - dLng, bbox[1] - dLat, bbox[2] + dLng, bbox[3] + dLat];
}

export interface AcceptedBatch {
  result: TrackBatchResult;
  /** The team's newest fix when this batch moved it on (for the `team.position` event), else null. */
  moved: TeamPositionEvent | null;
}

/**
 * Checks and stores `batch` for `userId` walking `plan` (the caller has found the plan and may read it).
 * A point already stored is a duplicate; the others are dropped by the first rule they break, in time
 * order, so a jump is measured from the last fix kept (stored before or kept from this batch).
 *
 * @throws InputError when the team is not one of the plan's
 */
export async function acceptTrackBatch(store: Store, plan: Plan, batch: TrackBatch, userId: number, cityBbox: BBox, nowMs: number): Promise<AcceptedBatch> {
  if (!plan.teams.some((t) => t.index === batch.team))
    throw new InputError(
      bilingual(
        `路线“${plan.name}”没有第 ${batch.team + 1} 组：请在现场页重新选择所在小组`,
        `Plan "${plan.name}" has no team ${batch.team} (it has ${plan.teams.length}); choose your team again on the field page`,
      ),
      [{ path: 'team', message: `must be 0–${plan.teams.length - 1}` }],
    );
  const dropped: TrackDropped = { inaccurate: 0, future: 0, outside: 0, speed: 0 };
  const known = await store.knownTrackPoints(batch.points.map((p) => p.id));
  const seen = new Set<string>();
  let duplicates = 0;
  const box = grown(cityBbox, TRACK_CITY_MARGIN_M);
  const candidates: TrackPointRow[] = [];
  for (const p of batch.points) {
    if (known.has(p.id) || seen.has(p.id)) {
      duplicates++;
      continue;
    }
    seen.add(p.id);
    const atMs = Date.parse(p.at);
    if (!(p.accuracyM <= TRACK_MAX_ACCURACY_M)) dropped.inaccurate++;
    else if (atMs > nowMs + TRACK_FUTURE_SLACK_MS) dropped.future++;
    else if (p.lng < box[0] || p.lng > box[2] || p.lat < box[1] || p.lat > box[3]) dropped.outside++;
    else candidates.push({ id: p.id, planId: plan.id, team: batch.team, userId, atMs, lng: p.lng, lat: p.lat, accuracyM: p.accuracyM });
  }

  const kept: TrackPointRow[] = [];
  if (candidates.length > 0) {
    candidates.sort((a, b) => a.atMs - b.atMs || (a.id < b.id ? -1 : 1));
    const stored = await store.trackPointsAround(
      plan.id,
      batch.team,
      userId,
      candidates[0].atMs - NEIGHBOUR_WINDOW_MS,
      candidates[candidates.length - 1].atMs + NEIGHBOUR_WINDOW_MS,
    );
    // Walk the stored fixes and the new ones together in time order: each new one against the last fix kept.
    let prev: TrackPointRow | null = null;
    let s = 0;
    for (const c of candidates) {
      while (s < stored.length && stored[s].atMs <= c.atMs) prev = stored[s++];
      if (prev && tooFast(prev, c)) {
        dropped.speed++;
        continue;
      }
      kept.push(c);
      prev = c;
    }
  }
  const before = await store.latestTrackPointOf(plan.id, batch.team);
  const storedCount = kept.length > 0 ? await store.insertTrackPoints(kept, nowMs) : 0;
  const newest = kept.length > 0 ? kept[kept.length - 1] : null;
  const moved =
    newest && (!before || newest.atMs > before.atMs)
      ? { planId: plan.id, team: batch.team, lng: newest.lng, lat: newest.lat, at: toCityIso(newest.atMs) }
      : null;
  return { result: { stored: storedCount, duplicates: duplicates + (kept.length - storedCount), dropped }, moved };
}

function tooFast(a: TrackPointRow, b: TrackPointRow): boolean {
  const d = haversineM(a.lng, a.lat, b.lng, b.lat);
  const dt = Math.abs(b.atMs - a.atMs) / 1000;
  // Two fixes in the same second: only a jump beyond the fixes' own accuracy counts.
  if (dt < 1) return d > a.accuracyM + b.accuracyM + TRACK_MAX_SPEED_MPS;
  return d / dt > TRACK_MAX_SPEED_MPS;
}

/** Deletes the fixes older than `days` days; returns how many went. */
export async function sweepTracks(store: Store, days: number, nowMs: number): Promise<number> {
  return store.deleteTracksBefore(nowMs - days * DAY_MS);
}
