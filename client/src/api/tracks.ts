/** Walked tracks (实走轨迹): the field page's batches, a plan's progress and tracks, today's team positions. */
import type { PlanProgress, TeamPositions, TrackBatch, TrackBatchResult, WalkedTracks } from '../../../server/contract/tracks';
import { call } from './http';

export type { PlanProgress, TeamPositions, TrackBatch, TrackBatchResult, WalkedTracks };

/** POST /api/tracks: one batch of fixes, idempotent per point id. */
export const postTrack = (body: TrackBatch, signal?: AbortSignal): Promise<TrackBatchResult> => call('POST /api/tracks', { body, signal });
/** GET /api/plans/:id/progress: planned against walked, per team. */
export const fetchPlanProgress = (id: string, signal?: AbortSignal): Promise<PlanProgress> => call('GET /api/plans/:id/progress', { params: { id }, signal });
/** GET /api/plans/:id/tracks: the walked tracks, simplified, one feature per team. */
export const fetchPlanTracks = (id: string, signal?: AbortSignal): Promise<WalkedTracks> => call('GET /api/plans/:id/tracks', { params: { id }, signal });
/** GET /api/tracks/positions: each team's latest fix today. */
export const fetchTeamPositions = (signal?: AbortSignal): Promise<TeamPositions> => call('GET /api/tracks/positions', { signal });
