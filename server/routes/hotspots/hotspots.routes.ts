import type { Context, TypedResponse } from 'hono';
import { districtScope, scopedQuery, scopeKey } from '../../auth/middleware';
import type { HotspotCollection, RecurringCollection } from '../../contract/hotspots';
import type { Hotspots } from '../../services/hotspots/hotspots';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';
import { etagOf, setEtag } from '../../http/etag';
import { POINTS_REVISION_HEADER } from '../../contract/points-bin';
import { createPointsFeed } from '../../services/hotspots/points-bin';

/** What the hotspot routes need: the usual deps and the hotspot service. */
export interface HotspotRouteDeps extends RouteDeps {
  hotspots: Hotspots;
}

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=UTF-8', 'Cache-Control': 'no-cache' };

/** `GET /api/hotspots`, `/api/hotspots/cells/:cell`, `/api/hotspots/points.bin` and its deltas. */
export function hotspotsRoutes(deps: HotspotRouteDeps) {
  // One feed per scope: a delta is between two bodies of the same scope.
  const feeds = new Map<string, ReturnType<typeof createPointsFeed>>();
  const feedOf = (c: Context) => {
    const key = scopeKey(c);
    let feed = feeds.get(key);
    if (!feed) feeds.set(key, (feed = createPointsFeed()));
    return feed;
  };
  /** A district account's subdistricts: its points.bin holds their problems only. */
  const scoped = async (c: Context) => {
    const d = districtScope(c);
    return d ? deps.store.districtSubdistricts([d]) : undefined;
  };
  return declareRoutes()
    .route('GET /api/hotspots', async (c) => {
      const json = await deps.hotspots.hotspotsJson(scopedQuery(c, c.req.valid('query')), deps.now());
      // NOTE: the body is cached JSON bytes; the cast gives hc<AppType> the type c.json would.
      return c.body(json as Uint8Array<ArrayBuffer>, 200, JSON_HEADERS) as unknown as TypedResponse<HotspotCollection, 200, 'json'>;
    })
    .route('GET /api/hotspots/points.bin', async (c) => {
      const now = deps.now();
      // Some 20 MB at a million problems, refetched by every open big screen: a browser that holds the
      // current version revalidates it for a 304 instead of downloading it again.
      const scope = scopeKey(c);
      const version = await deps.hotspots.pointsBinVersion(now);
      const tag = scope === 'all' ? etagOf('points', version) : etagOf('points', version, scope);
      if (setEtag(c, tag, 'no-cache')) return c.body(null, 304);
      const bytes = await deps.hotspots.pointsBin(now, await scoped(c));
      // A 304 keeps the header the browser stored with the body, so the pair always matches.
      c.header(POINTS_REVISION_HEADER, feedOf(c).revisionOf(bytes));
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/octet-stream' });
    })
    .route('GET /api/hotspots/points.delta', async (c) => {
      const bytes = feedOf(c).delta(c.req.valid('query').since, await deps.hotspots.pointsBin(deps.now(), await scoped(c)));
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store' });
    })
    .route('GET /api/hotspots/cells/:cell', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(await deps.hotspots.cellHistory(c.req.valid('param').cell, scopedQuery(c, c.req.valid('query')), deps.now()));
    }).app;
}

/** `GET /api/recurring`. */
export function recurringRoutes(deps: HotspotRouteDeps) {
  return declareRoutes().route('GET /api/recurring', async (c) => {
    const json = await deps.hotspots.recurringJson(scopedQuery(c, c.req.valid('query')), deps.now());
    return c.body(json as Uint8Array<ArrayBuffer>, 200, JSON_HEADERS) as unknown as TypedResponse<RecurringCollection, 200, 'json'>;
  }).app;
}
