import { Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { authorize } from './auth/middleware';
import { compress } from './http/compress';
import { type ProxyTrust, requestIsHttps, resolveCaller, TRUST_NONE } from './http/proxy';
import { authRoutes } from './routes/auth/auth.routes';
import { AppError, BusyError, InputError, storageFailure } from './errors';
import { hotspotsRoutes, recurringRoutes } from './routes/hotspots/hotspots.routes';
import { layersRoutes } from './routes/layers/layers.routes';
import { metaRoutes } from './routes/meta/meta.routes';
import { openapiRoutes } from './routes/openapi/openapi.routes';
import { placesRoutes } from './routes/places/places.routes';
import { gridsRoutes } from './routes/places/grids.routes';
import { plansRoutes } from './routes/plans/plans.routes';
import { problemsRoutes } from './routes/problems/problems.routes';
import { mountClient } from './routes/client/client.routes';
import type { RouteDeps } from './routes/deps';
import { routingRoutes } from './routes/routing/routing.routes';
import { tilesRoutes } from './routes/tiles/tiles.routes';
import { mediaFileRoutes, mediaUploadRoutes, redactionRoutes } from './routes/media/media.routes';
import { eventsRoutes } from './routes/events/events.routes';
import { ledgerRoutes } from './routes/problems/ledger.routes';
import { rankingsRoutes } from './routes/rankings/rankings.routes';
import { calendarRoutes } from './routes/calendar/calendar.routes';
import { consequencesRoutes } from './routes/consequences/consequences.routes';
import { requestsRoutes } from './routes/problems/requests.routes';
import { open311Routes } from './routes/open311/open311.routes';
import { briefingRoutes } from './routes/rankings/briefing.routes';
import { screenRoutes } from './routes/screen/screen.routes';
import { checksRoutes } from './routes/checks/checks.routes';
import { tracksRoutes } from './routes/tracks/tracks.routes';
import { assessmentRoutes } from './routes/assessment/assessment.routes';
import { plansTodayRoutes } from './routes/screen/plans-today';
import type { Catalog } from './contract/catalog';
import { type BaseTiles, createBaseTiles } from './services/tiles/base-tiles';
import { createHotspots, type Hotspots } from './services/hotspots/hotspots';
import { createProblemTiles, type ProblemTiles } from './services/tiles/problem-tiles';
import { createLiveIndex, type LiveIndex } from './services/problems/live-index';
import { createSearchIndex, type SearchIndex } from './services/problems/search-index';
import { SearchIndexBuilding } from './store/ledger';
import { transferResult } from './pool/tasks';
import { createRoadEngine, type RoadEngine } from './services/routing/road-engine';
import { createWorkflowDeps, type WorkflowDeps } from './services/problems/deps';
import type { Store } from './store/index';
import { type SystemDeps, systemRoutes } from './routes/system/system.routes';
import { NO_BACKUPS } from './backup/schedule';
import { createBasemap, type Basemap } from './services/basemap/basemap';
import { basemapRoutes } from './routes/basemap/basemap.routes';
import { inlineAppPool, type AppPool } from './pool/app-pool';

/** What the app is built from. */
export interface AppDeps {
  store: Store;
  catalog: Catalog;
  /** The built client (dist/client); null or a folder without index.html → a 503 "run npm run build" page. */
  clientDir?: string | null;
  /** Epoch ms now, which decides what is overdue; default Date.now (tests pin it). */
  now?: () => number;
  /** Basemap tiles; default built from the store on first use. Pass one to warm it before serving. */
  baseTiles?: BaseTiles;
  /** Problem tiles; default built from the store on first use. */
  problemTiles?: ProblemTiles;
  /** Road engine; default loaded (cache next to the database) on first use. */
  roads?: RoadEngine;
  /**
   * The worker pool for plans and matrices (createAppPool; the caller closes it); default the same
   * tasks in-process, on the event loop.
   */
  pool?: AppPool;
  /** The ledger's search index (createSearchIndex over the pool); default one over `pool`. */
  search?: SearchIndex;
  /** Hotspot statistics and recurring sites; default built from the store on first use. */
  hotspots?: Hotspots;
  /** The problem index tiles and hotspots share; default built from the store on first use. */
  problemIndex?: LiveIndex;
  /** Where unexpected (500) errors are reported; default console.error. */
  logError?: (err: unknown) => void;
  /** Workflow deps (event hub, photo folder and limit); default from the store's folder and the env. */
  workflow?: WorkflowDeps;
  /** Which reverse proxies' X-Forwarded-For/-Proto to believe (TRUST_PROXY); default none. */
  trustProxy?: ProxyTrust;
  /** HTTPS, phone addresses and backups for /api/system/status and /ca.crt; default plain HTTP, no backups. */
  system?: SystemDeps;
}

/**
 * Security headers on every response. The policy allows nothing outside our own origin (intranet
 * deployments): scripts, styles, tiles, workers and fetches are all same-origin; images may also be
 * data:/blob: (map icons drawn in the page), styles inline (React style attributes). An online basemap the
 * administrator set adds exactly its tile origins to img-src and connect-src (MapLibre fetches raster
 * tiles, then decodes them as images), read per response from `tileOrigins`, which changes with the setting.
 */
function securityHeaders(tileOrigins: () => readonly string[]) {
  const withTiles = (own: string[]) => () => [...own, ...tileOrigins()].join(' ');
  return {
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: [withTiles(["'self'", 'data:', 'blob:'])],
      fontSrc: ["'self'", 'data:'],
      // Clips play from our own /media, and a clip being attached plays from a blob: URL while the page takes its poster frame.
      mediaSrc: ["'self'", 'blob:'],
      connectSrc: [withTiles(["'self'"])],
      workerSrc: ["'self'", 'blob:'],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'same-origin',
    // Set by `strictTransportSecurity` below, on HTTPS pages only: over HTTP browsers ignore it, and a plain
    // HTTP deployment should not promise HTTPS it does not serve.
    strictTransportSecurity: false,
  } satisfies Parameters<typeof secureHeaders>[0];
}

const HSTS = 'max-age=15552000; includeSubDomains';

const strictTransportSecurity: MiddlewareHandler = async (c, next) => {
  await next();
  if (requestIsHttps(c)) c.res.headers.set('Strict-Transport-Security', HSTS);
};

/**
 * Builds the Hono app: the API under /api, vector tiles under /tiles, the built client for every other
 * GET. Errors map to JSON once here: InputError → 400 `{ error, details }`, other typed errors → their
 * status with `{ error }`, a data folder that cannot be written → 503 saying so, anything unexpected → 500
 * (logged; the process carries on).
 *
 * @example
 * const app = await createApp({ store: openStore('var/xuncha.db'), catalog: loadCatalog('data/catalog') });
 * const res = await app.request('/api/meta');
 */
export async function createApp(deps: AppDeps): Promise<AppType> {
  // The basemap's tile origins go into every response's CSP: read before the first request.
  return buildApp(deps, await createBasemap(deps.store));
}

function buildApp(deps: AppDeps, basemap: Basemap) {
  const problemIndex = deps.problemIndex ?? createLiveIndex(deps.store);
  const roads = deps.roads ?? createRoadEngine(deps.store);
  const pool = deps.pool ?? inlineAppPool(deps.store, deps.catalog, roads);
  const routeDeps: RouteDeps = {
    store: deps.store,
    catalog: deps.catalog,
    baseTiles: deps.baseTiles ?? createBaseTiles(deps.store),
    problemTiles: deps.problemTiles ?? createProblemTiles(problemIndex),
    problemIndex,
    roads,
    pool,
    search: deps.search ?? createSearchIndex(deps.store, (budgetMs) => pool.run('search.build', { budgetMs })),
    now: deps.now ?? Date.now,
  };
  const hotspotDeps = {
    ...routeDeps,
    hotspots:
      deps.hotspots ??
      createHotspots(
        deps.store,
        problemIndex,
        (cube) => routeDeps.pool.run('hotspots.cube', cube),
        (input) => routeDeps.pool.run('hotspots.points', transferResult(input)),
      ),
  };
  const logError = deps.logError ?? ((err: unknown) => console.error(err));
  const workflow = deps.workflow ?? createWorkflowDeps(deps.store);

  const app = new Hono()
    .use('*', resolveCaller(deps.trustProxy ?? TRUST_NONE))
    .use('*', secureHeaders(securityHeaders(basemap.origins)))
    .use('*', strictTransportSecurity)
    .use('*', compress())
    .use('*', authorize({ store: deps.store, now: routeDeps.now }))
    // What reads the problem index waits while a worker builds it (after a start); the rest is answered meanwhile.
    .use('/tiles/problems/*', awaitIndex(problemIndex))
    // '/x/*' matches '/x' itself too.
    .use('/api/hotspots/*', awaitIndex(problemIndex))
    .use('/api/recurring', awaitIndex(problemIndex))
    .use('/api/screen/*', awaitIndex(problemIndex))
    // A search waits a moment for the search index, and is told how far it is when that is not enough.
    .use('/api/ledger/*', awaitSearch(routeDeps.search))
    .route('/', authRoutes(routeDeps))
    .route('/', metaRoutes(routeDeps, workflow))
    .route('/', layersRoutes(routeDeps))
    .route('/', problemsRoutes(routeDeps, workflow))
    .route('/', requestsRoutes(routeDeps, workflow))
    .route('/', placesRoutes(routeDeps))
    .route('/', gridsRoutes(routeDeps))
    .route('/', routingRoutes(routeDeps))
    .route('/', plansRoutes(routeDeps))
    .route('/', hotspotsRoutes(hotspotDeps))
    .route('/', recurringRoutes(hotspotDeps))
    .route('/', openapiRoutes())
    .route('/', tilesRoutes(routeDeps))
    .route('/', basemapRoutes({ basemap, now: routeDeps.now }))
    .route('/', mediaUploadRoutes(routeDeps, workflow))
    .route('/', redactionRoutes(routeDeps, workflow))
    .route('/', mediaFileRoutes(routeDeps, workflow))
    .route('/', eventsRoutes(routeDeps, workflow))
    .route('/', ledgerRoutes(routeDeps, workflow, logError))
    .route('/', rankingsRoutes(routeDeps))
    .route('/', calendarRoutes(routeDeps))
    .route('/', consequencesRoutes(routeDeps))
    .route('/', open311Routes(routeDeps, workflow))
    .route('/', briefingRoutes(routeDeps))
    .route('/', screenRoutes(routeDeps))
    .route('/', checksRoutes(routeDeps, workflow))
    .route('/', tracksRoutes(routeDeps, workflow))
    .route('/', assessmentRoutes(routeDeps, workflow))
    .route('/', plansTodayRoutes(routeDeps))
    .route('/', systemRoutes(deps.system ?? { tls: null, phoneAddresses: [], trustProxy: deps.trustProxy?.spec || null, backups: () => NO_BACKUPS }));

  app.notFound((c) => c.json({ error: `No route for ${c.req.method} ${c.req.path}. The API routes are listed in /api/openapi.json.` }, 404));

  app.onError((err, c) => {
    if (err instanceof InputError) return c.json({ error: err.message, details: err.details }, 400);
    // The pool's queue is full: the page says when to try again, and so does the header.
    if (err instanceof BusyError) return c.json({ error: err.message }, 503, { 'Retry-After': String(err.retryAfterS) });
    if (err instanceof SearchIndexBuilding) return c.json({ error: err.message }, 503, { 'Retry-After': String(err.retryAfterS) });
    if (err instanceof AppError) {
      if (err.status === 500) logError(err);
      return c.json({ error: err.message }, err.status as 404);
    }
    if (err instanceof HTTPException) return c.json({ error: err.message || 'Request failed' }, err.status);
    // The client went away and its work in the pool was stopped: nobody reads this answer, nothing to log.
    if (c.req.raw.signal.aborted && err instanceof Error && err.name === 'AbortError') return new Response(null, { status: 499 });
    // A read-only or full data folder is the operator's to fix: say so, and keep it in the log.
    const storage = storageFailure(err);
    logError(err);
    if (storage) return c.json({ error: storage.message }, 503);
    return c.json({ error: 'Internal server error; the server log has the details. Please report it if it keeps happening.' }, 500);
  });

  mountClient(app as unknown as Hono, deps.clientDir ?? null);
  return app;
}

/** The app's type, for a typed client (`hc<AppType>`). */
export type AppType = ReturnType<typeof buildApp>;

/** How long a search waits for the search index being built before it is answered 503 with the progress. */
const SEARCH_WAIT_MS = 1500;

function awaitSearch(search: SearchIndex): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.query('q')?.trim()) await search.awaitReady(SEARCH_WAIT_MS);
    await next();
  };
}

function awaitIndex(index: LiveIndex): MiddlewareHandler {
  return async (_c, next) => {
    await index.ready();
    await next();
  };
}
