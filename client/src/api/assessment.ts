/** 测评迎检: the assessment catalog, 得分率 and the losses. */
import type { LossesResponse, ScoresResponse } from '../../../server/contract/assessment';
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
