import { describe, expect, it } from 'vitest';
import type { LngLat } from '../../../server/contract/geo';
import { lineLengthM, type Names, placeStop, streetLine } from '../../../server/planner/stops';

const names: Names = { subdistrict: () => '古楼街道', unit: () => null, category: () => null };

describe('a back street of several parts', () => {
  // 一条 lane of three OSM ways, west to east along 36.45°N, written in the file out of order and
  // with the middle way drawn east to west: in file order the line would jump back and forth.
  const west: LngLat[] = [
    [115.98, 36.45],
    [115.982, 36.45],
  ];
  const middle: LngLat[] = [
    [115.985, 36.45],
    [115.982, 36.45],
  ];
  const east: LngLat[] = [
    [115.985, 36.45],
    [115.988, 36.45],
  ];
  const street = { type: 'MultiLineString' as const, coordinates: [east, west, middle] };

  it('is walked as one connected line from one end to the other, each junction once', () => {
    const line = streetLine(street);
    const along = line.map(([lng]) => lng);
    expect(along[0] === 115.98 ? along : [...along].reverse()).toEqual([115.98, 115.982, 115.985, 115.988]);
    // As long as the street itself (about 715 m), not the 1.4 km of the parts joined in file order.
    expect(lineLengthM(line)).toBeCloseTo(lineLengthM([west[0], east[1]]), 0);
    expect(lineLengthM(street.coordinates.flat() as LngLat[])).toBeGreaterThan(1.9 * lineLengthM(line));
  });

  it('starts its stop at one end and finishes at the other', () => {
    const stop = placeStop(
      { id: 'bs1', kind: 'back-street', name: '长巷', subdistrictId: 'sd1', unitId: null, address: null, entrance: null, lengthM: null, geometry: street },
      names,
    );
    expect([stop.lngLat, stop.otherEnd].map((p) => p![0]).sort()).toEqual([115.98, 115.988]);
  });

  it('keeps a gap between parts that do not meet, bridged once in walking order', () => {
    const gapped = { type: 'MultiLineString' as const, coordinates: [east, west] };
    const along = streetLine(gapped).map(([lng]) => lng);
    expect(along[0] === 115.98 ? along : [...along].reverse()).toEqual([115.98, 115.982, 115.985, 115.988]);
  });
});
