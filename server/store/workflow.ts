import type Database from 'better-sqlite3';
import { statementCache } from './statement-cache';
import type { BBox } from '../contract/geo';
import type { ProblemFilter, ProblemProps, ProblemStatus } from '../contract/problems';
import type { HistoryAction, LedgerSort } from '../contract/workflow';
import type { NearbyProblem } from '../workflow/nearby';
import type { WorkflowState } from '../workflow/state-machine';
import { OVERDUE_SQL, problemFilterSql } from './problems';
import { bumpRevision } from './revisions';

/** A problem row with its workflow extras. `strikes` is null while the problem has no workflow row. */
export interface WorkflowRow {
  rid: number;
  lng: number;
  lat: number;
  props: ProblemProps;
  strikes: number | null;
  mergedInto: string | null;
  hasHistory: boolean;
}

/** A history row as stored. */
export interface StoredHistoryRow {
  seq: number;
  problemId: string;
  at: string;
  atMs: number;
  action: HistoryAction;
  from: ProblemStatus | null;
  to: ProblemStatus;
  actor: string;
  note: string;
  unitId: string | null;
  deadline: string | null;
  data: Record<string, unknown> | null;
  derived: boolean;
}

export type NewHistoryRow = Omit<StoredHistoryRow, 'seq'>;

/** A new problem as intake writes it. */
export interface ProblemInsert {
  lng: number;
  lat: number;
  props: ProblemProps;
  /** Text the ledger's full-text search finds it by besides the description (place name, address). */
  location: string;
}

/** A place near a point, for linking a new report. */
export interface PlaceCandidate {
  id: string;
  kind: 'market' | 'community' | 'back-street';
  name: string;
  address: string | null;
  subdistrictId: string | null;
  unitId: string | null;
  geometry: string;
}

const PROBLEM_COLUMNS = `p.rid, p.id, p.lng, p.lat, p.category, p.description, p.status, p.reported_at, p.assigned_at, p.deadline,
  p.rectified_at, p.closed_at, p.subdistrict_id, p.unit_id, p.place_id, p.recurrence_of, p.notice_no, p.source, p.reporter`;

type ProblemRow = {
  rid: number;
  id: string;
  lng: number;
  lat: number;
  category: string;
  description: string;
  status: ProblemStatus;
  reported_at: string;
  assigned_at: string | null;
  deadline: string | null;
  rectified_at: string | null;
  closed_at: string | null;
  subdistrict_id: string | null;
  unit_id: string | null;
  place_id: string | null;
  recurrence_of: string | null;
  notice_no: string | null;
  source: ProblemProps['source'];
  reporter: string;
};

function toProps(r: ProblemRow): ProblemProps {
  return {
    id: r.id,
    category: r.category,
    description: r.description,
    status: r.status,
    reportedAt: r.reported_at,
    assignedAt: r.assigned_at,
    deadline: r.deadline,
    rectifiedAt: r.rectified_at,
    closedAt: r.closed_at,
    subdistrictId: r.subdistrict_id,
    unitId: r.unit_id,
    placeId: r.place_id,
    recurrenceOf: r.recurrence_of,
    noticeNo: r.notice_no,
    source: r.source,
    reporter: r.reporter,
  };
}

/** Reads and writes of the workflow: problem state, history, intake lookups. The writes run inside `transaction`. */
export function workflowQueries(db: Database.Database, cityStamp: () => string | null) {
  const rowStmt = db.prepare<[string], ProblemRow & { strikes: number | null; merged_into: string | null; has_history: number }>(`
    SELECT ${PROBLEM_COLUMNS}, w.strikes, w.merged_into,
      EXISTS (SELECT 1 FROM problem_history h WHERE h.problem_id = p.id) AS has_history
    FROM problems p LEFT JOIN problem_workflow w ON w.problem_id = p.id WHERE p.id = ?`);
  const historyStmt = db.prepare<[string], Record<string, unknown>>('SELECT * FROM problem_history WHERE problem_id = ? ORDER BY seq');
  const insertHistory = db.prepare(`INSERT INTO problem_history
    (problem_id, at, at_ms, action, from_status, to_status, actor, note, unit_id, deadline, data, derived)
    VALUES (@problemId, @at, @atMs, @action, @from, @to, @actor, @note, @unitId, @deadline, @data, @derived)`);
  const updateProblem = db.prepare(`UPDATE problems SET status = @status, unit_id = @unitId, assigned_at = @assignedAt,
    deadline = @deadline, deadline_ms = @deadlineMs, rectified_at = @rectifiedAt, closed_at = @closedAt, notice_no = @noticeNo
    WHERE id = @id`);
  const upsertWorkflow = db.prepare(`INSERT INTO problem_workflow (problem_id, strikes, merged_into) VALUES (@id, @strikes, @mergedInto)
    ON CONFLICT (problem_id) DO UPDATE SET strikes = excluded.strikes, merged_into = coalesce(excluded.merged_into, merged_into)`);
  const noticePrefixStmt = db.prepare<[], { notice_no: string }>(
    'SELECT notice_no FROM problems WHERE notice_no IS NOT NULL ORDER BY assigned_at DESC LIMIT 1',
  );
  const noticeScanStmt = db.prepare<{ head: string }, { n: number | null }>(
    "SELECT max(CAST(substr(notice_no, length(@head) + 1) AS INTEGER)) AS n FROM problems WHERE notice_no LIKE @head || '%'",
  );
  const counterGet = db.prepare<[string], { last: number }>('SELECT last FROM notice_counters WHERE head = ?');
  const counterPut = db.prepare('INSERT INTO notice_counters (head, last) VALUES (?, ?) ON CONFLICT (head) DO UPDATE SET last = excluded.last');
  // The notice prefix of the imported city (`DC`, `JK` …): read once per import.
  let noticePrefix: { stamp: string | null; prefix: string } | null = null;
  const maxIdStmt = db.prepare<[], { n: number | null; w: number | null }>(
    "SELECT max(CAST(substr(id, 2) AS INTEGER)) AS n, max(length(id)) - 1 AS w FROM problems WHERE id GLOB 'p[0-9]*'",
  );
  const insertProblem = db.prepare(`INSERT INTO problems (id, lng, lat, category, description, status, reported_at, reported_ms,
    assigned_at, deadline, deadline_ms, rectified_at, closed_at, subdistrict_id, unit_id, place_id, recurrence_of, notice_no, source, reporter)
    VALUES (@id, @lng, @lat, @category, @description, @status, @reportedAt, @reportedMs, @assignedAt, @deadline, @deadlineMs,
    @rectifiedAt, @closedAt, @subdistrictId, @unitId, @placeId, @recurrenceOf, @noticeNo, @source, @reporter)`);
  const insertRtree = db.prepare('INSERT INTO problems_rtree (rid, min_x, max_x, min_y, max_y) VALUES (?, ?, ?, ?, ?)');
  const insertFts = db.prepare('INSERT INTO problems_fts (rowid, description, location) VALUES (?, ?, ?)');
  const nearbyStmt = db.prepare<
    Record<string, number>,
    { id: string; category: string; status: ProblemStatus; lng: number; lat: number; closed_at: string | null }
  >(`
    SELECT p.id, p.category, p.status, p.lng, p.lat, p.closed_at FROM problems_rtree r CROSS JOIN problems p ON p.rid = r.rid
    WHERE r.min_x <= @e AND r.max_x >= @w AND r.min_y <= @n AND r.max_y >= @s`);
  const subdistrictStmt = db.prepare<Record<string, number>, { id: string; geometry: string }>(`
    SELECT t.id, t.geometry FROM subdistricts_rtree r CROSS JOIN subdistricts t ON t.rid = r.rid
    WHERE r.min_x <= @x AND r.max_x >= @x AND r.min_y <= @y AND r.max_y >= @y ORDER BY t.rid`);
  const placesStmt = db.prepare<
    Record<string, number>,
    { id: string; kind: PlaceCandidate['kind']; name: string; address: string | null; subdistrict_id: string | null; unit_id: string | null; geometry: string }
  >(`
    SELECT t.id, t.kind, t.name, t.address, t.subdistrict_id, t.unit_id, t.geometry FROM places_rtree r CROSS JOIN places t ON t.rid = r.rid
    WHERE r.min_x <= @e AND r.max_x >= @w AND r.min_y <= @n AND r.max_y >= @s ORDER BY t.rid`);
  const unitsOfStmt = db.prepare<[string], { id: string; type: string }>('SELECT id, type FROM units WHERE subdistrict_id = ? ORDER BY id');
  const unitStmt = db.prepare<[string], { id: string }>('SELECT id FROM units WHERE id = ?');
  const lookBacksStmt = db.prepare<
    [],
    { id: string; lng: number; lat: number; category: string; place_id: string | null; unit_id: string | null; rectified_at: string }
  >("SELECT id, lng, lat, category, place_id, unit_id, rectified_at FROM problems WHERE status = 'rectified' ORDER BY rectified_at, id");
  const idemGet = db.prepare<[string], { status: number; body: string; fingerprint: string }>(
    'SELECT status, body, fingerprint FROM idempotency_keys WHERE key = ?',
  );
  const idemPut = db.prepare('INSERT INTO idempotency_keys (key, fingerprint, status, body, created_at) VALUES (?, ?, ?, ?, ?)');

  return {
    /** Runs `fn` in one write transaction (BEGIN IMMEDIATE): reads inside see a state no one else changes. */
    transaction<T>(fn: () => T): T {
      return db.transaction(fn).immediate();
    },

    /** One problem with its workflow extras, or null. */
    workflowRow(id: string): WorkflowRow | null {
      const r = rowStmt.get(id);
      if (!r) return null;
      return { rid: r.rid, lng: r.lng, lat: r.lat, props: toProps(r), strikes: r.strikes, mergedInto: r.merged_into, hasHistory: r.has_history === 1 };
    },

    /** A problem's stored history, oldest first (empty for an imported problem never changed here). */
    storedHistory(id: string): StoredHistoryRow[] {
      return historyStmt.all(id).map((r) => ({
        seq: r.seq as number,
        problemId: r.problem_id as string,
        at: r.at as string,
        atMs: r.at_ms as number,
        action: r.action as HistoryAction,
        from: r.from_status as ProblemStatus | null,
        to: r.to_status as ProblemStatus,
        actor: r.actor as string,
        note: r.note as string,
        unitId: r.unit_id as string | null,
        deadline: r.deadline as string | null,
        data: r.data === null ? null : (JSON.parse(r.data as string) as Record<string, unknown>),
        derived: r.derived === 1,
      }));
    },

    /** Appends one history row; returns its seq. Call inside `transaction`. */
    appendHistory(row: NewHistoryRow): number {
      const info = insertHistory.run({ ...row, data: row.data === null ? null : JSON.stringify(row.data), derived: row.derived ? 1 : 0 });
      return Number(info.lastInsertRowid);
    },

    /**
     * Writes a problem's new workflow state (problems row, strikes, merge) and bumps the problems
     * revision. Call inside `transaction`.
     */
    writeWorkflowState(id: string, s: WorkflowState, iso: (ms: number | null) => string | null, mergedInto: string | null = null): void {
      updateProblem.run({
        id,
        status: s.status,
        unitId: s.unitId,
        assignedAt: iso(s.assignedMs),
        deadline: iso(s.deadlineMs),
        deadlineMs: s.deadlineMs,
        rectifiedAt: iso(s.rectifiedMs),
        closedAt: iso(s.closedMs),
        noticeNo: s.noticeNo,
      });
      upsertWorkflow.run({ id, strikes: s.strikes, mergedInto });
      bumpRevision(db, 'problems', id);
    },

    /**
     * The next 整改通知单 number of `year`: the prefix of the latest notice in the store (`DC`, `JK` …;
     * `ZG` when there is none) and one more than the highest number of that prefix and year. Call inside
     * the transaction that assigns (the counter it moves rolls back with it).
     */
    nextNoticeNo(year: number): string {
      const stamp = cityStamp();
      if (!noticePrefix || noticePrefix.stamp !== stamp) {
        const latest = noticePrefixStmt.get()?.notice_no;
        noticePrefix = { stamp, prefix: latest && /^[A-Z]+-\d{4}-\d+$/.test(latest) ? latest.split('-')[0] : 'ZG' };
      }
      const head = `${noticePrefix.prefix}-${year}-`;
      // The first number of a prefix and year after an import scans the table once; later ones use the counter.
      const last = counterGet.get(head)?.last ?? noticeScanStmt.get({ head })?.n ?? 0;
      counterPut.run(head, last + 1);
      return `${head}${String(last + 1).padStart(6, '0')}`;
    },

    /** The next problem id: `p` and one more than the highest number, as wide as the existing ids (at least 6). */
    nextProblemId(): string {
      const r = maxIdStmt.get();
      const n = (r?.n ?? 0) + 1;
      return `p${String(n).padStart(Math.max(6, r?.w ?? 0), '0')}`;
    },

    /** Inserts a new problem (row, R*Tree, full-text) and bumps the revision. Call inside `transaction`. */
    insertProblem(p: ProblemInsert): number {
      const q = p.props;
      const info = insertProblem.run({
        ...q,
        lng: p.lng,
        lat: p.lat,
        reportedMs: Date.parse(q.reportedAt),
        deadlineMs: q.deadline === null ? null : Date.parse(q.deadline),
      });
      const rid = Number(info.lastInsertRowid);
      insertRtree.run(rid, p.lng, p.lng, p.lat, p.lat);
      insertFts.run(rid, q.description, p.location);
      bumpRevision(db, 'problems', q.id);
      return rid;
    },

    /** Problems inside `bbox` (R*Tree), with what duplicate and recurrence checks need. */
    problemsNear(bbox: BBox): NearbyProblem[] {
      return nearbyStmt.all({ w: bbox[0], s: bbox[1], e: bbox[2], n: bbox[3] }).map((r) => ({
        id: r.id,
        category: r.category,
        status: r.status,
        lng: r.lng,
        lat: r.lat,
        closedMs: r.closed_at === null ? null : Date.parse(r.closed_at),
      }));
    },

    /** Subdistricts whose bbox holds the point (R*Tree); the caller tests the polygons. */
    subdistrictCandidates(lng: number, lat: number): { id: string; geometry: string }[] {
      return subdistrictStmt.all({ x: lng, y: lat });
    },

    /** Markets, communities and back streets whose bbox meets `bbox`. */
    placeCandidates(bbox: BBox): PlaceCandidate[] {
      return placesStmt.all({ w: bbox[0], s: bbox[1], e: bbox[2], n: bbox[3] }).map((r) => ({
        id: r.id,
        kind: r.kind,
        name: r.name,
        address: r.address,
        subdistrictId: r.subdistrict_id,
        unitId: r.unit_id,
        geometry: r.geometry,
      }));
    },

    /** Units of one subdistrict (office, squad, …). */
    unitsOfSubdistrict(subdistrictId: string): { id: string; type: string }[] {
      return unitsOfStmt.all(subdistrictId);
    },

    /** Rectified problems waiting for their look-back, longest waiting first. */
    lookBacksDue(): { id: string; lngLat: [number, number]; category: string; placeId: string | null; unitId: string | null; rectifiedAt: string }[] {
      return lookBacksStmt
        .all()
        .map((r) => ({ id: r.id, lngLat: [r.lng, r.lat], category: r.category, placeId: r.place_id, unitId: r.unit_id, rectifiedAt: r.rectified_at }));
    },

    /** The first response stored under an Idempotency-Key, or null. */
    idempotentResponse(key: string): { status: number; body: string; fingerprint: string } | null {
      return idemGet.get(key) ?? null;
    },

    /** Stores the response of a key's first request; call inside the transaction that made it. */
    putIdempotentResponse(key: string, fingerprint: string, status: number, body: string, at: string): void {
      idemPut.run(key, fingerprint, status, body, at);
    },

    /** True when a unit with this id exists. */
    unitExists(id: string): boolean {
      return unitStmt.get(id) !== undefined;
    },
  };
}

/** A ledger row as the store reads it (names resolved, look-back result derived). */
export interface LedgerDbRow {
  id: string;
  category: string;
  description: string;
  lng: number;
  lat: number;
  placeName: string | null;
  placeAddress: string | null;
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

const SORT_SQL: Record<LedgerSort, string> = {
  reportedAt: 'p.reported_ms',
  deadline: 'p.deadline_ms',
  rectifiedAt: 'p.rectified_at',
  status: 'p.status',
  category: 'p.category',
  subdistrict: 'sd.name',
  unit: 'u.name',
  id: 'p.id',
};
/** Sorts over a column that is never NULL. */
const NOT_NULL_SORTS = new Set<LedgerSort>(['reportedAt', 'status', 'category', 'id']);
/** A ledger row as the page and the export read it (`p`: problems; joins below). */
const ROW_COLUMNS = `p.id, p.category, p.description, p.lng, p.lat, pl.name AS placeName, pl.address AS placeAddress,
          sd.name AS subdistrictName, u.name AS unitName, p.reported_at AS reportedAt, p.deadline, p.status,
          ${OVERDUE_SQL} AS overdue, p.rectified_at AS rectifiedAt,
          (SELECT h.action FROM problem_history h WHERE h.problem_id = p.id AND h.action IN ('pass', 'fail') ORDER BY h.seq DESC LIMIT 1) AS lastCheck,
          p.recurrence_of AS recurrenceOf, p.notice_no AS noticeNo`;
const ROW_JOINS = `LEFT JOIN places pl ON pl.id = p.place_id LEFT JOIN subdistricts sd ON sd.id = p.subdistrict_id
        LEFT JOIN units u ON u.id = p.unit_id`;
/** Rows an export makes at a time from the ordered rowids. */
const LEDGER_ITERATE_BATCH = 500;
/** Trigram search needs three characters; shorter words are matched with LIKE. */
const FTS_MIN_CHARS = 3;

/** The ledger over the problems table: filters like GET /api/problems, full-text search, any sort. */
export function ledgerQueries(db: Database.Database, cityStamp: () => string | null) {
  const ftsStamp = db.prepare<[], { stamp: string }>('SELECT stamp FROM fts_state WHERE singleton = 1');
  const rebuild = db.transaction((stamp: string) => {
    db.exec('DELETE FROM problems_fts');
    db.exec(`INSERT INTO problems_fts (rowid, description, location)
      SELECT p.rid, p.description, coalesce(pl.name, '') || ' ' || coalesce(pl.address, '')
      FROM problems p LEFT JOIN places pl ON pl.id = p.place_id`);
    db.prepare('INSERT INTO fts_state (singleton, stamp) VALUES (1, ?) ON CONFLICT (singleton) DO UPDATE SET stamp = excluded.stamp').run(stamp);
  });

  /** Builds the search index once per imported city (intake adds new problems to it as they come). */
  const ensureFts = () => {
    const stamp = cityStamp();
    if (stamp !== null && ftsStamp.get()?.stamp !== stamp) rebuild.immediate(stamp);
  };

  const where = (o: LedgerQueryOpts, params: Record<string, unknown>): string => {
    const f = o.filter;
    const parts: string[] = [];
    params.now = o.nowMs;
    if (f.bbox) {
      Object.assign(params, { w: f.bbox[0], s: f.bbox[1], e: f.bbox[2], n: f.bbox[3] });
      parts.push('p.lng BETWEEN @w AND @e AND p.lat BETWEEN @s AND @n');
    }
    parts.push(...problemFilterSql(f, params));
    o.words.forEach((word, i) => {
      if ([...word].length >= FTS_MIN_CHARS) {
        params[`q${i}`] = `"${word.replace(/"/g, '""')}"`;
        parts.push(`p.rid IN (SELECT rowid FROM problems_fts WHERE problems_fts MATCH @q${i})`);
      } else {
        params[`q${i}`] = `%${word.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
        parts.push(`(p.description LIKE @q${i} ESCAPE '\\' OR pl.name LIKE @q${i} ESCAPE '\\' OR pl.address LIKE @q${i} ESCAPE '\\')`);
      }
    });
    return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
  };

  // Joins only where a condition or the sort needs them: the page is picked over rowids first, and the
  // full row (names, look-back result) is made for the page's rows only.
  const joinsFor = (o: LedgerQueryOpts, forSort: boolean) => {
    const short = o.words.some((w) => [...w].length < FTS_MIN_CHARS);
    return [
      short ? 'LEFT JOIN places pl ON pl.id = p.place_id' : '',
      forSort && o.sort === 'subdistrict' ? 'LEFT JOIN subdistricts sd ON sd.id = p.subdistrict_id' : '',
      forSort && o.sort === 'unit' ? 'LEFT JOIN units u ON u.id = p.unit_id' : '',
    ].join(' ');
  };
  /** The ORDER BY of `o`: its sort, then id, NULLs (no deadline yet …) last either way. */
  const orderSql = (o: LedgerQueryOpts): string => {
    const dir = o.order === 'asc' ? 'ASC' : 'DESC';
    const key = SORT_SQL[o.sort];
    // A column that is never NULL needs no NULLs-last term, and without it the default order
    // (reported_ms, id) is the index problems_order: rows come in order with nothing sorted.
    return `${NOT_NULL_SORTS.has(o.sort) ? '' : `${key} IS NULL, `}${key} ${dir}, p.id ${dir}`;
  };
  /** The rows of the ledger (a page, or all with `limit: null`), sorted by `sort` then id; fills `params`. */
  const rowsSql = (o: LedgerQueryOpts, params: Record<string, unknown>): string => {
    params.offset = o.offset;
    params.limit = o.limit ?? -1;
    const order = orderSql(o);
    return `SELECT ${ROW_COLUMNS}
        FROM (SELECT p.rid FROM problems p ${joinsFor(o, true)} ${where(o, params)} ORDER BY ${order} LIMIT @limit OFFSET @offset) AS page
        CROSS JOIN problems p ON p.rid = page.rid ${ROW_JOINS}
        ORDER BY ${order}`;
  };
  const statements = statementCache(db);
  const stmt = (sql: string) => statements.get(sql);

  return {
    /** How many problems match. */
    ledgerCount(o: LedgerQueryOpts): number {
      if (o.words.length) ensureFts();
      const params: Record<string, unknown> = {};
      const sql = `SELECT count(*) AS n FROM problems p ${joinsFor(o, false)} ${where(o, params)}`;
      return (stmt(sql).get(params) as { n: number }).n;
    },

    /** One page (or all, `limit: null`) of ledger rows, sorted by `sort` then id. */
    ledgerRows(o: LedgerQueryOpts): LedgerDbRow[] {
      if (o.words.length) ensureFts();
      const params: Record<string, unknown> = {};
      return stmt(rowsSql(o, params)).all(params) as LedgerDbRow[];
    },

    /**
     * The same rows as `ledgerRows` with `limit: null`, one at a time, so an export of any size holds a
     * batch of rows in JavaScript: SQLite orders the matching rowids alone (for the default order it
     * walks an index and sorts nothing), and the full rows are made for each batch of them in turn.
     * Leaving the loop early (break, throw, `return()`) closes the cursor.
     *
     * While the iterator is open this connection writes nothing (better-sqlite3: "This database
     * connection is busy executing a query"): iterate over a store of your own (`openStore(file)`, as a
     * worker does), never over the server's while it keeps answering requests.
     */
    *iterateLedgerRows(o: Omit<LedgerQueryOpts, 'offset' | 'limit'>): Generator<LedgerDbRow, void, undefined> {
      const all = { ...o, offset: 0, limit: null };
      if (all.words.length) ensureFts();
      const params: Record<string, unknown> = {};
      // Not from the statement cache: a statement that is iterating cannot run again until it is done,
      // and a page of the same query may come meanwhile. Both read one snapshot: the open cursor keeps
      // the connection's read transaction.
      const rids = db
        .prepare<Record<string, unknown>, number>(`SELECT p.rid FROM problems p ${joinsFor(all, true)} ${where(all, params)} ORDER BY ${orderSql(all)}`)
        .pluck()
        .iterate(params);
      const rows = db.prepare<{ now: number; rids: string }, LedgerDbRow & { rid: number }>(
        `SELECT p.rid AS rid, ${ROW_COLUMNS} FROM problems p ${ROW_JOINS} WHERE p.rid IN (SELECT value FROM json_each(@rids))`,
      );
      const batch: number[] = [];
      const byRid = new Map<number, LedgerDbRow>();
      function* flush(): Generator<LedgerDbRow, void, undefined> {
        for (const { rid, ...row } of rows.all({ now: all.nowMs, rids: JSON.stringify(batch) })) byRid.set(rid, row);
        for (const rid of batch) yield byRid.get(rid)!;
        batch.length = 0;
        byRid.clear();
      }
      for (const rid of rids) {
        batch.push(rid);
        if (batch.length === LEDGER_ITERATE_BATCH) yield* flush();
      }
      yield* flush();
    },

    /**
     * For a connection that only exports: a sort bigger than the page cache spills to temporary files
     * instead of memory (openDatabase sets temp_store = MEMORY), so a sorted export of any size holds a
     * bounded amount of memory. At 1,000,000 rows sorted by unit: about 60 MB instead of 130 MB, and
     * the first row sooner. Call it before iterating; it applies to this connection only.
     */
    spillLedgerSortsToDisk(): void {
      db.pragma('temp_store = FILE');
    },

    /** Builds the full-text index now if the city changed (otherwise the first search does). */
    warmLedgerSearch(): void {
      ensureFts();
    },
  };
}
