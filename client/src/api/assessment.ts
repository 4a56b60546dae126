/** 测评迎检: the assessment catalog, 得分率 and the losses. */
import type { CatalogImported, CatalogResponse, LossesResponse, ReadinessMap, ReadinessResponse, ScoresResponse } from '../../../server/contract/assessment';
import type { Mock, MockRequest, MockSummary } from '../../../server/contract/assessment-mocks';
import { call, callForm, resolve } from './http';

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
/** GET /api/assessment/readiness/map: every point at its marker with its status (checked within `days`). */
export function getReadinessMap(days: number, signal: AbortSignal): Promise<ReadinessMap> {
  return call('GET /api/assessment/readiness/map', { query: { days: String(days) }, signal });
}

export function getReadiness(q: { days: number; by: 'type' | 'subdistrict' | 'point'; limit?: number }, signal: AbortSignal): Promise<ReadinessResponse> {
  return call('GET /api/assessment/readiness', {
    query: { days: String(q.days), by: q.by, limit: q.limit === undefined ? undefined : String(q.limit) },
    signal,
  });
}

/** GET /api/assessment/catalog: the version in force on `date` (default today). */
export function getAssessmentCatalog(signal: AbortSignal): Promise<CatalogResponse> {
  return call('GET /api/assessment/catalog', { query: {}, signal });
}

/** GET /api/assessment/mocks, newest first. */
export function listMocks(signal: AbortSignal): Promise<MockSummary[]> {
  return call('GET /api/assessment/mocks', { signal }).then((r) => r.mocks);
}

/** GET /api/assessment/mocks/:id. */
export function getMock(id: string, signal: AbortSignal): Promise<Mock> {
  return call('GET /api/assessment/mocks/:id', { params: { id }, signal });
}

/** POST /api/assessment/mocks: draw, plan and save a mock (seconds: the routes are planned). */
export function createMock(req: MockRequest, signal?: AbortSignal): Promise<Mock> {
  return call('POST /api/assessment/mocks', { body: req, signal });
}

/** POST /api/assessment/mocks/:id/finish: score what was checked now. */
export function finishMock(id: string): Promise<Mock> {
  return call('POST /api/assessment/mocks/:id/finish', { params: { id } });
}

/** Where the browser opens a mock's printable report and downloads its workbook. */
export function mockReportUrls(id: string): { print: string; xlsx: string } {
  return { print: resolve('GET /api/assessment/mocks/:id/report', { id }).path, xlsx: resolve('GET /api/assessment/mocks/:id/report.xlsx', { id }).path };
}

/** Where the browser downloads the catalog in force as a workbook. */
export function catalogXlsxUrl(): string {
  return resolve('GET /api/assessment/catalog.xlsx').path;
}

/** POST /api/assessment/catalog: a new version from an edited workbook. */
export function importCatalog(file: File): Promise<CatalogImported> {
  return callForm('POST /api/assessment/catalog', { fields: { file: [file] } });
}
