/**
 * Migration 13 rebuilds the places table so a place may be of any point type of the catalog: the
 * places of a database made before it keep their rows and rids (so the R*Tree still finds them), and
 * the new kinds go in.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS, SCHEMA_VERSION } from '../../../server/store/migrations';

describe('migration 13: places of every point type', () => {
  it('keeps the places and their R*Tree boxes, and takes a bus stop', () => {
    const db = new Database(':memory:');
    for (let v = 0; v < 12; v++) db.exec(MIGRATIONS[v] as string);
    db.pragma('user_version = 12');
    db.prepare("INSERT INTO places (rid, id, kind, name, geometry) VALUES (7, 'mk01', 'market', '东关农贸市场', '{}')").run();
    db.prepare('INSERT INTO places_rtree VALUES (7, 115.9, 116.0, 36.4, 36.5)').run();
    expect(() => db.prepare("INSERT INTO places (rid, id, kind, name, geometry) VALUES (8, 'pt1', 'bus-stop', '人民路站', '{}')").run()).toThrow(/CHECK/);

    expect(migrate(db, ':memory:')).toEqual({ from: 12, to: SCHEMA_VERSION });
    const found = db.prepare('SELECT p.id, p.kind FROM places_rtree r JOIN places p ON p.rid = r.rid WHERE r.min_x <= 116 AND r.max_x >= 115.95').all();
    expect(found).toEqual([{ id: 'mk01', kind: 'market' }]);
    db.prepare("INSERT INTO places (rid, id, kind, name, geometry) VALUES (8, 'pt1', 'bus-stop', '人民路站', '{}')").run();
    expect(() => db.prepare("INSERT INTO places (rid, id, kind, name, geometry) VALUES (9, 'pt2', 'Bus Stop', 'x', '{}')").run()).toThrow(/CHECK/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'places' AND name = 'places_kind'").get()).toBeTruthy();
  });
});

describe('migration 19: 挂账 and 不予立案', () => {
  it('widens the status check in place: the rows, their rids and the indexes stay, held and rejected go in, nothing else does', () => {
    const db = new Database(':memory:');
    for (let v = 0; v < 18; v++) {
      const step = MIGRATIONS[v];
      if (typeof step === 'string') db.exec(step);
      else step(db);
    }
    db.pragma('user_version = 18');
    const insert = (rid: number, id: string, status: string) =>
      db
        .prepare(
          `INSERT INTO problems (rid, id, category, description, status, reported_at, reported_ms, lng, lat, source, reporter)
           VALUES (?, ?, 'exposed-garbage', '', ?, '2026-03-01T09:00:00+08:00', 0, 115.98, 36.45, 'inspection', '')`,
        )
        .run(rid, id, status);
    insert(5, 'p1', 'assigned');
    expect(() => insert(6, 'p2', 'held')).toThrow(/CHECK/);

    expect(migrate(db, ':memory:')).toEqual({ from: 18, to: SCHEMA_VERSION });
    insert(6, 'p2', 'held');
    insert(7, 'p3', 'rejected');
    expect(() => insert(8, 'p4', 'bogus')).toThrow(/CHECK/);
    expect(db.prepare('SELECT rid, id, status FROM problems ORDER BY rid').all()).toEqual([
      { rid: 5, id: 'p1', status: 'assigned' },
      { rid: 6, id: 'p2', status: 'held' },
      { rid: 7, id: 'p3', status: 'rejected' },
    ]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.prepare("INSERT INTO problem_workflow (problem_id, strikes, review_ms, reject_reason) VALUES ('p3', 0, NULL, 'duplicate')").run();
    // The schema table is guarded again afterwards.
    expect(() => db.prepare("UPDATE sqlite_schema SET sql = sql WHERE name = 'problems'").run()).toThrow();
  });
});
