import { describe, expect, it } from 'vitest';
import {
  bboxOf,
  bufferBbox,
  cityHhmm,
  compassOf,
  distanceM,
  headingOf,
  nearestWithin,
  offsetTowards,
  tilesForBbox,
  tileXY,
} from '../../../../client/src/pages/field/field-logic';

const HERE: [number, number] = [115.9841, 36.4481];

describe('field logic', () => {
  it('offers the nearest look-back within 100 m and nothing farther', () => {
    const items = [
      { id: 'far', lngLat: offsetTowards(HERE, 90, 150) },
      { id: 'near', lngLat: offsetTowards(HERE, 0, 60) },
      { id: 'nearer', lngLat: offsetTowards(HERE, 180, 40) },
    ];
    expect(nearestWithin(items, HERE, 100)?.id).toBe('nearer');
    expect(Math.abs(nearestWithin(items, HERE, 100)!.distanceM - 40)).toBeLessThan(0.5);
    expect(nearestWithin(items.slice(0, 1), HERE, 100)).toBeNull();
  });

  it('buffers a bbox by metres', () => {
    const b = bufferBbox([HERE[0], HERE[1], HERE[0], HERE[1]], 300);
    // Within 0.5 %: the buffer uses 111,320 m per degree, the distance a spherical earth.
    expect(distanceM([b[0], HERE[1]], [b[2], HERE[1]])).toBeGreaterThan(597);
    expect(distanceM([b[0], HERE[1]], [b[2], HERE[1]])).toBeLessThan(603);
    expect(distanceM([HERE[0], b[1]], [HERE[0], b[3]])).toBeGreaterThan(597);
    expect(distanceM([HERE[0], b[1]], [HERE[0], b[3]])).toBeLessThan(603);
    expect(
      bboxOf([
        [1, 2],
        [3, -1],
        [2, 5],
      ]),
    ).toEqual([1, -1, 3, 5]);
    expect(bboxOf([])).toBeNull();
  });

  it('lists the tiles of a bbox per zoom, and caps the count by leaving out whole higher zooms', () => {
    const bbox = bufferBbox([HERE[0], HERE[1], HERE[0] + 0.03, HERE[1] + 0.02], 300);
    const { tiles, cappedAt } = tilesForBbox(bbox, [12, 13, 14], 1500);
    expect(cappedAt).toBeNull();
    const [x0, y0] = tileXY(bbox[0], bbox[3], 14);
    const [x1, y1] = tileXY(bbox[2], bbox[1], 14);
    expect(tiles.filter((t) => t[0] === 14)).toHaveLength((x1 - x0 + 1) * (y1 - y0 + 1));
    expect(new Set(tiles.map((t) => t.join('/'))).size).toBe(tiles.length);
    // The point itself is in its z14 tile.
    expect(tiles.some(([z, x, y]) => z === 14 && x === tileXY(HERE[0], HERE[1], 14)[0] && y === tileXY(HERE[0], HERE[1], 14)[1])).toBe(true);

    const city: [number, number, number, number] = [115.5, 36.0, 116.5, 37.0];
    const capped = tilesForBbox(city, [10, 11, 12, 13, 14], 1500);
    expect(capped.tiles.length).toBeLessThanOrEqual(1500);
    expect(capped.cappedAt).toBe(13);
    expect(capped.tiles.every((t) => t[0] <= 13)).toBe(true);
  });

  it('takes the GPS course while moving, else the compass, else nothing', () => {
    expect(headingOf({ heading: 90, speedMps: 1.3 }, 200)).toBe(90);
    expect(headingOf({ heading: Number.NaN, speedMps: 0 }, 200)).toBe(200);
    expect(headingOf({ heading: 90, speedMps: 0 }, null)).toBeNull();
    expect(headingOf({ heading: null, speedMps: null }, null)).toBeNull();
    expect(compassOf({ alpha: 90, absolute: true })).toBe(270);
    expect(compassOf({ alpha: 90, absolute: false })).toBeNull();
    expect(compassOf({ alpha: 10, absolute: false, webkitCompassHeading: 45 })).toBe(45);
  });

  it('draws the heading needle north, east, south', () => {
    const n = offsetTowards(HERE, 0, 25);
    const e = offsetTowards(HERE, 90, 25);
    expect(n[1]).toBeGreaterThan(HERE[1]);
    expect(e[0]).toBeGreaterThan(HERE[0]);
    expect(Math.abs(distanceM(HERE, e) - 25)).toBeLessThan(0.5);
  });

  it('shows times in city time', () => {
    expect(cityHhmm('2026-03-20T03:40:00Z')).toBe('11:40');
    expect(cityHhmm('2026-03-20T11:40:00+08:00')).toBe('11:40');
  });
});
