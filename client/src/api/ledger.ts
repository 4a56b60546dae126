/**
 * Network calls of the workflow pages (ledger, history, transitions, photos, live events), typed by
 * the contract through api/http.ts. Every call takes an AbortSignal where it can be cancelled and fails
 * with an ApiError carrying the server's own sentence.
 */
import type { Api } from '../../../server/contract/api';
import type { QueryOf } from '../../../server/contract/endpoint';
import type {
  HistoryResponse,
  IntakeResponse,
  LedgerPage,
  MediaUploadResponse,
  NearbyResponse,
  RankingResponse,
  TransitionBody,
} from '../../../server/contract';
import { withScreenToken } from './client';
import { call, callForm, callRaw, resolve } from './http';

/** The query of GET /api/ledger and its exports, as the contract declares it. */
export type LedgerQuery = QueryOf<Api['GET /api/ledger']>;
/** The query of GET /api/rankings. */
export type RankingQuery = QueryOf<Api['GET /api/rankings']>;

/** GET /api/ledger: one page of the ledger and the total. */
export function getLedgerPage(query: LedgerQuery, signal: AbortSignal): Promise<LedgerPage> {
  return call('GET /api/ledger', { query, signal });
}

/**
 * Downloads the filtered ledger as XLSX or CSV: reads the export as it streams (`onBytes` with the
 * bytes so far, for the page's progress), then hands it to the browser to save under the server's file
 * name. Fails with the server's ApiError (a full worker queue: 503 with `retryAfterS`) before anything
 * is saved; aborting `signal` stops the export on the server too.
 */
export async function downloadLedgerExport(query: LedgerQuery, format: 'xlsx' | 'csv', signal: AbortSignal, onBytes: (n: number) => void): Promise<void> {
  const res = await callRaw(format === 'xlsx' ? 'GET /api/ledger/export.xlsx' : 'GET /api/ledger/export.csv', { query, signal });
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let n = 0;
  const reader = res.body!.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    parts.push(next.value as Uint8Array<ArrayBuffer>);
    n += next.value.byteLength;
    onBytes(n);
  }
  const blob = new Blob(parts, { type: res.headers.get('content-type') ?? 'application/octet-stream' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileNameOf(res.headers.get('content-disposition')) ?? `ledger.${format}`;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has handed the blob to the download; the URL is not needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The name in `Content-Disposition`: RFC 6266's `filename*=UTF-8''…` (the Chinese one) before `filename="…"`. */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // a malformed escape: fall back to the plain name
    }
  }
  return /filename="([^"]+)"/i.exec(disposition)?.[1] ?? null;
}

/** The printable 整改通知单 of a problem (GET /api/problems/:id/notice, HTML: the browser opens it). */
export function noticeUrl(id: string): string {
  return resolve('GET /api/problems/:id/notice', { id }).path;
}

/**
 * The weekly 通报 of one subdistrict, or of one district with its subdistricts ranked (GET
 * /api/briefings/weekly, last week: the browser opens it).
 *
 * @example weeklyBriefingUrl({ district: 'dt01' }) // '/api/briefings/weekly?district=dt01'
 */
export function weeklyBriefingUrl(of: { subdistrict: string } | { district: string }): string {
  return resolve('GET /api/briefings/weekly', undefined, of).path;
}

/** GET /api/problems/:id/history. */
export function getHistory(id: string, signal: AbortSignal): Promise<HistoryResponse> {
  return call('GET /api/problems/:id/history', { params: { id }, signal });
}

/** POST /api/problems/:id/transitions; a refused step (409) is an ApiError with the server's sentence. */
export function postTransition(id: string, body: Partial<TransitionBody> & { to: TransitionBody['to'] }): Promise<HistoryResponse> {
  return call('POST /api/problems/:id/transitions', { params: { id }, body: { note: '', ...body } });
}

/** POST /api/media: stores photos and returns their hashes (for a transition's `photos`). */
export function uploadPhotos(files: readonly File[]): Promise<MediaUploadResponse> {
  return callForm('POST /api/media', { fields: { photos: files } });
}

/** GET /api/rankings. */
export function getRankings(query: RankingQuery, signal: AbortSignal): Promise<RankingResponse> {
  return call('GET /api/rankings', { query, signal });
}

const PROBLEM_EVENTS = ['problem.created', 'problem.transition', 'problem.merged'] as const;

/**
 * Listens to GET /api/events (new problems, transitions) and calls `onChange` for each; EventSource
 * reconnects by itself and replays what it missed (Last-Event-ID). `also` adds event types to the same
 * stream (the big screen: `team.position`), so a page keeps one connection. Returns the close function.
 */
export function listenToProblemEvents(onChange: (type: string, data: unknown) => void, also: readonly string[] = []): () => void {
  return listenToEvents([...PROBLEM_EVENTS, ...also], onChange);
}

/** Listens to GET /api/events for `types` only (the planner: `team.position`); see listenToProblemEvents. */
export function listenToEvents(types: readonly string[], onEvent: (type: string, data: unknown) => void): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  const source = new EventSource(withScreenToken(resolve('GET /api/events').path));
  const handler = (e: MessageEvent<string>) => onEvent(e.type, JSON.parse(e.data));
  for (const type of types) source.addEventListener(type, handler);
  return () => source.close();
}

/** Every problem id the ledger query matches (pages of 1,000), for a bulk step. */
export async function getLedgerIds(query: LedgerQuery, total: number, signal: AbortSignal): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; offset < total; offset += 1000) {
    const page = await getLedgerPage({ ...query, offset: String(offset), limit: '1000' }, signal);
    ids.push(...page.rows.map((r) => r.id));
    if (page.rows.length < 1000) break;
  }
  return ids;
}

/** POST /api/problems/assign: all or none; a refusal is an ApiError naming the problem. */
export function postBulkAssign(ids: readonly string[]): Promise<{ assigned: string[] }> {
  return call('POST /api/problems/assign', { body: { ids: [...ids] } });
}

/** GET /api/problems/nearby: duplicates, recurrence, subdistrict, unit and place a report here would get. */
export function getNearby(q: { category: string; lng: number; lat: number }, signal: AbortSignal): Promise<NearbyResponse> {
  return call('GET /api/problems/nearby', { query: q, signal });
}

/**
 * POST /api/problems (multipart). `idempotencyKey` must stay the same for every retry of one report, so
 * a report sent twice (a lost answer, a double tap) is stored once.
 */
export function postReport(
  fields: { category: string; lng: number; lat: number; description: string; reporter: string; source: string; mergeInto?: string },
  photos: readonly File[],
  idempotencyKey: string,
): Promise<IntakeResponse> {
  return callForm('POST /api/problems', { fields: { ...fields, photos }, headers: { 'Idempotency-Key': idempotencyKey } });
}
