import { z } from 'zod';
import { errorResponses, IsoTime, LngLatSchema } from './common';
import { endpoints } from './endpoint';
import { MultiLineStringGeometry } from './geojson';
import { PlanParams } from './plans';
import { ADMINS, PLANNERS } from './roles';
import { TRACK_BATCH_MAX, TRACK_MAX_ACCURACY_M, TRACK_MAX_SPEED_MPS } from './track-rules';

/**
 * Walked tracks (实走轨迹): the fixes a team's phones send while a plan is walked, and what the server
 * makes of them — planned against walked, each stop reached, each back street covered, live positions.
 * A track is personal data: planners and leaders read tracks, a big screen positions of the day only.
 */

const Uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID (crypto.randomUUID()), the same one for every resend')
  .transform((s) => s.toLowerCase());

export const TrackPointInput = z.strictObject({
  id: Uuid.meta({ description: 'the phone’s UUID of this fix: a point sent again is stored once' }),
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  at: IsoTime.meta({ description: 'when the phone took the fix (its clock, with offset)' }),
  accuracyM: z
    .number()
    .nonnegative()
    .meta({ description: `the fix's accuracy radius (m); worse than ${TRACK_MAX_ACCURACY_M} m is dropped` }),
});
export type TrackPointInput = z.output<typeof TrackPointInput>;

/** `POST /api/tracks` body: a batch of one team's fixes from one phone. */
export const TrackBatch = z
  .strictObject({
    planId: z.string().min(1).max(100),
    team: z.number().int().nonnegative().meta({ description: 'the team’s index in the plan (PlannedTeam.index)' }),
    points: z.array(TrackPointInput).min(1, 'send at least one point').max(TRACK_BATCH_MAX, `at most ${TRACK_BATCH_MAX} points per batch`),
  })
  .meta({ id: 'TrackBatch' });
export type TrackBatch = z.output<typeof TrackBatch>;

export const TrackDropped = z.object({
  inaccurate: z
    .number()
    .int()
    .meta({ description: `accuracy worse than ${TRACK_MAX_ACCURACY_M} m` }),
  future: z.number().int().meta({ description: 'stamped later than the server’s clock allows' }),
  outside: z.number().int().meta({ description: 'far outside the city' }),
  speed: z
    .number()
    .int()
    .meta({ description: `reached from the neighbouring fix faster than ${TRACK_MAX_SPEED_MPS} m/s: a GPS jump` }),
});
export type TrackDropped = z.infer<typeof TrackDropped>;

export const TrackBatchResult = z
  .object({
    stored: z.number().int(),
    duplicates: z.number().int().meta({ description: 'points already stored (a resent batch)' }),
    dropped: TrackDropped.meta({ description: 'points never stored, by reason' }),
  })
  .meta({ id: 'TrackBatchResult' });
export type TrackBatchResult = z.infer<typeof TrackBatchResult>;

export const TrackPosition = z.object({
  lngLat: LngLatSchema,
  at: z.string().meta({ description: 'ISO time of the fix' }),
});
export type TrackPosition = z.infer<typeof TrackPosition>;

export const StopProgress = z.object({
  id: z.string(),
  name: z.string(),
  seq: z.number().int(),
  reached: z.boolean(),
  reachedAt: z.string().nullable().meta({ description: 'the first fix near it' }),
  closestM: z.number().nullable().meta({ description: 'the nearest any fix came (m); null without fixes' }),
});
export type StopProgress = z.infer<typeof StopProgress>;

export const StreetProgress = z.object({
  id: z.string(),
  name: z.string(),
  lengthM: z.number(),
  coveredShare: z.number().meta({ description: 'share of its length the walked path passed within 25 m of, 0–1' }),
});
export type StreetProgress = z.infer<typeof StreetProgress>;

export const TeamProgress = z
  .object({
    index: z.number().int(),
    name: z.string(),
    color: z.string(),
    walkedM: z.number().meta({ description: 'the longest of the team’s phones’ tracks (a team walks together)' }),
    plannedM: z.number().meta({ description: 'the planned route: travel between stops and the streets walked' }),
    detourM: z.number().meta({ description: 'walked more than 100 m away from the planned route and its streets' }),
    fixes: z.number().int(),
    phones: z.number().int().meta({ description: 'how many accounts sent fixes for this team' }),
    firstAt: z.string().nullable(),
    lastAt: z.string().nullable(),
    position: TrackPosition.nullable().meta({ description: 'the latest fix' }),
    reached: z.number().int(),
    stops: z.array(StopProgress),
    backStreets: z.array(StreetProgress).meta({ description: 'the stops walked end to end (back streets, road segments)' }),
    backStreetShare: z.number().nullable().meta({ description: 'the streets’ covered length over their length; null without streets' }),
  })
  .meta({ id: 'TeamProgress' });
export type TeamProgress = z.infer<typeof TeamProgress>;

export const PlanProgress = z
  .object({
    planId: z.string(),
    date: z.string(),
    teams: z.array(TeamProgress),
  })
  .meta({ id: 'PlanProgress' });
export type PlanProgress = z.infer<typeof PlanProgress>;

/** A team's walked track, simplified for display: its parts break where fixes stopped for five minutes. */
export const WalkedTrackProps = z.object({
  team: z.number().int(),
  name: z.string(),
  color: z.string(),
  walkedM: z.number(),
  times: z.array(z.array(z.number())).meta({ description: 'epoch ms of each vertex, parallel to the coordinates (for a replay)' }),
});
export const WalkedTrack = z.object({ type: z.literal('Feature'), geometry: MultiLineStringGeometry, properties: WalkedTrackProps });
export type WalkedTrack = z.infer<typeof WalkedTrack>;
export const WalkedTracks = z.object({ type: z.literal('FeatureCollection'), features: z.array(WalkedTrack) }).meta({ id: 'WalkedTracks' });
export type WalkedTracks = z.infer<typeof WalkedTracks>;

/** The latest position of each team walking a plan today. */
export const TeamPositions = z
  .object({
    date: z.string(),
    teams: z.array(z.object({ planId: z.string(), team: z.number().int(), name: z.string(), color: z.string(), position: TrackPosition })),
  })
  .meta({ id: 'TeamPositions' });
export type TeamPositions = z.infer<typeof TeamPositions>;

/** The `team.position` event on `GET /api/events`: a team's newest fix after a batch arrived. */
export interface TeamPositionEvent {
  planId: string;
  team: number;
  lng: number;
  lat: number;
  at: string;
}

const TRACK_ACCESS = 'Tracks are personal data: planners and leaders read them; a unit does not.';

export const TRACKS_API = endpoints({
  'POST /api/tracks': {
    tag: 'plans',
    summary: 'Store a batch of a team’s GPS fixes while it walks a plan (idempotent per point)',
    description:
      'The field page queues fixes on the phone and sends them in batches. Each point’s `id` is the phone’s UUID, so a batch sent again stores nothing twice. ' +
      'Points with impossible speeds, times in the future, far outside the city or with a poor accuracy are dropped and counted in the answer, never stored. ' +
      'The account sending is the one walking; the team’s newest fix goes out on the event stream as `team.position`.',
    access: PLANNERS,
    bodyLimit: 128 * 1024,
    body: TrackBatch,
    responses: { 200: { description: 'Stored, with what was dropped', schema: TrackBatchResult }, ...errorResponses(400, 404) },
  },
  'GET /api/plans/:id/progress': {
    tag: 'plans',
    summary: 'Planned against walked: distance, each stop reached and when, each back street covered, detours',
    description: `Per team, from the fixes of every phone that walked it. ${TRACK_ACCESS}`,
    access: PLANNERS,
    params: PlanParams,
    responses: { 200: { description: 'Progress per team', schema: PlanProgress }, ...errorResponses(404) },
  },
  'GET /api/plans/:id/tracks': {
    tag: 'plans',
    summary: 'The walked tracks of a plan, simplified for display (GeoJSON, one feature per team)',
    description: `${TRACK_ACCESS} A big screen token reads the tracks of today’s plans only.`,
    access: [...PLANNERS, 'screen'],
    params: PlanParams,
    responses: { 200: { description: 'One MultiLineString per team that has fixes', schema: WalkedTracks }, ...errorResponses(404) },
  },
  'GET /api/tracks/positions': {
    tag: 'plans',
    summary: 'Each team’s latest position today (the big screen and the planner map, before the event stream adds more)',
    access: [...PLANNERS, 'screen'],
    responses: { 200: { description: 'The latest fix per team walking a plan today', schema: TeamPositions }, ...errorResponses(401, 403) },
  },
  'DELETE /api/users/:id/tracks': {
    tag: 'auth',
    summary: 'Delete every track fix an account sent (on the person’s request)',
    access: ADMINS,
    params: z.object({ id: z.string().min(1) }),
    responses: { 200: { description: 'Deleted', schema: z.object({ deleted: z.number().int() }) }, ...errorResponses(404) },
  },
});
