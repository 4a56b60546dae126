/**
 * Property-based fuzzing (fast-check, fixed seed so a failure reproduces) of the query parsers every
 * route validates with: they never throw, and what they accept is in range.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LedgerQuery } from '../../../server/contract/ledger';
import { parseBBox, parseTimeBound } from '../../../server/contract/common';
import { ProblemQuery } from '../../../server/contract/problems';
import { MatrixBody, RouteQuery } from '../../../server/contract/routing';
import { LoginBody } from '../../../server/contract/auth';

const RUNS = { numRuns: 2000, seed: 20261126 };
/** Strings that look like what people (and attackers) type into our parameters. */
const noisy = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.array(fc.oneof(fc.double(), fc.integer(), fc.constantFrom('NaN', 'Infinity', '-0', '1e309', '')), { maxLength: 6 }).map((a) => a.join(',')),
  fc.constantFrom('2026-02-30', '2026-13-01', '0000-00-00', '2026-03-04T25:00:00', '2026-03-04T09:15:00+99:00', "' OR 1=1 --", '../etc/passwd'),
);

describe('query parsers under fuzzing', () => {
  it('parseBBox: never throws; an accepted box is ordered and on the globe', () => {
    fc.assert(
      fc.property(noisy, (text) => {
        const r = parseBBox(text);
        if ('bbox' in r) {
          const [w, s, e, n] = r.bbox;
          expect(w).toBeLessThanOrEqual(e);
          expect(s).toBeLessThanOrEqual(n);
          for (const v of r.bbox) expect(Number.isFinite(v)).toBe(true);
          expect(Math.abs(w) <= 180 && Math.abs(e) <= 180 && Math.abs(s) <= 90 && Math.abs(n) <= 90).toBe(true);
        } else {
          expect(r.error.length).toBeGreaterThan(5);
        }
      }),
      RUNS,
    );
  });

  it('parseBBox: accepts every well-formed box', () => {
    const lng = fc.double({ min: -180, max: 180, noNaN: true });
    const lat = fc.double({ min: -90, max: 90, noNaN: true });
    fc.assert(
      fc.property(lng, lat, lng, lat, (a, b, c, d) => {
        const r = parseBBox([Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)].join(','));
        expect('bbox' in r).toBe(true);
      }),
      RUNS,
    );
  });

  it('parseTimeBound: never throws; a date is accepted exactly when it exists on the calendar', () => {
    fc.assert(
      fc.property(noisy, fc.constantFrom('start' as const, 'end' as const), (text, edge) => {
        const ms = parseTimeBound(text, edge);
        if (ms !== null) expect(Number.isFinite(ms)).toBe(true);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.date({ min: new Date('1971-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), (d) => {
        const text = new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
        const start = parseTimeBound(text, 'start')!;
        const end = parseTimeBound(text, 'end')!;
        expect(end - start).toBe(86_400_000 - 1);
      }),
      RUNS,
    );
  });

  it('route schemas: safeParse never throws on any query object, and accepted limits stay in range', () => {
    const query = fc.dictionary(
      fc.constantFrom('bbox', 'from', 'to', 'category', 'status', 'subdistrict', 'unit', 'limit', 'cursor', 'offset', 'sort', 'q', 'profile', 'maxSnapM'),
      noisy,
    );
    fc.assert(
      fc.property(query, (q) => {
        const p = ProblemQuery.safeParse(q);
        if (p.success && p.data.limit !== undefined) expect(p.data.limit).toBeLessThanOrEqual(50_000);
        LedgerQuery.safeParse(q);
        RouteQuery.safeParse({ from: q.bbox, to: q.cursor, ...q });
      }),
      RUNS,
    );
  });

  it('JSON bodies: safeParse never throws on any JSON value; a matrix has 1–500 points on the globe', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.anything(), (json, anything) => {
        for (const v of [json, anything, { points: json }, { username: json, password: anything }]) {
          const m = MatrixBody.safeParse(v);
          if (m.success) {
            expect(m.data.points.length).toBeGreaterThanOrEqual(1);
            expect(m.data.points.length).toBeLessThanOrEqual(500);
            for (const [x, y] of m.data.points) expect(Math.abs(x) <= 180 && Math.abs(y) <= 90).toBe(true);
          }
          LoginBody.safeParse(v);
        }
      }),
      RUNS,
    );
  });
});
