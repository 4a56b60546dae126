import type { DecisionBody, RequestAnswer, RequestBody, RequestList } from '../../../server/contract/requests';
import type { RequestKind, RequestStatus } from '../../../server/contract/workflow';
import { call } from './http';

/** GET /api/requests: 延期, 申诉 and 退单 requests in one status, with the counts by kind. */
export function getRequests(status: RequestStatus, signal: AbortSignal, kind?: RequestKind): Promise<RequestList> {
  return call('GET /api/requests', { query: { status, ...(kind ? { kind } : {}) }, signal });
}

/** POST /api/problems/:id/requests. */
export function postRequest(id: string, body: Omit<RequestBody, 'actor'>): Promise<RequestAnswer> {
  return call('POST /api/problems/:id/requests', { params: { id }, body });
}

/** POST /api/problems/:id/requests/:requestId/decision (the 创文办). */
export function postDecision(id: string, requestId: number, body: Omit<DecisionBody, 'actor' | 'note'> & { note?: string }): Promise<RequestAnswer> {
  return call('POST /api/problems/:id/requests/:requestId/decision', { params: { id, requestId: String(requestId) }, body: { note: '', ...body } });
}
