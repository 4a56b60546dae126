/** 测评迎检: the assessment catalog, 得分率 and the losses. */
import type { LossesResponse, ReadinessResponse, ScoresResponse } from '../../../server/contract/assessment';
import { call } from './http';

export type ScoreGrouping = ScoresResponse['by'];

/** GET /api/assessment/scores over [from, to] (city days). */
export function getAssessmentScores(q: { by: ScoreGrouping; from: string; to: string }, signal: AbortSignal): Promise<ScoresResponse> {
  return call('GET /api/assessment/scores', { query: q, signal });
}

/** GET /api/assessment/losses over [from, to] (city days), most points lost first. */
export function getAssessmentLosses(q: { from: string; to: string; limit?: number }, signal: AbortSignal): Promise<LossesResponse> {
  return call('GET /api/assessment/losses', { query: { ...q, limit: q.limit === undefined ? undefined : String(q.limit) }, signal });
}

/** GET /api/assessment/readiness: points 达标 / 未达标 / 超期未查 now. */
export function getReadiness(q: { days: number; by: 'type' | 'subdistrict' | 'point'; limit?: number }, signal: AbortSignal): Promise<ReadinessResponse> {
  return call('GET /api/assessment/readiness', {
    query: { days: String(q.days), by: q.by, limit: q.limit === undefined ? undefined : String(q.limit) },
    signal,
  });
}
