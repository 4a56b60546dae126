/**
 * The administrator's calls: accounts, API keys, screen tokens, the audit log and the assessment
 * window the big screen counts down to. Typed by the contract through api/http.ts.
 */
import type { Api } from '../../../server/contract/api';
import type { AuditEntryOut, TokenOut, UserOut } from '../../../server/contract/auth';
import type { BodyOf } from '../../../server/contract/endpoint';
import type { AssessmentSetting } from '../../../server/contract/screen';
import type { FormulaBody, FormulaOut, RankingWeights, RankingWeightsOut } from '../../../server/contract/rankings';
import type { CalendarBody, CalendarYearOut } from '../../../server/contract/calendar';
import { call } from './http';

/** What creating an account takes (POST /api/users). */
export type NewUser = BodyOf<Api['POST /api/users']>;
/** A change to an account: disable/enable it, or reset its password (PATCH /api/users/:id). */
export type UserChange = BodyOf<Api['PATCH /api/users/:id']>;
/** The assessment window as the form sends it (PUT /api/screen/assessment). */
export type AssessmentWindow = BodyOf<Api['PUT /api/screen/assessment']>;
/** The two kinds of token an administrator issues: for other city systems, and for wall PCs. */
export type TokenKind = 'api-keys' | 'screen-tokens';

/** GET /api/users: every account. */
export function listUsers(signal: AbortSignal): Promise<UserOut[]> {
  return call('GET /api/users', { signal });
}

/** POST /api/users. */
export function createUser(user: NewUser): Promise<UserOut> {
  return call('POST /api/users', { body: user });
}

/** PATCH /api/users/:id. */
export function updateUser(id: number, change: UserChange): Promise<UserOut> {
  return call('PATCH /api/users/:id', { params: { id }, body: change });
}

/** DELETE /api/users/:id/tracks: every track fix the account sent (on the person's request); how many went. */
export async function deleteUserTracks(id: number): Promise<number> {
  return (await call('DELETE /api/users/:id/tracks', { params: { id: String(id) } })).deleted;
}

/** GET /api/api-keys or /api/screen-tokens: the tokens of that kind, without their secrets. */
export function listTokens(kind: TokenKind, signal: AbortSignal): Promise<TokenOut[]> {
  return kind === 'api-keys' ? call('GET /api/api-keys', { signal }) : call('GET /api/screen-tokens', { signal });
}

/** POST /api/api-keys or /api/screen-tokens: issues one; its `secret` is shown once and never again. */
export function issueToken(kind: TokenKind, name: string): Promise<TokenOut & { secret: string }> {
  return kind === 'api-keys' ? call('POST /api/api-keys', { body: { name } }) : call('POST /api/screen-tokens', { body: { name } });
}

/** DELETE /api/api-keys/:id or /api/screen-tokens/:id. */
export function revokeToken(kind: TokenKind, id: number): Promise<void> {
  return kind === 'api-keys' ? call('DELETE /api/api-keys/:id', { params: { id } }) : call('DELETE /api/screen-tokens/:id', { params: { id } });
}

/** GET /api/audit: the latest `limit` entries of the audit log, newest first. */
export function getAudit(limit: number, signal: AbortSignal): Promise<AuditEntryOut[]> {
  return call('GET /api/audit', { query: { limit }, signal });
}

/** GET /api/screen/assessment: the window as set, or null. */
export function getAssessment(signal: AbortSignal): Promise<AssessmentSetting> {
  return call('GET /api/screen/assessment', { signal });
}

/** PUT /api/screen/assessment. */
export function setAssessment(window: AssessmentWindow): Promise<AssessmentSetting> {
  return call('PUT /api/screen/assessment', { body: window });
}

/** DELETE /api/screen/assessment: the countdown disappears. */
export function removeAssessment(): Promise<void> {
  return call('DELETE /api/screen/assessment', {});
}

/** GET /api/rankings/weights: how the 红黑榜 weighs the 测评 得分率. */
export function getRankingWeights(signal: AbortSignal): Promise<RankingWeightsOut> {
  return call('GET /api/rankings/weights', { signal });
}

/** PUT /api/rankings/weights. */
export function setRankingWeights(weights: RankingWeights): Promise<RankingWeightsOut> {
  return call('PUT /api/rankings/weights', { body: weights });
}

/** GET /api/calendar/:year: the working-day calendar deadlines count through. */
export function getCalendar(year: number, signal: AbortSignal): Promise<CalendarYearOut> {
  return call('GET /api/calendar/:year', { params: { year: String(year) }, signal });
}

/** PUT /api/calendar/:year (admin). */
export function setCalendar(year: number, body: CalendarBody): Promise<CalendarYearOut> {
  return call('PUT /api/calendar/:year', { params: { year: String(year) }, body });
}

/** DELETE /api/calendar/:year: back to the shipped calendar (admin). */
export function resetCalendar(year: number): Promise<CalendarYearOut> {
  return call('DELETE /api/calendar/:year', { params: { year: String(year) } });
}

/** GET /api/rankings/formula: the city's 考评 versions and the indicators. */
export function getRankingFormulas(signal: AbortSignal): Promise<FormulaOut> {
  return call('GET /api/rankings/formula', { signal });
}

/** PUT /api/rankings/formula (admin). */
export function putRankingFormula(body: FormulaBody): Promise<FormulaOut> {
  return call('PUT /api/rankings/formula', { body });
}

/** DELETE /api/rankings/formula/:validFrom (admin). */
export function deleteRankingFormula(validFrom: string): Promise<FormulaOut> {
  return call('DELETE /api/rankings/formula/:validFrom', { params: { validFrom } });
}
