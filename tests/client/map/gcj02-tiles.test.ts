import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { gcj02Window } from '../../../client/src/map/gcj02-tiles';

const TILE = 256;

/** The WGS-84 tile z/x/y holding `lngLat`. */
function tileOf([lng, lat]: [number, number], z: number): [number, number] {
  const n = 2 ** z;
  const sin = Math.sin((lat * Math.PI) / 180);
  return [Math.floor(((lng + 180) / 360) * n), Math.floor((0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * n)];
}

/** World pixel of `lngLat` at zoom z (web mercator, 256 px tiles). */
function worldPx([lng, lat]: readonly number[], z: number): [number, number] {
  const w = TILE * 2 ** z;
  const sin = Math.sin((lat * Math.PI) / 180);
  return [((lng + 180) / 360) * w, (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * w];
}

describe('gcj02Window', () => {
  it('cuts a WGS-84 tile out of the GCJ-02 tiles where the service draws that ground', () => {
    for (const z of [11, 14, 16, 18]) {
      const [x, y] = tileOf([115.985, 36.456], z);
      const pieces = gcj02Window(z, x, y);
      // The pieces tile our 256 × 256 exactly: 1, 2 or 4 of them, each a whole service tile.
      expect([1, 2, 4]).toContain(pieces.length);
      const lefts = [...new Set(pieces.map((p) => p.left))].sort((a, b) => a - b);
      const tops = [...new Set(pieces.map((p) => p.top))].sort((a, b) => a - b);
      expect(lefts[0]).toBeLessThanOrEqual(0);
      expect(lefts.at(-1)! + TILE).toBeGreaterThanOrEqual(TILE);
      expect(tops[0]).toBeLessThanOrEqual(0);
      expect(tops.at(-1)! + TILE).toBeGreaterThanOrEqual(TILE);
      // A point of our tile is drawn where the service has its GCJ-02 position (within a pixel).
      const wgs: [number, number] = [115.985, 36.456];
      const [px, py] = worldPx(wgs, z).map((v, i) => v - [x, y][i] * TILE);
      const [gx, gy] = worldPx(gcoord.transform(wgs, gcoord.WGS84, gcoord.GCJ02), z);
      const piece = pieces.find((p) => px >= p.left && px < p.left + TILE && py >= p.top && py < p.top + TILE)!;
      expect(Math.abs(piece.x * TILE + (px - piece.left) - gx), `z${z} x`).toBeLessThan(1);
      expect(Math.abs(piece.y * TILE + (py - piece.top) - gy), `z${z} y`).toBeLessThan(1);
    }
  });

  it('moves the tile east and north by the few hundred metres GCJ-02 adds here', () => {
    const z = 16;
    const [x, y] = tileOf([115.985, 36.456], z);
    const pieces = gcj02Window(z, x, y);
    const first = pieces.reduce((a, b) => (b.x * TILE - b.left < a.x * TILE - a.left ? b : a));
    const shiftPx = first.x * TILE - first.left - x * TILE;
    // About 0.0057° of longitude east: ~510 m, ~265 px at z16 and this latitude.
    expect(shiftPx).toBeGreaterThan(230);
    expect(shiftPx).toBeLessThan(300);
  });

  it('leaves a tile outside China where it is', () => {
    const [x, y] = tileOf([-0.12, 51.5], 15);
    expect(gcj02Window(15, x, y)).toEqual([{ x, y, left: 0, top: 0 }]);
  });
});
