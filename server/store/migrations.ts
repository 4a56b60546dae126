import type Database from 'better-sqlite3';
import { StoreError } from '../errors';
import type { BBox } from '../contract/geo';
import { insertWholeCityDistrict, WHOLE_CITY_DISTRICT } from './districts';

/**
 * Schema migrations, applied in order. `PRAGMA user_version` holds how many have run; a migration is
 * never edited once released — add a new one instead.
 *
 * Geometry is kept as GeoJSON text, properties as columns. Each spatial table has an R*Tree keyed by the
 * table's integer rowid (`rid`): feature bboxes for layers, the point itself for problems. Times are kept
 * as the ISO text they came in with plus epoch milliseconds (`*_ms`) for sorting and filtering.
 */
export const MIGRATIONS: readonly (string | ((db: Database.Database) => void))[] = [
  /* 1: the city and its layers */ `
  CREATE TABLE city (
    singleton    INTEGER PRIMARY KEY CHECK (singleton = 1),
    name         TEXT NOT NULL,
    name_en      TEXT NOT NULL,
    center       TEXT NOT NULL,  -- JSON [lng, lat]
    bbox         TEXT NOT NULL,  -- JSON [w, s, e, n]
    source       TEXT NOT NULL,
    attribution  TEXT NOT NULL,
    generator    TEXT,           -- JSON or NULL
    created_at   TEXT,
    imported_at  TEXT NOT NULL,
    layers_dir   TEXT NOT NULL,  -- where it was imported from
    stamp        TEXT NOT NULL   -- changes on every import, so caches know when to rebuild
  );

  CREATE TABLE roads (
    rid           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    name          TEXT,
    class         TEXT NOT NULL,
    oneway        INTEGER NOT NULL,
    maxspeed_kmh  REAL,
    bridge        INTEGER NOT NULL,
    tunnel        INTEGER NOT NULL,
    geometry      TEXT NOT NULL
  );
  CREATE VIRTUAL TABLE roads_rtree USING rtree(rid, min_x, max_x, min_y, max_y);

  CREATE TABLE water (
    rid       INTEGER PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE,
    name      TEXT,
    kind      TEXT NOT NULL,
    geometry  TEXT NOT NULL
  );
  CREATE VIRTUAL TABLE water_rtree USING rtree(rid, min_x, max_x, min_y, max_y);

  CREATE TABLE subdistricts (
    rid       INTEGER PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    code      TEXT NOT NULL,
    geometry  TEXT NOT NULL
  );
  CREATE VIRTUAL TABLE subdistricts_rtree USING rtree(rid, min_x, max_x, min_y, max_y);

  CREATE TABLE units (
    rid             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    type            TEXT NOT NULL,
    subdistrict_id  TEXT,
    phone           TEXT,
    geometry        TEXT NOT NULL
  );
  CREATE VIRTUAL TABLE units_rtree USING rtree(rid, min_x, max_x, min_y, max_y);

  -- Markets, communities and back streets: one table, told apart by kind.
  CREATE TABLE places (
    rid             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('market', 'community', 'back-street')),
    name            TEXT NOT NULL,
    subdistrict_id  TEXT,
    unit_id         TEXT,
    address         TEXT,   -- markets
    entrance        TEXT,   -- communities: JSON [lng, lat]
    length_m        REAL,   -- back streets
    geometry        TEXT NOT NULL
  );
  CREATE INDEX places_kind ON places (kind);
  CREATE VIRTUAL TABLE places_rtree USING rtree(rid, min_x, max_x, min_y, max_y);

  CREATE TABLE problems (
    rid             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    lng             REAL NOT NULL,
    lat             REAL NOT NULL,
    category        TEXT NOT NULL,
    description     TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('reported', 'assigned', 'rectified', 'closed')),
    reported_at     TEXT NOT NULL,
    reported_ms     INTEGER NOT NULL,
    assigned_at     TEXT,
    deadline        TEXT,
    deadline_ms     INTEGER,
    rectified_at    TEXT,
    closed_at       TEXT,
    subdistrict_id  TEXT,
    unit_id         TEXT,
    place_id        TEXT,
    recurrence_of   TEXT,
    notice_no       TEXT,
    source          TEXT NOT NULL,
    reporter        TEXT NOT NULL
  );
  -- The list order (newest first) and the keyset cursor walk this index.
  CREATE INDEX problems_order ON problems (reported_ms DESC, id DESC);
  CREATE INDEX problems_category ON problems (category, reported_ms);
  CREATE INDEX problems_status ON problems (status, reported_ms);
  CREATE INDEX problems_subdistrict ON problems (subdistrict_id, reported_ms);
  CREATE INDEX problems_unit ON problems (unit_id, reported_ms);
  CREATE INDEX problems_place ON problems (place_id);
  CREATE VIRTUAL TABLE problems_rtree USING rtree(rid, min_x, max_x, min_y, max_y);
  `,
  /* 2: revision counters for caches (revisions.ts) */ `
  CREATE TABLE revisions (
    name   TEXT PRIMARY KEY,
    value  INTEGER NOT NULL
  );
  `,
  /* 3: OSM access on roads (routing keeps vehicles out of private compounds) */ `
  ALTER TABLE roads ADD COLUMN access TEXT;
  `,
  /* 4: accounts, sessions, API keys, screen tokens, login failures and the audit log (store/auth.ts) */ `
  CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('admin', 'leader', 'inspector', 'unit')),
    unit_id         TEXT,            -- role unit: the responsible unit whose problems it sees
    password_hash   TEXT NOT NULL,
    demo            INTEGER NOT NULL DEFAULT 0,
    disabled        INTEGER NOT NULL DEFAULT 0,
    must_change     INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
  );

  -- The cookie holds a random token; only its SHA-256 is stored, so a copied database opens no session.
  CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         TEXT NOT NULL,
    csrf_token   TEXT NOT NULL,
    created_ms   INTEGER NOT NULL,
    seen_ms      INTEGER NOT NULL,
    expires_ms   INTEGER NOT NULL
  );
  CREATE INDEX sessions_user ON sessions (user_id);

  CREATE TABLE api_keys (
    id          INTEGER PRIMARY KEY,
    key_hash    TEXT NOT NULL UNIQUE,
    prefix      TEXT NOT NULL,       -- the first characters, to tell keys apart in lists
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
  );

  CREATE TABLE screen_tokens (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    prefix      TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
  );

  CREATE TABLE login_failures (
    username  TEXT NOT NULL COLLATE NOCASE,
    ip        TEXT NOT NULL,
    at_ms     INTEGER NOT NULL
  );
  CREATE INDEX login_failures_user ON login_failures (username, at_ms);
  CREATE INDEX login_failures_ip ON login_failures (ip, at_ms);

  CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    user_id   INTEGER,
    username  TEXT,
    role      TEXT,
    method    TEXT NOT NULL,
    path      TEXT NOT NULL,
    status    INTEGER NOT NULL,
    ip        TEXT NOT NULL,
    detail    TEXT
  );
  CREATE INDEX audit_log_at ON audit_log (at);
  -- Append-only: the database itself refuses to change or remove an entry.
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  `,
  /* 5: saved route plans (plans.ts): the whole plan as JSON, listed by date */ `
  CREATE TABLE plans (
    id          TEXT PRIMARY KEY,
    date        TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    body        TEXT NOT NULL
  );
  CREATE INDEX plans_date ON plans (date, updated_at);
  `,
  /* 6: the governed workflow (store/workflow.ts, media.ts, events.ts) */ `
  -- Append-only history of every transition. Imported problems have none until their first change,
  -- when the history their timestamps imply is written first (derived = 1).
  CREATE TABLE problem_history (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    problem_id   TEXT NOT NULL,
    at           TEXT NOT NULL,
    at_ms        INTEGER NOT NULL,
    action       TEXT NOT NULL,   -- report | assign | rectify | pass | fail | merge
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    actor        TEXT NOT NULL,
    note         TEXT NOT NULL,
    unit_id      TEXT,
    deadline     TEXT,
    data         TEXT,            -- JSON extras (merged problem id …) or NULL
    derived      INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX problem_history_problem ON problem_history (problem_id, seq);
  CREATE TRIGGER problem_history_append_only BEFORE UPDATE ON problem_history
  BEGIN SELECT RAISE(ABORT, 'problem_history is append-only: add a row instead of changing one'); END;

  -- The last 整改通知单 number given per prefix and year (head "DC-2026-"), so assigning needs no table scan.
  CREATE TABLE notice_counters (
    head  TEXT PRIMARY KEY,
    last  INTEGER NOT NULL
  );

  -- Workflow state beyond the problems table: strikes earned (escalation) and merges.
  CREATE TABLE problem_workflow (
    problem_id   TEXT PRIMARY KEY,
    strikes      INTEGER NOT NULL DEFAULT 0,
    merged_into  TEXT
  );

  -- Photos by content hash (files under DATA_DIR/media) and which problem step they belong to.
  CREATE TABLE media (
    hash        TEXT PRIMARY KEY,
    mime        TEXT NOT NULL,
    bytes       INTEGER NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    taken_at    TEXT,
    gps_lng     REAL,
    gps_lat     REAL,
    created_at  TEXT NOT NULL
  );
  CREATE TABLE problem_media (
    id           INTEGER PRIMARY KEY,
    problem_id   TEXT NOT NULL,
    hash         TEXT NOT NULL REFERENCES media (hash),
    role         TEXT NOT NULL CHECK (role IN ('before', 'after')),
    history_seq  INTEGER,
    distance_m   REAL,            -- photo GPS ↔ reported location, NULL without GPS
    far          INTEGER NOT NULL DEFAULT 0,
    added_at     TEXT NOT NULL,
    UNIQUE (problem_id, hash, role)
  );
  CREATE INDEX problem_media_problem ON problem_media (problem_id);

  -- First responses of POST /api/problems by Idempotency-Key.
  CREATE TABLE idempotency_keys (
    key          TEXT PRIMARY KEY,
    fingerprint  TEXT NOT NULL,   -- SHA-256 of the request's fields and files: a reused key with another body is refused
    status       INTEGER NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL
  );

  -- Event log of GET /api/events (Last-Event-ID replays from here). Kept across imports so ids only grow.
  CREATE TABLE events (
    seq   INTEGER PRIMARY KEY AUTOINCREMENT,
    type  TEXT NOT NULL,
    at    TEXT NOT NULL,
    data  TEXT NOT NULL
  );

  -- Full-text search of the ledger over description and location (trigram: Chinese has no spaces).
  -- rowid = problems.rid; rebuilt when the city stamp in fts_state differs (after an import).
  CREATE VIRTUAL TABLE problems_fts USING fts5(description, location, content='', contentless_delete=1, tokenize='trigram');
  CREATE TABLE fts_state (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), stamp TEXT NOT NULL);

  -- A new import replaces every problem, so what hangs off the old ones goes with them.
  CREATE TRIGGER workflow_reset_on_import AFTER DELETE ON city
  BEGIN
    DELETE FROM problem_history;
    DELETE FROM problem_workflow;
    DELETE FROM problem_media;
    DELETE FROM idempotency_keys;
    DELETE FROM fts_state;
    DELETE FROM notice_counters;
  END;
  `,
  /* 7: check results from the field page (store/checks.ts), idempotent by the client's UUID */ `
  CREATE TABLE check_results (
    id           TEXT PRIMARY KEY,   -- the client's UUID: a retry finds the stored record
    fingerprint  TEXT NOT NULL,      -- SHA-256 of the canonical body: the same id with another body is refused
    plan_id      TEXT,
    point_id     TEXT NOT NULL,
    at           TEXT NOT NULL,      -- as the phone recorded it
    at_ms        INTEGER NOT NULL,
    lng          REAL,
    lat          REAL,
    items        TEXT NOT NULL,      -- JSON [{ itemId, result, note? }]
    problem_refs TEXT NOT NULL,      -- JSON [problem id or report UUID]
    inspector    TEXT NOT NULL,
    received_at  TEXT NOT NULL
  );
  CREATE INDEX check_results_plan ON check_results (plan_id, at_ms);
  CREATE INDEX check_results_point ON check_results (point_id, at_ms);
  CREATE INDEX check_results_at ON check_results (at_ms);
  -- A new import replaces the points and problems the results name.
  CREATE TRIGGER check_results_reset_on_import AFTER DELETE ON city
  BEGIN
    DELETE FROM check_results;
  END;
  `,
  /* 8: settings the administrator makes (store/settings.ts): one JSON value per key; kept across imports */ `
  CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,  -- JSON
    updated_at  TEXT NOT NULL
  );
  `,
  /* 9: owners — who uploaded which photo (media.ts: a unit attaches its own uploads only) and who made which plan (plans.ts) */ `
  CREATE TABLE media_uploads (
    hash     TEXT NOT NULL REFERENCES media (hash),
    user_id  INTEGER NOT NULL,
    at       TEXT NOT NULL,
    PRIMARY KEY (hash, user_id)
  ) WITHOUT ROWID;
  -- users.id of the author; NULL for a plan made before plans had owners (or by an API client).
  ALTER TABLE plans ADD COLUMN created_by INTEGER;
  `,
  /* 10: the ledger at a million problems (store/ledger.ts): a search index that finds two-character words, indexes every sort walks */ `
  -- The trigram index could not find a two-character word (垃圾): character pairs instead (search-text.ts).
  -- Built in slices by a worker (fts_state: done up to rowid upto of target) and kept up by the intake.
  DROP TABLE problems_fts;
  CREATE VIRTUAL TABLE problems_search USING fts5(t, content='', contentless_delete=1, tokenize='ascii');
  DELETE FROM fts_state;
  ALTER TABLE fts_state ADD COLUMN upto INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE fts_state ADD COLUMN target INTEGER NOT NULL DEFAULT 0;
  -- A ledger page sorted by any column reads its rows in this order instead of sorting them all.
  CREATE INDEX problems_deadline ON problems (deadline_ms, reported_ms);
  CREATE INDEX problems_rectified ON problems (rectified_at, reported_ms);
  CREATE INDEX units_name ON units (name, id);
  CREATE INDEX subdistricts_name ON subdistricts (name, id);
  `,
  /* 11: 模拟测评 (store/assessment-mocks.ts): the draw, its plan and, once finished, its report */ `
  CREATE TABLE assessment_mocks (
    id           TEXT PRIMARY KEY,
    date         TEXT NOT NULL,
    plan_id      TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    body         TEXT NOT NULL,   -- JSON: name, seed, version, teams, quotas, points
    finished_at  TEXT,
    report       TEXT             -- JSON MockReport, kept as scored (the catalog may change later)
  );
  CREATE INDEX assessment_mocks_plan ON assessment_mocks (plan_id);
  -- The points a mock drew are the city's: a new import leaves nothing to walk or to compare with.
  CREATE TRIGGER assessment_mocks_reset_on_import AFTER DELETE ON city
  BEGIN
    DELETE FROM assessment_mocks;
  END;
  `,
  /* 12: assessment catalog versions the administrator imported (store/assessment-catalogs.ts), beside the shipped files; kept across imports */ `
  CREATE TABLE assessment_catalogs (
    version         TEXT PRIMARY KEY,
    effective_from  TEXT NOT NULL UNIQUE,
    body            TEXT NOT NULL,   -- JSON AssessmentCatalog, as validated at import
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL
  );
  `,
  /* 13: places of every point type of the assessment catalog (bus stops, toilets, main road segments …), not only markets, communities and back streets */ `
  -- The kind is a point type id of the catalog (data, not an enum): the table is rebuilt without the
  -- old CHECK, rids kept, so places_rtree (rid, box) stays valid.
  CREATE TABLE places_next (
    rid             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind GLOB '[a-z]*' AND kind NOT GLOB '*[^a-z0-9-]*'),
    name            TEXT NOT NULL,
    subdistrict_id  TEXT,
    unit_id         TEXT,
    address         TEXT,   -- markets, other points
    entrance        TEXT,   -- communities and areas: JSON [lng, lat]
    length_m        REAL,   -- back streets and other lines
    geometry        TEXT NOT NULL
  );
  INSERT INTO places_next SELECT rid, id, kind, name, subdistrict_id, unit_id, address, entrance, length_m, geometry FROM places;
  DROP TABLE places;
  ALTER TABLE places_next RENAME TO places;
  CREATE INDEX places_kind ON places (kind);
  `,
  /* 14: the registry edited in the office: who answers for each point, versions, retiring, history */ `
  ALTER TABLE places ADD COLUMN contact TEXT;
  ALTER TABLE places ADD COLUMN phone TEXT;
  ALTER TABLE places ADD COLUMN leader_id INTEGER;   -- 包抓领导: an account (users.id)
  ALTER TABLE places ADD COLUMN keeper TEXT;         -- 点位长, by name
  ALTER TABLE places ADD COLUMN notes TEXT;
  ALTER TABLE places ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE places ADD COLUMN retired_at TEXT;     -- retired: out of the planner and the map, kept with its problems
  ALTER TABLE places ADD COLUMN retired_reason TEXT;
  -- One row per edit: the editable fields before and after (JSON), so history and undo need nothing else.
  CREATE TABLE place_history (
    id              INTEGER PRIMARY KEY,
    place_id        TEXT NOT NULL,
    version         INTEGER NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('create', 'update', 'retire', 'restore', 'undo', 'import')),
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL,
    before          TEXT,
    after           TEXT NOT NULL,
    UNIQUE (place_id, version)
  );
  `,
  /* 15: a map file merged into the registry is its own history action, so the next merge tells the clerk's edits (sheet imports included) from the map's */ `
  CREATE TABLE place_history_next (
    id              INTEGER PRIMARY KEY,
    place_id        TEXT NOT NULL,
    version         INTEGER NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('create', 'update', 'retire', 'restore', 'undo', 'import', 'merge')),
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL,
    before          TEXT,
    after           TEXT NOT NULL,
    UNIQUE (place_id, version)
  );
  INSERT INTO place_history_next SELECT id, place_id, version, action, at, actor, before, after FROM place_history;
  DROP TABLE place_history;
  ALTER TABLE place_history_next RENAME TO place_history;
  `,
  /* 16: 网格 — the grids of grid management (网格化管理), each with its 网格员, drawn or imported on the registry page */ `
  CREATE TABLE grids (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    member          TEXT,             -- 网格员, by name
    phone           TEXT,
    subdistrict_id  TEXT,             -- the subdistrict its inside point lies in (derived)
    geometry        TEXT NOT NULL,    -- GeoJSON Polygon or MultiPolygon
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL
  );
  -- A new city's grids are not the old city's.
  CREATE TRIGGER grids_reset_on_import AFTER DELETE ON city
  BEGIN
    DELETE FROM grids;
  END;
  `,
  /* 17: photos of a point of the registry (media hashes, JSON array; NULL = none), versioned with its other fields */ `
  ALTER TABLE places ADD COLUMN photos TEXT;
  `,
  /* 18: requests that wait for the 创文办's decision: 延期 (more time), 申诉 (lift a mark), 退单 (not our case) */ `
  CREATE TABLE problem_requests (
    id           INTEGER PRIMARY KEY,
    problem_id   TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('extension', 'appeal', 'return')),
    reason       TEXT NOT NULL,
    until_ms     INTEGER,          -- extension: the deadline asked for
    unit_id      TEXT,             -- the problem's unit when asked
    asked_by     TEXT NOT NULL,
    asked_at     TEXT NOT NULL,
    asked_ms     INTEGER NOT NULL,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'refused', 'lapsed')),
    decided_by   TEXT,
    decided_at   TEXT,
    note         TEXT,             -- the decision's reason, or why it lapsed
    history_seq  INTEGER           -- the history step an approval wrote
  );
  CREATE INDEX problem_requests_open ON problem_requests (status, asked_ms);
  CREATE INDEX problem_requests_problem ON problem_requests (problem_id, id);
  CREATE TRIGGER problem_requests_reset_on_import AFTER DELETE ON city
  BEGIN
    DELETE FROM problem_requests;
  END;
  `,
  /* 19: 挂账 (held, with its review date) and 不予立案 (rejected, with its reason) */ (db) => {
    // The status CHECK only widens: every stored row passes the new one, so the table is not rebuilt
    // (a million rows, their R*Tree and full-text index) but its declaration edited, the way SQLite's
    // ALTER TABLE documentation describes for CHECK constraints. better-sqlite3 guards the schema table
    // (defensive mode); it is let through for this statement only.
    const before = "CHECK (status IN ('reported', 'assigned', 'rectified', 'closed'))";
    const after = "CHECK (status IN ('reported', 'assigned', 'rectified', 'closed', 'held', 'rejected'))";
    const version = db.pragma('schema_version', { simple: true }) as number;
    db.unsafeMode(true);
    try {
      db.pragma('writable_schema = ON');
      const changed = db.prepare("UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'problems'").run(before, after).changes;
      db.pragma(`schema_version = ${version + 1}`);
      db.pragma('writable_schema = OFF');
      if (changed !== 1) throw new Error('migration 19: the problems table has no status CHECK to widen');
    } finally {
      db.unsafeMode(false);
    }
    db.exec(`
      ALTER TABLE problem_workflow ADD COLUMN review_ms INTEGER;   -- held: when the 创文办 reviews it
      ALTER TABLE problem_workflow ADD COLUMN reject_reason TEXT;  -- rejected: not-a-problem | duplicate | outside-campaign
    `);
  },
  /* 20: consequences — 目标考核扣分 per unit (automatic from 督办/约谈, manual), 一票否决, numbered 问责通报 */ `
  CREATE TABLE unit_deductions (
    id           INTEGER PRIMARY KEY,
    unit_id      TEXT NOT NULL,
    year         INTEGER NOT NULL,   -- the 目标考核 year it counts in (a reversal: its entry's)
    kind         TEXT NOT NULL CHECK (kind IN ('supervision', 'summons', 'manual', 'reversal')),
    points       REAL NOT NULL,      -- taken off the unit's score; a reversal gives them back (negative)
    reason       TEXT NOT NULL,
    problem_id   TEXT,               -- the escalated case, or the case a manual entry names
    reverses     INTEGER,            -- reversal: the entry it cancels
    reversed_by  INTEGER,            -- set once, when a reversal cancels this entry
    at           TEXT NOT NULL,
    at_ms        INTEGER NOT NULL,
    actor        TEXT NOT NULL
  );
  CREATE INDEX unit_deductions_unit ON unit_deductions (unit_id, year, id);
  CREATE INDEX unit_deductions_year ON unit_deductions (year, unit_id);
  CREATE INDEX unit_deductions_problem ON unit_deductions (problem_id) WHERE problem_id IS NOT NULL;
  CREATE TABLE unit_vetoes (
    id           INTEGER PRIMARY KEY,
    unit_id      TEXT NOT NULL,
    year         INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    lifted_at    TEXT,
    lifted_by    TEXT,
    lift_reason  TEXT
  );
  CREATE UNIQUE INDEX unit_vetoes_active ON unit_vetoes (unit_id, year) WHERE lifted_at IS NULL;
  CREATE TABLE accountability_notices (
    id           INTEGER PRIMARY KEY,
    no           TEXT NOT NULL UNIQUE,
    year         INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    unit_id      TEXT NOT NULL,
    reason       TEXT NOT NULL,
    issued_at    TEXT NOT NULL,
    issued_by    TEXT NOT NULL,
    facts        TEXT NOT NULL,      -- JSON: what the notice says, as it stood when issued (a reprint is the same)
    UNIQUE (year, seq)
  );
  CREATE INDEX accountability_notices_unit ON accountability_notices (unit_id, year);
  -- How far the sweep for deadlines passing has looked: the time and the problems' rowid.
  CREATE TABLE consequence_sweep (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    swept_ms     INTEGER NOT NULL,
    max_rowid    INTEGER NOT NULL
  );
  -- A new city's units are not the old city's.
  CREATE TRIGGER consequences_reset_on_import AFTER DELETE ON city
  BEGIN
    DELETE FROM unit_deductions;
    DELETE FROM unit_vetoes;
    DELETE FROM accountability_notices;
    DELETE FROM consequence_sweep;
  END;
  `,
  /* 21: each unit's year totals of 目标考核, kept by triggers: the 目标考核 tab reads 700 rows, not every entry */ `
  CREATE TABLE unit_deduction_totals (
    unit_id      TEXT NOT NULL,
    year         INTEGER NOT NULL,
    deducted     REAL NOT NULL,      -- net of reversals
    supervision  INTEGER NOT NULL,   -- entries of each kind standing (not reversed)
    summons      INTEGER NOT NULL,
    manual       INTEGER NOT NULL,
    entries      INTEGER NOT NULL,   -- all entries, reversals too
    PRIMARY KEY (unit_id, year)
  );
  INSERT INTO unit_deduction_totals
    SELECT unit_id, year, sum(points), sum(kind = 'supervision' AND reversed_by IS NULL), sum(kind = 'summons' AND reversed_by IS NULL),
           sum(kind = 'manual' AND reversed_by IS NULL), count(*)
      FROM unit_deductions GROUP BY unit_id, year;
  CREATE TRIGGER unit_deductions_add AFTER INSERT ON unit_deductions
  BEGIN
    INSERT INTO unit_deduction_totals (unit_id, year, deducted, supervision, summons, manual, entries)
      VALUES (NEW.unit_id, NEW.year, NEW.points, NEW.kind = 'supervision', NEW.kind = 'summons', NEW.kind = 'manual', 1)
      ON CONFLICT (unit_id, year) DO UPDATE SET deducted = deducted + excluded.deducted, supervision = supervision + excluded.supervision,
        summons = summons + excluded.summons, manual = manual + excluded.manual, entries = entries + 1;
  END;
  CREATE TRIGGER unit_deductions_reverse AFTER UPDATE OF reversed_by ON unit_deductions
    WHEN OLD.reversed_by IS NULL AND NEW.reversed_by IS NOT NULL
  BEGIN
    UPDATE unit_deduction_totals SET supervision = supervision - (NEW.kind = 'supervision'), summons = summons - (NEW.kind = 'summons'),
        manual = manual - (NEW.kind = 'manual')
      WHERE unit_id = NEW.unit_id AND year = NEW.year;
  END;
  -- A unit's ledger is read newest first, a page at a time; the year's totals come from the table above.
  DROP INDEX unit_deductions_unit;
  DROP INDEX unit_deductions_year;
  CREATE INDEX unit_deductions_unit_time ON unit_deductions (unit_id, year, at_ms, id);
  CREATE TRIGGER unit_deduction_totals_reset_on_import AFTER DELETE ON city
  BEGIN
    DELETE FROM unit_deduction_totals;
  END;
  `,
  /* 22: districts (区/县) above the subdistricts; a city imported before them is one district */ migrateDistricts,
  /* 23: walked tracks (实走轨迹): each GPS fix a team's phone sent while walking a plan, raw, by its phone UUID */ `
  CREATE TABLE track_points (
    id           TEXT PRIMARY KEY,      -- the phone's UUID of the fix: a resent batch stores nothing twice
    plan_id      TEXT NOT NULL,
    team         INTEGER NOT NULL,      -- the team's index in the plan
    user_id      INTEGER NOT NULL,      -- who walked (a track is personal data: deleted with its account on request)
    at_ms        INTEGER NOT NULL,      -- the phone's time of the fix
    lng          REAL NOT NULL,
    lat          REAL NOT NULL,
    accuracy_m   REAL NOT NULL,
    received_ms  INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX track_points_plan ON track_points (plan_id, team, user_id, at_ms);
  CREATE INDEX track_points_user ON track_points (user_id);
  CREATE INDEX track_points_time ON track_points (at_ms);
  `,
  /* 24: video evidence (视频证据): a medium is a photo or a short clip; a clip has a length and a poster frame (its screen/thumb files) */ `
  ALTER TABLE media ADD COLUMN kind TEXT NOT NULL DEFAULT 'photo' CHECK (kind IN ('photo', 'video'));
  ALTER TABLE media ADD COLUMN duration_ms INTEGER;   -- clips only: the container's length
  ALTER TABLE media ADD COLUMN poster TEXT CHECK (poster IN ('ffmpeg', 'browser', 'generated'));   -- clips only: who made the poster frame
  `,
  /* 25: 曝光前打码: a photo checked before it is shown in public; a blurred one has a copy with the faces and plates covered */ `
  CREATE TABLE media_redactions (
    hash          TEXT PRIMARY KEY REFERENCES media (hash),   -- the original, kept untouched for the record
    status        TEXT NOT NULL CHECK (status IN ('blurred', 'clear', 'excluded')),
    regions       TEXT NOT NULL,          -- JSON [{x, y, w, h}], shares of the upright picture
    blurred_hash  TEXT REFERENCES media (hash),   -- blurred: the copy shown in public (a media row of its own)
    user_id       INTEGER,                -- who checked it (NULL: an API key or a deleted account)
    by_name       TEXT NOT NULL,
    at            TEXT NOT NULL,
    CHECK ((status = 'blurred') = (blurred_hash IS NOT NULL))
  ) WITHOUT ROWID;
  `,
];

/**
 * A district is derived, not typed in: each subdistrict and unit stores the district holding it (set at
 * import from the geometry), places and problems reach theirs through their subdistrict, so a redrawn
 * district moves them all with one import. A city stored before districts existed becomes one district
 * over its whole extent, named after the city: every count and every answer stays as it was.
 */
function migrateDistricts(db: Database.Database): void {
  db.exec(`
    CREATE TABLE districts (
      rid       INTEGER PRIMARY KEY,
      id        TEXT NOT NULL UNIQUE,
      name      TEXT NOT NULL,
      code      TEXT NOT NULL,
      kind      TEXT NOT NULL,           -- district 区, county 县/县级市, zone 开发区
      geometry  TEXT NOT NULL
    );
    CREATE VIRTUAL TABLE districts_rtree USING rtree(rid, min_x, max_x, min_y, max_y);
    ALTER TABLE subdistricts ADD COLUMN district_id TEXT;
    ALTER TABLE units ADD COLUMN district_id TEXT;
    CREATE INDEX subdistricts_district ON subdistricts (district_id, id);
    -- A district office's leader or inspector: sees and plans its district only (NULL: the whole city).
    ALTER TABLE users ADD COLUMN district_id TEXT;
  `);
  const city = db.prepare<[], { name: string; bbox: string }>('SELECT name, bbox FROM city').get();
  if (!city) return;
  insertWholeCityDistrict(db, city.name, JSON.parse(city.bbox) as BBox);
  db.prepare('UPDATE subdistricts SET district_id = ?').run(WHOLE_CITY_DISTRICT);
  db.prepare('UPDATE units SET district_id = ?').run(WHOLE_CITY_DISTRICT);
}

/** Latest schema version this code knows. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database up to `SCHEMA_VERSION`, each migration in its own transaction. Refuses a database
 * written by a newer Xuncha rather than guessing at its schema.
 */
export function migrate(db: Database.Database, file: string): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > SCHEMA_VERSION) {
    throw new StoreError(
      `${file} has schema version ${from}, but this Xuncha knows only up to ${SCHEMA_VERSION}. ` +
        'Update Xuncha (git pull && npm install), or point DATA_DIR at another folder.',
    );
  }
  for (let v = from; v < SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    db.transaction(() => {
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return { from, to: SCHEMA_VERSION };
}
