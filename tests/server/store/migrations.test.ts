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
    for (let v = 0; v < 12; v++) db.exec(MIGRATIONS[v]);
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
