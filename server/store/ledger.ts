/**
 * The 问题台账 over the problems table: the map's filters, full-text search, any sort, a page or every
 * row, at a million problems.
 *
 * A page is picked over rowids and the full rows (names, look-back result) made for its rows only. How
 * the rowids are picked depends on how many match: a few thousand are sorted by SQLite in memory; more
 * are read by walking an index in the sort's own order (the sort's value, then newest first), so
 * nothing is sorted and a page of 200 reads a few hundred index entries whatever the total (sorting a
 * million rows by unit name took 0.8–1 s). The two give the same order. Every sort puts the rows
 * without a value (no deadline yet, no unit) last, either way.
 *
 * The search index (problems_search, search-text.ts) is built in slices (`buildSearchIndex`) by a
 * worker after an import and kept up by the intake; a search before it is complete is refused with
 * SearchIndexBuilding, which says how far it is.
 */
import type Database from 'better-sqlite3';
import { AppError } from '../errors';
import { bilingual } from '../contract/bilingual';
import type { ProblemFilter, ProblemStatus } from '../contract/problems';
import type { LedgerSort } from '../contract/workflow';
import { OVERDUE_SQL, problemFilterSql } from './problems';
import { searchMatch, searchTokens } from './search-text';
import { statementCache } from './statement-cache';

/** A ledger row as the store reads it (names resolved, look-back result derived). */
export interface LedgerDbRow {
  id: string;
  category: string;
  description: string;
  lng: number;
  lat: number;
  placeName: string | null;
  placeAddress: string | null;
  districtName: string | null;
  subdistrictName: string | null;
  unitName: string | null;
  reportedAt: string;
  deadline: string | null;
  status: ProblemStatus;
  overdue: 0 | 1;
  rectifiedAt: string | null;
  lastCheck: 'pass' | 'fail' | null;
  recurrenceOf: string | null;
  noticeNo: string | null;
}

/** Ledger query: the map's filters, search words, sort, page. */
export interface LedgerQueryOpts {
  filter: ProblemFilter;
  /** Search words; every one must appear in the description, place name or address. */
  words: string[];
  sort: LedgerSort;
  order: 'asc' | 'desc';
  offset: number;
  /** null: every row (exports). */
  limit: number | null;
  nowMs: number;
}

/** How far the search index is: complete, or `done` of `total` problems indexed. */
export interface SearchIndexState {
  ready: boolean;
  done: number;
  total: number;
}

/** A search asked for while the index is still being built (after an import or an upgrade). */
export class SearchIndexBuilding extends AppError {
  readonly state: SearchIndexState;
  readonly retryAfterS = 5;
  constructor(state: SearchIndexState) {
    const pct = state.total > 0 ? Math.floor((100 * state.done) / state.total) : 0;
    super(
      503,
      bilingual(
        `全文检索索引正在建立（已完成 ${pct}%），请几秒后再搜索；不带搜索词的筛选和排序现在就能用。`,
        `The search index is being built (${pct} % done): search again in a few seconds; filters and sorts without search words work now.`,
      ),
    );
    this.state = state;
  }
}

/** A ledger row as the page and the export read it (`p`: problems; joins below). */
const ROW_COLUMNS = `p.rid AS rid, p.id, p.category, p.description, p.lng, p.lat, pl.name AS placeName, pl.address AS placeAddress,
          dt.name AS districtName, sd.name AS subdistrictName, u.name AS unitName, p.reported_at AS reportedAt, p.deadline, p.status,
          ${OVERDUE_SQL} AS overdue, p.rectified_at AS rectifiedAt,
          (SELECT h.action FROM problem_history h WHERE h.problem_id = p.id AND h.action IN ('pass', 'fail') ORDER BY h.seq DESC LIMIT 1) AS lastCheck,
          p.recurrence_of AS recurrenceOf, p.notice_no AS noticeNo`;
const ROW_JOINS = `LEFT JOIN places pl ON pl.id = p.place_id LEFT JOIN subdistricts sd ON sd.id = p.subdistrict_id
        LEFT JOIN districts dt ON dt.id = sd.district_id LEFT JOIN units u ON u.id = p.unit_id`;
/** Full rows made at a time from the ordered rowids (an export's batch). */
const ROW_BATCH = 500;
/** Up to this many matching rows are sorted in memory; more are read by walking the sort's index. */
const SORT_IN_MEMORY_MAX = 20_000;
/** The search index table (as migration 10 made it). */
const SEARCH_TABLE_SQL = "CREATE VIRTUAL TABLE problems_search USING fts5(t, content='', contentless_delete=1, tokenize='ascii');";
/** A search with up to this many matches reads the problems by them; with more, another index drives and the matches are a membership test. */
const SEARCH_DRIVES_MAX = 20_000;
/** Problems indexed per write transaction of the search build: a write of the server waits at most one (~50 ms). */
const SEARCH_BUILD_ROWS = 2000;

type Dir = 'ASC' | 'DESC';
/** One part of a walk: the rows of `from` meeting `cond`, in `order`, which an index gives as it is read. */
interface Arm {
  from: string;
  cond: string | null;
  order: string;
}
/** How a sort is made: all rows in one ORDER BY (sorted in memory), or a walk of arms one after another. */
interface SortPlan {
  joins: string;
  order(d: Dir): string;
  arms(d: Dir): Arm[];
}

// Ties go newest first in the sort's direction, then by rowid: the order the (key, reported_ms) indexes hold.
const then = (d: Dir) => `p.reported_ms ${d}, p.rid ${d}`;
/** A column of problems that may be NULL, with its (column, reported_ms) index. */
const nullable = (col: string, index: string): SortPlan => ({
  joins: '',
  order: (d) => `${col} IS NULL, ${col} ${d}, ${then(d)}`,
  arms: (d) => [
    { from: `problems p INDEXED BY ${index}`, cond: `${col} IS NOT NULL`, order: `${col} ${d}, ${then(d)}` },
    { from: `problems p INDEXED BY ${index}`, cond: `${col} IS NULL`, order: then(d) },
  ],
});
/** Problems sorted by the name of what they point to (a unit, a subdistrict); every problem's id names an existing one. */
const byName = (table: string, alias: string, col: string, index: string, nameIndex: string): SortPlan => ({
  joins: `LEFT JOIN ${table} ${alias} ON ${alias}.id = ${col}`,
  order: (d) => `${col} IS NULL, ${alias}.name ${d}, ${alias}.id ${d}, ${then(d)}`,
  arms: (d) => [
    {
      from: `${table} ${alias} INDEXED BY ${nameIndex} CROSS JOIN problems p INDEXED BY ${index} ON ${col} = ${alias}.id`,
      cond: null,
      order: `${alias}.name ${d}, ${alias}.id ${d}, ${then(d)}`,
    },
    { from: `problems p INDEXED BY ${index}`, cond: `${col} IS NULL`, order: then(d) },
  ],
});
const notNull = (col: string, index: string): SortPlan => ({
  joins: '',
  order: (d) => `${col} ${d}, ${then(d)}`,
  arms: (d) => [{ from: `problems p INDEXED BY ${index}`, cond: null, order: `${col} ${d}, ${then(d)}` }],
});
const SORTS: Record<LedgerSort, SortPlan> = {
  reportedAt: {
    joins: '',
    order: (d) => `p.reported_ms ${d}, p.id ${d}`,
    arms: (d) => [{ from: 'problems p INDEXED BY problems_order', cond: null, order: `p.reported_ms ${d}, p.id ${d}` }],
  },
  id: {
    joins: '',
    order: (d) => `p.id ${d}`,
    arms: (d) => [{ from: 'problems p INDEXED BY sqlite_autoindex_problems_1', cond: null, order: `p.id ${d}` }],
  },
  deadline: nullable('p.deadline_ms', 'problems_deadline'),
  rectifiedAt: nullable('p.rectified_at', 'problems_rectified'),
  status: notNull('p.status', 'problems_status'),
  category: notNull('p.category', 'problems_category'),
  subdistrict: byName('subdistricts', 'sd', 'p.subdistrict_id', 'problems_subdistrict', 'subdistricts_name'),
  unit: byName('units', 'u', 'p.unit_id', 'problems_unit', 'units_name'),
};

/**
 * The ledger's queries and its search index over `db`; `cityStamp` tells when a new city was imported.
 * `sortInMemoryMax`: up to how many matching rows a page is sorted in memory rather than walked.
 */
export function ledgerQueries(db: Database.Database, cityStamp: () => string | null, { sortInMemoryMax = SORT_IN_MEMORY_MAX } = {}) {
  const statements = statementCache(db);
  const stmt = (sql: string) => statements.get(sql);
  const searchRow = db.prepare<[], { stamp: string; upto: number; target: number }>('SELECT stamp, upto, target FROM fts_state WHERE singleton = 1');
  const insertSearch = db.prepare('INSERT INTO problems_search (rowid, t) VALUES (?, ?)');

  const searchState = (): SearchIndexState => {
    const stamp = cityStamp();
    const row = searchRow.get();
    if (stamp === null) return { ready: true, done: 0, total: 0 };
    if (!row || row.stamp !== stamp) return { ready: false, done: 0, total: 0 };
    return { ready: row.upto >= row.target, done: row.upto, total: row.target };
  };
  const requireSearch = (o: { words: string[] }) => {
    if (o.words.length === 0) return;
    const state = searchState();
    if (!state.ready) throw new SearchIndexBuilding(state);
  };

  /**
   * WHERE of `o` (filters and search words). `searchDrives`: SQLite may read the problems by the search's
   * matches (few of them); otherwise the matches are only a membership test (a bloom filter) while
   * another index — a filter's, the sort's — drives.
   */
  const where = (
    o: Pick<LedgerQueryOpts, 'filter' | 'words' | 'nowMs'>,
    params: Record<string, unknown>,
    searchDrives: boolean,
    extra: (string | null)[] = [],
  ) => {
    const f = o.filter;
    const parts = extra.filter((x): x is string => x !== null);
    params.now = o.nowMs;
    if (f.bbox) {
      Object.assign(params, { w: f.bbox[0], s: f.bbox[1], e: f.bbox[2], n: f.bbox[3] });
      parts.push('p.lng BETWEEN @w AND @e AND p.lat BETWEEN @s AND @n');
    }
    parts.push(...problemFilterSql(f, params));
    const match = searchMatch(o.words);
    if (match !== null) {
      params.match = match;
      parts.push(`${searchDrives ? '' : '+'}p.rid IN (SELECT rowid FROM problems_search WHERE problems_search MATCH @match)`);
    }
    return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
  };
  /** True when `filter` narrows anything (`overdue: false` and empty lists do not). */
  const narrows = (filter: ProblemFilter) => Object.values(filter).some((v) => v !== undefined && v !== false && (!Array.isArray(v) || v.length > 0));

  const hitsStmt = db.prepare<[string], number>('SELECT count(*) FROM problems_search WHERE problems_search MATCH ?').pluck();
  /** How a query is read: its search's match count (null without words), and whether those matches drive. */
  const planOf = (o: Pick<LedgerQueryOpts, 'words'>) => {
    requireSearch(o);
    const match = searchMatch(o.words);
    // The index counts its matches without reading a problem (every indexed rowid is a problem): ~10–50 ms at 235,000 of a million.
    const hits = match === null ? null : hitsStmt.get(match)!;
    return { hits, searchDrives: hits !== null && hits <= SEARCH_DRIVES_MAX };
  };
  type Plan = ReturnType<typeof planOf>;

  const count = (o: LedgerQueryOpts, plan: Plan = planOf(o)): number => {
    if (plan.hits !== null && !narrows(o.filter)) return plan.hits;
    const params: Record<string, unknown> = {};
    return (stmt(`SELECT count(*) AS n FROM problems p ${where(o, params, plan.searchDrives)}`).get(params) as { n: number }).n;
  };

  /** The rowids of one arm, `offset`/`limit` into it (limit -1: all): the sort's index drives. */
  const armSql = (o: LedgerQueryOpts, arm: Arm, params: Record<string, unknown>) =>
    `SELECT p.rid FROM ${arm.from} ${where(o, params, false, [arm.cond])} ORDER BY ${arm.order} LIMIT @limit OFFSET @offset`;
  const armCount = (o: LedgerQueryOpts, arm: Arm, plan: Plan): number => {
    const params: Record<string, unknown> = {};
    return (stmt(`SELECT count(*) AS n FROM ${arm.from} ${where(o, params, plan.searchDrives, [arm.cond])}`).get(params) as { n: number }).n;
  };

  /** The ordered rowids of the page `o` asks for, out of `total` matching rows. */
  const pageRids = (o: LedgerQueryOpts, total: number, plan: Plan): number[] => {
    const sort = SORTS[o.sort];
    const d: Dir = o.order === 'asc' ? 'ASC' : 'DESC';
    let offset = o.offset;
    let limit = o.limit ?? -1;
    if (total <= sortInMemoryMax) {
      const params: Record<string, unknown> = { offset, limit };
      const sql = `SELECT p.rid FROM problems p ${sort.joins} ${where(o, params, plan.searchDrives)} ORDER BY ${sort.order(d)} LIMIT @limit OFFSET @offset`;
      return stmt(sql).pluck().all(params) as number[];
    }
    const rids: number[] = [];
    const arms = sort.arms(d);
    for (const [i, arm] of arms.entries()) {
      if (limit === 0) break;
      const params: Record<string, unknown> = { offset, limit };
      const got = stmt(armSql(o, arm, params))
        .pluck()
        .all(params) as number[];
      rids.push(...got);
      if (limit > 0) limit -= got.length;
      // Past this arm's end: the next one starts where the offset is left (counted only when a page starts beyond it).
      if (got.length > 0 || offset === 0) offset = 0;
      else if (i < arms.length - 1) offset = Math.max(0, offset - armCount(o, arm, plan));
    }
    return rids;
  };

  const rowsStmt = db.prepare<{ now: number; rids: string }, LedgerDbRow & { rid: number }>(
    `SELECT ${ROW_COLUMNS} FROM problems p ${ROW_JOINS} WHERE p.rid IN (SELECT value FROM json_each(@rids))`,
  );
  /** The full rows of `rids`, in their order. */
  const rowsOf = (rids: readonly number[], nowMs: number): LedgerDbRow[] => {
    const byRid = new Map<number, LedgerDbRow>();
    for (const { rid, ...row } of rowsStmt.all({ now: nowMs, rids: JSON.stringify(rids) })) byRid.set(rid, row);
    return rids.map((rid) => byRid.get(rid)!);
  };

  /** The problem has a report photo or clip that may be shown in public (`reviewed`: one checked as well). */
  const showable = (reviewed: boolean) => `EXISTS (SELECT 1 FROM problem_media pm LEFT JOIN media_redactions r ON r.hash = pm.hash
      WHERE pm.problem_id = p.id AND pm.role = 'before' AND ${reviewed ? "r.status IN ('blurred', 'clear')" : "(r.status IS NULL OR r.status <> 'excluded')"})`;

  return {
    /**
     * The 暗访片's problems: those matching `filter` with a report photo or clip that may be shown, the
     * earliest first (then by rowid, the import's order), at most `limit`; and how many match at all and
     * how many of them have one.
     */
    reelRows(filter: ProblemFilter, reviewed: boolean, limit: number, nowMs: number): { matched: number; withMedia: number; rows: LedgerDbRow[] } {
      const params: Record<string, unknown> = { now: nowMs, limit };
      const where = problemFilterSql(filter, params);
      const all = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const withMedia = `WHERE ${[...where, showable(reviewed)].join(' AND ')}`;
      const matched = stmt(`SELECT count(*) AS n FROM problems p ${all}`).get(params) as { n: number };
      const shown = stmt(`SELECT count(*) AS n FROM problems p ${withMedia}`).get(params) as { n: number };
      const rows = stmt(`SELECT ${ROW_COLUMNS} FROM problems p ${ROW_JOINS} ${withMedia} ORDER BY p.reported_ms ASC, p.rid ASC LIMIT @limit`).all(
        params,
      ) as (LedgerDbRow & { rid: number })[];
      return { matched: matched.n, withMedia: shown.n, rows: rows.map(({ rid: _rid, ...row }) => row) };
    },

    /** How many problems match. @throws SearchIndexBuilding for search words before the index is complete. */
    ledgerCount: (o: LedgerQueryOpts): number => count(o),

    /** One page of ledger rows and how many match in all. @throws SearchIndexBuilding as ledgerCount. */
    ledgerPage(o: LedgerQueryOpts): { total: number; rows: LedgerDbRow[] } {
      const plan = planOf(o);
      const total = count(o, plan);
      return { total, rows: rowsOf(pageRids(o, total, plan), o.nowMs) };
    },

    /** One page (or all, `limit: null`) of ledger rows. */
    ledgerRows(o: LedgerQueryOpts): LedgerDbRow[] {
      const plan = planOf(o);
      return rowsOf(pageRids(o, count(o, plan), plan), o.nowMs);
    },

    /**
     * The same rows as `ledgerRows` with `limit: null`, one at a time, so an export of any size holds a
     * batch of rows in JavaScript: the rowids come from walking the sort's index (nothing is sorted),
     * and the full rows are made for each batch of them in turn. Leaving the loop early (break, throw,
     * `return()`) closes the cursor.
     *
     * While the iterator is open this connection writes nothing (better-sqlite3: "This database
     * connection is busy executing a query"): iterate over a store of your own (`openStore(file)`, as a
     * worker does), never over the server's while it keeps answering requests.
     */
    *iterateLedgerRows(o: Omit<LedgerQueryOpts, 'offset' | 'limit'>): Generator<LedgerDbRow, void, undefined> {
      const all: LedgerQueryOpts = { ...o, offset: 0, limit: null };
      requireSearch(all);
      const d: Dir = o.order === 'asc' ? 'ASC' : 'DESC';
      const batch: number[] = [];
      // Not from the statement cache: a statement that is iterating cannot run again until it is done,
      // and a page of the same query may come meanwhile. The arms read one snapshot: a read transaction
      // from the first arm's cursor to the last (a problem given a deadline meanwhile is in one arm only).
      const own = !db.inTransaction;
      if (own) db.exec('BEGIN');
      try {
        for (const arm of SORTS[o.sort].arms(d)) {
          const params: Record<string, unknown> = { offset: 0, limit: -1 };
          for (const rid of db
            .prepare<Record<string, unknown>, number>(armSql(all, arm, params))
            .pluck()
            .iterate(params)) {
            batch.push(rid);
            if (batch.length === ROW_BATCH) {
              yield* rowsOf(batch, o.nowMs);
              batch.length = 0;
            }
          }
        }
        yield* rowsOf(batch, o.nowMs);
      } finally {
        if (own && db.inTransaction) db.exec('COMMIT');
      }
    },

    /**
     * For a connection that only exports: a sort bigger than the page cache spills to temporary files
     * instead of memory (openDatabase sets temp_store = MEMORY). Exports walk indexes and sort nothing,
     * but a search's matching rowids are still gathered in a temporary table. Call it before iterating;
     * it applies to this connection only.
     */
    spillLedgerSortsToDisk(): void {
      db.pragma('temp_store = FILE');
    },

    /** How far the search index is. */
    searchIndexState: searchState,

    /**
     * Builds the search index for the imported city, or goes on building it, for about `budgetMs`: in
     * write transactions of SEARCH_BUILD_ROWS problems each, so that the server's own writes (the intake
     * adds each new report to the index itself) wait at most one. Problems reported after the build
     * started are already in it. Returns how far it got; call again until `ready`.
     */
    buildSearchIndex(budgetMs: number): SearchIndexState {
      const stamp = cityStamp();
      if (stamp === null) return searchState();
      const started = performance.now();
      db.transaction(() => {
        if (searchRow.get()?.stamp === stamp) return;
        // Dropping the old city's index frees its pages at once; 'delete-all' rewrote them (4× longer, all
        // of it holding the write lock the server's writes wait for).
        db.exec(`DROP TABLE problems_search; ${SEARCH_TABLE_SQL}`);
        const target = (db.prepare('SELECT max(rid) AS m FROM problems').get() as { m: number | null }).m ?? 0;
        db.prepare(
          `INSERT INTO fts_state (singleton, stamp, upto, target) VALUES (1, ?, 0, ?)
           ON CONFLICT (singleton) DO UPDATE SET stamp = excluded.stamp, upto = 0, target = excluded.target`,
        ).run(stamp, target);
      }).immediate();
      const chunk = db
        .prepare<[number, number, number], [number, string, string | null, string | null]>(
          `SELECT p.rid, p.description, pl.name, pl.address FROM problems p LEFT JOIN places pl ON pl.id = p.place_id
         WHERE p.rid > ? AND p.rid <= ? ORDER BY p.rid LIMIT ?`,
        )
        .raw();
      const advance = db.prepare('UPDATE fts_state SET upto = ? WHERE singleton = 1 AND stamp = ?');
      const step = db.transaction(() => {
        const row = searchRow.get();
        // Another import since (or another builder finished it): stop here.
        if (!row || row.stamp !== stamp || row.upto >= row.target) return false;
        const rows = chunk.all(row.upto, row.target, SEARCH_BUILD_ROWS);
        for (const [rid, description, name, address] of rows) insertSearch.run(rid, searchTokens(description, name, address));
        advance.run(rows.length < SEARCH_BUILD_ROWS ? row.target : rows[rows.length - 1][0], stamp);
        return true;
      });
      // At least one slice, then more until the budget is spent or the index is complete.
      while (step.immediate() && performance.now() - started < budgetMs) {
        // next slice
      }
      return searchState();
    },
  };
}
