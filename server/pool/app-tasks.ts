/**
 * The server's task table: what runs in the pool's workers. Each worker opens the store itself (WAL lets
 * readers run beside the main thread's single writer) and loads the road engine from its cache next to
 * the database, lazily and once; results go back to the main thread, which does every write but the
 * search index's (search.build).
 */
import { createRoadEngine, type RoadEngine } from '../services/routing/road-engine';
import { matrixResponse, routeFeature } from '../services/routing/routing';
import { computeNewPlan, computeRoutes, type NewPlanInput, type PlanComputeInput } from '../services/plans/plans';
import { buildPackedIndex } from '../services/problems/live-index';
import { summaryTables, type SummaryQuery } from '../services/screen/screen';
import { reel } from '../services/screen/reel';
import type { ReelQuery } from '../contract/reel';
import { rankings } from '../services/rankings/rankings';
import { weeklyBriefing, type BriefingOf } from '../services/documents/documents';
import { ledgerPage, ledgerXlsxWithThumbnails, openLedgerSource, writeLedgerCsv, writeLedgerXlsx, type LedgerQuery } from '../services/problems/ledger';
import { listProblemsJson } from '../services/problems/problems';
import type { ProblemQuery } from '../contract/problems';
import { openStore, type Store } from '../store/index';
import type { Catalog } from '../contract/catalog';
import type { RankingGroup } from '../contract/rankings';
import type { Profile } from '../graph/index';
import { analyseCube, type CubeInput } from '../analytics/space-time-cube';
import { encodePointsBinFrom, type PointsBinInput } from '../services/hotspots/points-bin';
import {
  assessmentLosses,
  assessmentReadiness,
  assessmentReadinessMap,
  assessmentScores,
  type LossesInput,
  type ReadinessInput,
  type ScoresInput,
} from '../services/assessment/scores';
import { mockReportXlsx } from '../services/assessment/mock-report';
import { registryXlsx } from '../services/city/registry-sheet';
import { planRegistrySheet } from '../services/city/registry-import';
import { planMapFile } from '../services/city/map-import';
import { myPlaces, type MyPlacesInput } from '../services/city/my-places';
import { gridFeature, listGrids, prepareGrids } from '../services/city/grids';
import type { RegistryExportQuery } from '../contract/places';
import { catalogXlsx, parseCatalogXlsx } from '../services/assessment/catalog-sheet';
import type { AssessmentCatalog } from '../contract/assessment';
import type { Mock } from '../contract/assessment-mocks';
import { planProgress, walkedTracks } from '../services/tracks/progress';
import { loadPlan } from '../services/plans/plans';
import { callTask, streamTask, transferResult, type TaskTable } from './tasks';

/** What a worker is started with. */
export interface AppPoolData {
  /** The SQLite file the main thread has open. */
  dbFile: string;
  catalog: Catalog;
}

/** What the tasks read: the store, the catalog and the road engine. */
export interface TaskContext {
  store: Store;
  catalog: Catalog;
  roads: RoadEngine;
}

export interface MatrixInput {
  profile: Profile;
  points: [number, number][];
  maxSnapM?: number;
}

export interface RouteInput {
  from: [number, number];
  to: [number, number];
  profile: Profile;
  maxSnapM?: number;
}

/** What a ledger export is asked for: the query as validated, its clock, and the XLSX's title row. */
export interface LedgerExportInput {
  q: LedgerQuery;
  nowMs: number;
  title: string;
}

/** The tasks over a context (the worker's own, or the main thread's for the in-process pool). */
export function appTasks(context: () => TaskContext) {
  return {
    'plan.create': callTask(async (input: NewPlanInput, ctx) => computeNewPlan(context(), input, ctx.cancelled)),
    'plan.compute': callTask((input: PlanComputeInput, ctx) => computeRoutes(context(), input, ctx.cancelled)),
    // As JSON bytes: 500 × 500 cells as nested arrays would cost the main thread ~200 ms to receive (structured
    // clone) and more to stringify; bytes arrive as one copy and go out as the body.
    matrix: callTask(async (q: MatrixInput) => new TextEncoder().encode(JSON.stringify(matrixResponse(await context().roads.get(), q)))),
    // Milliseconds, but over the road graph, which then needs loading in the workers only.
    route: callTask(async (q: RouteInput) => routeFeature(await context().roads.get(), q)),
    // The big screen summary's group-bys (~0.5 s at a million problems); its pass over the index stays on the main thread.
    'screen.tables': callTask(async ({ q, nowMs }: { q: SummaryQuery; nowMs: number }) => summaryTables(context().store, context().catalog, q, nowMs)),
    // The 暗访片: two counts over the filter (a month of a million-problem city is ~80,000 rows) and the slides' media.
    'screen.reel': callTask(async ({ q, nowMs }: { q: ReelQuery; nowMs: number }) => reel(context().store, context().catalog, q, nowMs)),
    // SQL group-bys, and with the 测评 得分率 weighed in the scoring of every check and problem at the points.
    rankings: callTask(async ({ q, nowMs }: { q: { by: RankingGroup; district?: string; from?: number; to?: number; grid?: string[] }; nowMs: number }) =>
      rankings(context().store, context().catalog, q, nowMs),
    ),
    // A ledger page or a page of problems under a 网格 filter: every row in the grid's box tested against its
    // outline (~100–150 ms for the densest grid at a million problems); unfiltered pages stay on the main thread.
    'ledger.page': callTask(async ({ q, nowMs }: { q: LedgerQuery; nowMs: number }) => ledgerPage(context().store, context().catalog, q, nowMs)),
    'problems.page': callTask(async ({ q, nowMs, redact }: { q: ProblemQuery; nowMs: number; redact: boolean }) =>
      // A copy: the store's Buffer may be a slice of Node's shared pool, which must not be transferred.
      transferResult({ bytes: new Uint8Array(await listProblemsJson(context().store, q, nowMs, redact)) }),
    ),
    // Two rankings and two ledger pages of a subdistrict's week.
    'briefing.weekly': callTask(async ({ of, weekOfMs, nowMs }: { of: BriefingOf; weekOfMs: number; nowMs: number }) =>
      weeklyBriefing(context().store, context().catalog, of, weekOfMs, nowMs),
    ),
    // The whole problem index at a revision, read and built here so the event loop only receives it.
    'index.build': callTask((_: null) => transferResult(buildPackedIndex(context().store))),
    // One slice of the ledger's search index (a million problems take ~25 s in all): the only task that
    // writes, in short transactions of its own, as the index is derived data no request waits to write.
    'search.build': callTask(async ({ budgetMs }: { budgetMs: number }) => context().store.buildSearchIndex(budgetMs)),
    // Pure statistics over a counted cube (~0.2 s at a million problems); the counting stays with the index.
    'hotspots.cube': callTask((cube: CubeInput) => analyseCube(cube)),
    // points.bin from a snapshot of the index taken on the main thread; its 20 MB at a million move back.
    'hotspots.points': callTask((input: PointsBinInput) => transferResult(encodePointsBinFrom(input))),
    // Exports read over a connection of their own (openLedgerSource): its cursor stays open for the whole
    // export, and the in-process pool's context store is the server's, which must stay free to write.
    'ledger.csv': streamTask(async ({ q, nowMs }: LedgerExportInput, out, ctx) => {
      const source = await openLedgerSource(context().store.file);
      try {
        await writeLedgerCsv(source, context().catalog, q, nowMs, out, ctx.signal);
      } finally {
        await source.close();
      }
    }),
    'ledger.xlsx': streamTask(async ({ q, nowMs, title }: LedgerExportInput, out, ctx) => {
      const source = await openLedgerSource(context().store.file);
      try {
        await writeLedgerXlsx(source, context().catalog, q, nowMs, title, out, ctx.signal);
      } finally {
        await source.close();
      }
    }),
    // Built in memory (images do not stream), at most THUMBNAIL_EXPORT_MAX_ROWS rows: up to a few seconds of exceljs.
    'ledger.xlsx.thumbnails': callTask(async ({ q, nowMs, title, mediaDir }: LedgerExportInput & { mediaDir: string }) =>
      transferResult(await ledgerXlsxWithThumbnails(context().store, context().catalog, q, nowMs, title, mediaDir)),
    ),
    // Reads every problem at an inspection point (hundreds of thousands in a big city) and scores each week.
    // Every fix of a plan against its teams' stops and streets (a day of twenty teams: a few hundred thousand fixes).
    'tracks.progress': callTask(async ({ planId }: { planId: string }) => {
      const store = context().store;
      return planProgress(await loadPlan(store, planId), await store.trackPointsOfPlan(planId));
    }),
    'tracks.walked': callTask(async ({ planId }: { planId: string }) => {
      const store = context().store;
      return walkedTracks(await loadPlan(store, planId), await store.trackPointsOfPlan(planId));
    }),
    'assessment.scores': callTask(async (input: ScoresInput) => assessmentScores(context().store, context().catalog, input)),
    'assessment.readiness': callTask(async (input: ReadinessInput) => assessmentReadiness(context().store, context().catalog, input)),
    'assessment.readiness.map': callTask(async (input: { days: number; nowMs: number; district?: string }) =>
      assessmentReadinessMap(context().store, context().catalog, input),
    ),
    'assessment.losses': callTask(async (input: LossesInput) => assessmentLosses(context().store, context().catalog, input)),
    // A catalog workbook read or written: exceljs' load alone is ~0.5 s.
    'assessment.catalog.parse': callTask(({ bytes, categoryIds }: { bytes: Uint8Array; categoryIds: string[] }) =>
      parseCatalogXlsx(bytes, new Set(categoryIds)),
    ),
    'assessment.catalog.xlsx': callTask(async (version: AssessmentCatalog) => transferResult(await catalogXlsx(version))),
    // exceljs takes ~0.5 s to load and more to write: a report is small, but not that small.
    'assessment.mock.xlsx': callTask(async (mock: Mock) => transferResult(await mockReportXlsx(mock))),
    // The 点位信息表: every point of a big city with its names, and exceljs' load (~0.5 s); an import reads and matches every row.
    'places.registry.plan': callTask(async ({ bytes, nowMs }: { bytes: Uint8Array; nowMs: number }) =>
      planRegistrySheet(context().store, context().catalog, bytes, nowMs),
    ),
    // Every point tested against every grid (points × grids point-in-polygon), and an import file's outlines checked.
    'grids.list': callTask(async (_: null) => listGrids(context().store)),
    'grids.feature': callTask(async ({ id }: { id: string }) => gridFeature(context().store, id)),
    'grids.prepare': callTask(async ({ text }: { text: string }) => prepareGrids(context().store, text)),
    // Reads the readiness window of every point (the answer keeps the account's own).
    'places.mine': callTask(async (input: MyPlacesInput) => myPlaces(context().store, context().catalog, input)),
    // A map file is parsed and its layers built as the CLI builds them: seconds for a district's extract.
    'places.map.plan': callTask(async ({ bytes, fileName }: { bytes: Uint8Array; fileName: string }) => planMapFile(context().store, bytes, fileName)),
    'places.registry.xlsx': callTask(async ({ query, nowMs, district }: { query: RegistryExportQuery; nowMs: number; district?: string }) =>
      transferResult(await registryXlsx(context().store, context().catalog, query, nowMs, district)),
    ),
    /** Opens the store and loads the road graph now, so the first plan does not wait for them. */
    warm: callTask(async (_: null) => {
      const loaded = await context().roads.warm();
      return { junctions: loaded?.graph.nodeCount ?? 0 };
    }),
  } satisfies TaskTable;
}

export type AppTasks = ReturnType<typeof appTasks>;

let data: AppPoolData | null = null;
let opened: TaskContext | null = null;

/** Called once in each worker with the pool's data. */
export function setup(d: AppPoolData): void {
  data = d;
}

function workerContext(): TaskContext {
  if (opened) return opened;
  if (!data) throw new Error('The worker was started without its data (the database path): create the pool with createAppPool().');
  const store = openStore(data.dbFile);
  opened = { store, catalog: data.catalog, roads: createRoadEngine(store) };
  return opened;
}

export const tasks = appTasks(workerContext);

/** This module's URL, for createPool({ tasks }). */
export const APP_TASKS_URL = new URL(import.meta.url);
