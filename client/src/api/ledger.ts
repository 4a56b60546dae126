/**
 * Network calls of the workflow pages (ledger, history, transitions, photos, live events). Like
 * client.ts, the only code that talks to the server for them; every call takes an AbortSignal where it
 * can be cancelled and fails with an ApiError carrying the server's own sentence.
 */
import type {
  HistoryResponse,
  IntakeResponse,
  LayerCollection,
  LedgerPage,
  NearbyResponse,
  MediaUploadResponse,
  RankingResponse,
  TransitionBody,
} from '../../../server/contract';
import { request, sessionFetch, withScreenToken } from './client';
import { call } from './http';

/** GET /api/ledger?<query>: one page of the ledger and the total. */
export async function getLedgerPage(query: string, signal: AbortSignal): Promise<LedgerPage> {
  const path = `/api/ledger?${query}`;
  return (await request('/api/ledger', () => sessionFetch(path, { signal }))).json() as Promise<LedgerPage>;
}

/** The URL that downloads the filtered ledger (the browser saves it). */
export function ledgerExportUrl(query: string, format: 'xlsx' | 'csv'): string {
  return `/api/ledger/export.${format}${query ? `?${query}` : ''}`;
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
export async function uploadPhotos(files: readonly File[]): Promise<MediaUploadResponse> {
  const form = new FormData();
  for (const f of files) form.append('photos', f);
  return (await request('/api/media', () => sessionFetch('/api/media', { method: 'POST', body: form }))).json() as Promise<MediaUploadResponse>;
}

/** GET /api/rankings?<query>. */
export async function getRankings(query: string, signal: AbortSignal): Promise<RankingResponse> {
  return (await request('/api/rankings', () => sessionFetch(`/api/rankings?${query}`, { signal }))).json() as Promise<RankingResponse>;
}

/**
 * Listens to GET /api/events (new problems, transitions) and calls `onChange` for each; EventSource
 * reconnects by itself and replays what it missed (Last-Event-ID). Returns the close function.
 */
export function listenToProblemEvents(onChange: (type: string, data: unknown) => void): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  const source = new EventSource(withScreenToken('/api/events'));
  const handler = (e: MessageEvent<string>) => onChange(e.type, JSON.parse(e.data));
  for (const type of ['problem.created', 'problem.transition', 'problem.merged']) source.addEventListener(type, handler);
  return () => source.close();
}

/** GET /api/layers/subdistricts: the subdistrict polygons (for the rankings choropleth). */
export async function getSubdistrictShapes(signal: AbortSignal): Promise<LayerCollection> {
  const res = await request('/api/layers/subdistricts', () => sessionFetch('/api/layers/subdistricts', { signal }));
  return res.json() as Promise<LayerCollection>;
}

/** Every problem id the ledger query matches (pages of 1,000), for a bulk step. */
export async function getLedgerIds(query: string, total: number, signal: AbortSignal): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; offset < total; offset += 1000) {
    const page = await getLedgerPage(`${query}${query ? '&' : ''}offset=${offset}&limit=1000`, signal);
    ids.push(...page.rows.map((r) => r.id));
    if (page.rows.length < 1000) break;
  }
  return ids;
}

/** POST /api/problems/assign: all or none; a refusal is an ApiError naming the problem. */
export async function postBulkAssign(ids: readonly string[]): Promise<{ assigned: string[] }> {
  const res = await request('/api/problems/assign', () =>
    sessionFetch('/api/problems/assign', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids }) }),
  );
  return res.json() as Promise<{ assigned: string[] }>;
}

/** GET /api/problems/nearby: duplicates, recurrence, subdistrict, unit and place a report here would get. */
export async function getNearby(q: { category: string; lng: number; lat: number }, signal: AbortSignal): Promise<NearbyResponse> {
  const path = `/api/problems/nearby?category=${encodeURIComponent(q.category)}&lng=${q.lng}&lat=${q.lat}`;
  return (await request('/api/problems/nearby', () => sessionFetch(path, { signal }))).json() as Promise<NearbyResponse>;
}

/**
 * POST /api/problems (multipart). `idempotencyKey` must stay the same for every retry of one report, so
 * a report sent twice (a lost answer, a double tap) is stored once.
 */
export async function postReport(
  fields: { category: string; lng: number; lat: number; description: string; reporter: string; source: string; mergeInto?: string },
  photos: readonly File[],
  idempotencyKey: string,
): Promise<IntakeResponse> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') form.set(k, String(v));
  for (const p of photos) form.append('photos', p);
  const res = await request('/api/problems', () =>
    sessionFetch('/api/problems', { method: 'POST', body: form, headers: { 'Idempotency-Key': idempotencyKey } }),
  );
  return res.json() as Promise<IntakeResponse>;
}
