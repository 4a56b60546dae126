import { describe, expect, it } from 'vitest';
import {
  POINTS_BIN_BYTES_PER_POINT,
  POINTS_BIN_FIXED_HEADER,
  POINTS_BIN_HEADER as H,
  POINTS_BIN_MAGIC,
  POINTS_BIN_STATUSES,
  POINTS_BIN_VERSION,
  pointsColumns,
  pointsHeaderBytes,
  type PointsDictionary,
} from '../../../server/contract/points-bin';
import { createPointsFeed } from '../../../server/services/hotspots/points-bin';
import { applyPointsDelta, decodePoints, decodePointsDelta, type ProblemPoints } from '../../../client/src/map/deck/points-bin';

/** One problem's row as points.bin holds it. */
interface Row {
  lng: number;
  lat: number;
  day: number;
  category: number;
  subdistrict: number;
  unit: number;
  lateDays: number;
  status: number;
  recurrence: number;
}
type Dict = Pick<PointsDictionary, 'categories' | 'subdistricts' | 'units'> & { baseDate?: string; nowDate?: string };

/** A points.bin body, written the way the contract lays it out (the server's encoder reads an index instead). */
function pointsBin(rows: readonly Row[], dict: Dict, baseDay = 20_000): Uint8Array {
  const dictionary = new TextEncoder().encode(
    JSON.stringify({ baseDate: dict.baseDate ?? '2024-10-04', nowDate: dict.nowDate ?? '2026-03-20', ...dict, statuses: POINTS_BIN_STATUSES }),
  );
  const headerBytes = pointsHeaderBytes(dictionary.length);
  const bytes = new Uint8Array(headerBytes + POINTS_BIN_BYTES_PER_POINT * rows.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(H.magic, POINTS_BIN_MAGIC, true);
  view.setUint16(H.version, POINTS_BIN_VERSION, true);
  view.setUint16(H.headerBytes, headerBytes, true);
  view.setUint32(H.count, rows.length, true);
  view.setInt32(H.baseDay, baseDay, true);
  view.setUint32(H.dictionaryBytes, dictionary.length, true);
  bytes.set(dictionary, POINTS_BIN_FIXED_HEADER);
  const c = pointsColumns(bytes.buffer, headerBytes, rows.length);
  rows.forEach((r, i) => {
    c.position[2 * i] = r.lng;
    c.position[2 * i + 1] = r.lat;
    c.day[i] = r.day;
    c.category[i] = r.category;
    c.subdistrict[i] = r.subdistrict;
    c.unit[i] = r.unit;
    c.lateDays[i] = r.lateDays;
    c.status[i] = r.status;
    c.recurrence[i] = r.recurrence;
  });
  return bytes;
}

function plain(p: ProblemPoints) {
  const { count, dictionary, weekOffset, weeks } = p;
  const cols = ['position', 'day', 'category', 'subdistrict', 'unit', 'lateDays', 'status', 'recurrence'] as const;
  return { count, dictionary, weekOffset, weeks, ...Object.fromEntries(cols.map((k) => [k, [...p[k]]])) };
}

/** mulberry32: the same sequence every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const copy = (b: Uint8Array) => decodePoints(b.slice().buffer);
const deltaOf = (feed: ReturnType<typeof createPointsFeed>, since: string, bytes: Uint8Array) => {
  const d = feed.delta(since, bytes);
  return { delta: decodePointsDelta(d.slice().buffer), bytes: d.byteLength };
};

describe('points deltas: the server feed and the client apply', () => {
  it('after any run of row changes, appends and new names, the applied buffer equals a fresh decode', () => {
    const rnd = random(7);
    const int = (n: number) => Math.floor(rnd() * n);
    const dict: Dict = { categories: ['a', 'b'], subdistricts: [null, 'sd1'], units: [null, 'u1', 'u2'] };
    const row = (): Row => ({
      lng: 115.9 + rnd() * 0.1,
      lat: 36.4 + rnd() * 0.1,
      day: int(500),
      category: int(dict.categories.length),
      subdistrict: int(dict.subdistricts.length),
      unit: int(dict.units.length),
      lateDays: int(30),
      status: int(5),
      recurrence: int(2),
    });
    const rows: Row[] = Array.from({ length: 400 }, row);
    const feed = createPointsFeed();
    let bytes = pointsBin(rows, dict);
    let held = copy(bytes);
    let revision = feed.revisionOf(bytes);
    // Two clients: one follows every change, one comes back only every few steps.
    let late = { points: held, revision };
    for (let step = 0; step < 60; step++) {
      const changed = new Set<number>();
      for (let k = int(6); k > 0; k--) {
        const i = int(rows.length);
        // Any field may move, as a transition (status, lateDays) or another row's close (recurrence) does.
        rows[i] = { ...rows[i], status: int(5), lateDays: int(30), recurrence: int(2), unit: int(dict.units.length) };
        changed.add(i);
      }
      if (rnd() < 0.3) dict.units = [...dict.units, `u${dict.units.length}`];
      for (let k = int(3); k > 0; k--) rows.push(row());
      bytes = pointsBin(rows, dict);
      const { delta, bytes: size } = deltaOf(feed, revision, bytes);
      // Only rows that really differ travel (a change may draw the value it had).
      expect(delta.rows).toBeLessThanOrEqual(changed.size + 2);
      expect(size).toBeLessThan(bytes.byteLength);
      const next = applyPointsDelta(held, delta);
      expect(next).not.toBeNull();
      held = next!;
      revision = delta.dictionary.revision!;
      expect(plain(held)).toEqual(plain(copy(bytes)));
      if (step % 7 === 6) {
        const caught = deltaOf(feed, late.revision, bytes).delta;
        const lateNext = applyPointsDelta(late.points, caught);
        expect(plain(lateNext!)).toEqual(plain(copy(bytes)));
        late = { points: lateNext!, revision: caught.dictionary.revision! };
      }
    }
  });

  it('carries nothing when the body did not change, and the same points back', () => {
    const dict: Dict = { categories: ['a'], subdistricts: [null], units: [null] };
    const rows: Row[] = [{ lng: 116, lat: 36, day: 3, category: 0, subdistrict: 0, unit: 0, lateDays: 0, status: 0, recurrence: 0 }];
    const feed = createPointsFeed();
    const bytes = pointsBin(rows, dict);
    const points = copy(bytes);
    const revision = feed.revisionOf(bytes);
    const { delta } = deltaOf(feed, revision, pointsBin(rows, dict));
    expect(delta.rows).toBe(0);
    expect(delta.dictionary.revision).not.toBe(revision);
    expect(applyPointsDelta(points, delta)).toBe(points);
  });

  it('answers reload when rows cannot keep their meaning: another day origin, codes renumbered, rows gone, another feed', () => {
    const r: Row = { lng: 116, lat: 36, day: 3, category: 0, subdistrict: 0, unit: 1, lateDays: 0, status: 0, recurrence: 0 };
    const dict: Dict = { categories: ['a'], subdistricts: [null], units: [null, 'u1', 'u2'] };
    const cases: [string, Uint8Array][] = [
      ['baseDay', pointsBin([r, r], dict, 19_999)],
      ['renumbered', pointsBin([r, r], { ...dict, units: [null, 'u2', 'u1'] })],
      ['shrunk', pointsBin([r], dict)],
    ];
    for (const [what, next] of cases) {
      const feed = createPointsFeed();
      const revision = feed.revisionOf(pointsBin([r, r], dict));
      expect(deltaOf(feed, revision, next).delta.dictionary, what).toEqual({ reload: true });
    }
    const feed = createPointsFeed();
    const bytes = pointsBin([r, r], dict);
    const revision = createPointsFeed().revisionOf(bytes);
    expect(deltaOf(feed, revision, bytes).delta.dictionary).toEqual({ reload: true });
  });

  it('refuses a delta that does not follow on from the buffer it is applied to', () => {
    const r: Row = { lng: 116, lat: 36, day: 3, category: 0, subdistrict: 0, unit: 0, lateDays: 0, status: 0, recurrence: 0 };
    const dict: Dict = { categories: ['a'], subdistricts: [null], units: [null] };
    const feed = createPointsFeed();
    const first = pointsBin([r], dict);
    const revision = feed.revisionOf(first);
    const { delta } = deltaOf(feed, revision, pointsBin([r, { ...r, day: 9 }], { ...dict, units: [null, 'u9'] }));
    expect(applyPointsDelta(copy(first), delta)).not.toBeNull();
    // The same delta over a buffer with other code lists, or missing a slot before the new one, would misplace rows.
    expect(applyPointsDelta(copy(pointsBin([r], { ...dict, units: [null, 'x'] })), delta)).toBeNull();
    expect(applyPointsDelta(copy(pointsBin([], dict)), delta)).toBeNull();
    expect(applyPointsDelta(copy(pointsBin([r], { ...dict, baseDate: '2024-10-05' })), delta)).toBeNull();
  });
});
