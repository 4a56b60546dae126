import { describe, expect, it } from 'vitest';
import {
  cellColours,
  centredRegion,
  dragRegion,
  fitSize,
  gridEdges,
  growRegion,
  moveRegion,
  mosaicGrid,
  pointerShare,
  resizeRegion,
} from '../../../client/src/components/blur-geometry';
import { REDACTION_MIN_SIDE } from '../../../server/contract/media-rules';
import { RedactionRegionSchema } from '../../../server/contract/redaction';

const close = (r: { x: number; y: number; w: number; h: number } | null) =>
  r && { x: +r.x.toFixed(6), y: +r.y.toFixed(6), w: +r.w.toFixed(6), h: +r.h.toFixed(6) };

describe('a pointer drag on the shown picture', () => {
  // The picture shown 800 × 600 px, its top left at (100, 50) on the page.
  const box = { left: 100, top: 50, width: 800, height: 600 };

  it('reads pointer positions as shares of the picture, clamped to it', () => {
    expect(pointerShare(300, 200, box)).toEqual({ x: 0.25, y: 0.25 });
    expect(pointerShare(900, 650, box)).toEqual({ x: 1, y: 1 });
    expect(pointerShare(40, 700, box)).toEqual({ x: 0, y: 1 });
    expect(pointerShare(1200, -10, box)).toEqual({ x: 1, y: 0 });
    // A picture not laid out yet (0 px) gives the corner, not NaN.
    expect(pointerShare(300, 200, { left: 0, top: 0, width: 0, height: 0 })).toEqual({ x: 0, y: 0 });
  });

  it('turns a drag in any direction into the rectangle it spans, normalised to the top left', () => {
    const a = pointerShare(580, 350, box); // (0.6, 0.5)
    const b = pointerShare(260, 500, box); // (0.2, 0.75)
    expect(close(dragRegion(a, b))).toEqual({ x: 0.2, y: 0.5, w: 0.4, h: 0.25 });
    expect(close(dragRegion(b, a))).toEqual({ x: 0.2, y: 0.5, w: 0.4, h: 0.25 });
  });

  it('cuts a drag that leaves the picture at its edge, so the contract takes it', () => {
    const r = dragRegion(pointerShare(700, 400, box), pointerShare(1400, 900, box));
    expect(close(r)).toEqual({ x: 0.75, y: 0.583333, w: 0.25, h: 0.416667 });
    expect(r!.x + r!.w).toBe(1);
    expect(RedactionRegionSchema.safeParse(r).success).toBe(true);
    // Unclamped shares (a caller's own points) are clamped too.
    expect(dragRegion({ x: -0.5, y: 0.1 }, { x: 0.3, y: 1.7 })).toEqual({ x: 0, y: 0.1, w: 0.3, h: 0.9 });
  });

  it('ignores a click and a drag thinner than REDACTION_MIN_SIDE on either side', () => {
    const p = pointerShare(300, 200, box);
    expect(dragRegion(p, p)).toBeNull();
    // 3 px of 800 is 0.00375 < 0.005: a stray touch.
    expect(dragRegion(p, pointerShare(303, 400, box))).toBeNull();
    expect(dragRegion(p, pointerShare(500, 202, box))).toBeNull();
    // 4 px of 800 is exactly the minimum: kept.
    const r = dragRegion(p, pointerShare(304, 203, box));
    expect(r).not.toBeNull();
    expect(r!.w).toBeCloseTo(REDACTION_MIN_SIDE, 12);
    expect(RedactionRegionSchema.safeParse(r).success).toBe(true);
  });
});

describe('moving and resizing a rectangle', () => {
  const r = { x: 0.2, y: 0.3, w: 0.4, h: 0.2 };

  it('moves it and stops at the picture’s edges with its size kept', () => {
    expect(close(moveRegion(r, 0.1, -0.1))).toEqual({ x: 0.3, y: 0.2, w: 0.4, h: 0.2 });
    expect(close(moveRegion(r, 0.9, 0.9))).toEqual({ x: 0.6, y: 0.8, w: 0.4, h: 0.2 });
    expect(close(moveRegion(r, -1, -1))).toEqual({ x: 0, y: 0, w: 0.4, h: 0.2 });
  });

  it('resizes by a corner with the opposite corner fixed, clamped to the picture', () => {
    expect(close(resizeRegion(r, 'se', { x: 0.9, y: 0.7 }))).toEqual({ x: 0.2, y: 0.3, w: 0.7, h: 0.4 });
    expect(close(resizeRegion(r, 'nw', { x: 0.1, y: -0.5 }))).toEqual({ x: 0.1, y: 0, w: 0.5, h: 0.5 });
    expect(close(resizeRegion(r, 'ne', { x: 1.4, y: 0.25 }))).toEqual({ x: 0.2, y: 0.25, w: 0.8, h: 0.25 });
    expect(close(resizeRegion(r, 'sw', { x: 0, y: 1 }))).toEqual({ x: 0, y: 0.3, w: 0.6, h: 0.7 });
  });

  it('does not let the dragged corner cross the fixed one: the sides stop at the minimum', () => {
    const small = resizeRegion(r, 'se', { x: 0.1, y: 0.1 });
    expect(close(small)).toEqual({ x: 0.2, y: 0.3, w: REDACTION_MIN_SIDE, h: REDACTION_MIN_SIDE });
    const flipped = resizeRegion(r, 'nw', { x: 0.95, y: 0.95 });
    expect(flipped.x + flipped.w).toBeCloseTo(0.6, 12);
    expect(flipped.w).toBeCloseTo(REDACTION_MIN_SIDE, 12);
    expect(RedactionRegionSchema.safeParse(small).success).toBe(true);
  });

  it('grows and shrinks from the keyboard at the right and bottom edges', () => {
    expect(close(growRegion(r, 0.01, -0.01))).toEqual({ x: 0.2, y: 0.3, w: 0.41, h: 0.19 });
    expect(close(growRegion(r, 5, 5))).toEqual({ x: 0.2, y: 0.3, w: 0.8, h: 0.7 });
    expect(close(growRegion(r, -5, -5))).toEqual({ x: 0.2, y: 0.3, w: REDACTION_MIN_SIDE, h: REDACTION_MIN_SIDE });
  });

  it('adds a square one in the middle for the keyboard', () => {
    // 4000 × 3000: a fifth of 3000 is 600 px each way.
    expect(close(centredRegion({ width: 4000, height: 3000 }))).toEqual({ x: 0.425, y: 0.4, w: 0.15, h: 0.2 });
    expect(close(centredRegion({ width: 3000, height: 4000 }))).toEqual({ x: 0.4, y: 0.425, w: 0.2, h: 0.15 });
  });
});

describe('fitting the picture and scaling between display and original', () => {
  it('fits the screen copy into the dialog with its proportions', () => {
    expect(fitSize({ width: 1600, height: 1200 }, { width: 1000, height: 500 })).toEqual({ width: 666, height: 500 });
    expect(fitSize({ width: 1200, height: 1600 }, { width: 370, height: 600 })).toEqual({ width: 370, height: 493 });
    // A small photo grows at most twice.
    expect(fitSize({ width: 320, height: 240 }, { width: 1000, height: 800 })).toEqual({ width: 640, height: 480 });
    expect(fitSize({ width: 320, height: 240 }, { width: 0, height: 800 })).toEqual({ width: 0, height: 0 });
  });

  it('makes the server’s cells in the ORIGINAL’s pixels, whatever size the picture is shown at', () => {
    // A 12 MP original (4096 × 3072), a rectangle of 0.125 × 0.25: 512 × 768 px, mosaicCell 768 / 8 = 96 px;
    // the server shrinks it to round(512 / 96) = 5 × 8 cells, so the cells are 102.4 × 96 px.
    const original = { width: 4096, height: 3072 };
    const grid = mosaicGrid({ x: 0.5, y: 0.25, w: 0.125, h: 0.25 }, original);
    expect(grid).toEqual({ original: { left: 2048, top: 768, width: 512, height: 768 }, cellPx: 96, cols: 5, rows: 8, cellW: 102.4, cellH: 96 });
    // Shown 800 × 600 the cells are 20 × 18.75 px (rounded to whole px), not mosaicCell of the 100 × 150 px there (19 px).
    const shown = gridEdges(grid, original, { width: 800, height: 600 });
    expect([...shown.xs]).toEqual([400, 420, 440, 460, 480, 500]);
    expect([...shown.ys]).toEqual([150, 169, 188, 206, 225, 244, 263, 281, 300]);
    // A plate of 64 × 24 px in the original: the 10 px floor applies there (6 × 2 cells), under 2 px on that display.
    const plate = mosaicGrid({ x: 0.015625, y: 0.03125, w: 0.015625, h: 0.0078125 }, original);
    expect(plate).toMatchObject({ original: { left: 64, top: 96, width: 64, height: 24 }, cellPx: 10, cols: 6, rows: 2 });
    expect([...gridEdges(plate, original, { width: 800, height: 600 }).xs]).toEqual([13, 15, 17, 19, 21, 23, 25]);
    // A sliver still gets one cell, never none.
    expect(mosaicGrid({ x: 0, y: 0, w: 0.005, h: 0.005 }, { width: 400, height: 300 })).toMatchObject({ cellPx: 10, cols: 1, rows: 1 });
  });

  it('puts the cell edges on whole pixels of the target, from the rectangle’s left to its right', () => {
    const original = { width: 4096, height: 3072 };
    const grid = mosaicGrid({ x: 0.5, y: 0.25, w: 0.125, h: 0.25 }, original);
    // On the 1600 × 1200 screen copy (0.390625 ×) from x 800 to 1000: five cells of 40 px; down, 37.5 px rounded.
    const screen = gridEdges(grid, original, { width: 1600, height: 1200 });
    expect([...screen.xs]).toEqual([800, 840, 880, 920, 960, 1000]);
    expect([...screen.ys]).toEqual([300, 338, 375, 413, 450, 488, 525, 563, 600]);
    // On the original itself the edges round to whole pixels of it.
    expect([...gridEdges(grid, original, original).xs]).toEqual([2048, 2150, 2253, 2355, 2458, 2560]);
  });
});

describe('the mosaic preview’s colours', () => {
  /** A `w` × `h` RGBA picture, each pixel from `f(x, y)`. */
  const picture = (w: number, h: number, f: (x: number, y: number) => [number, number, number]) => {
    const data = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const [r, g, b] = f(x, y);
        data.set([r, g, b, 255], (y * w + x) * 4);
      }
    return data;
  };

  it('averages each cell over its own pixels only', () => {
    // Left half black, right half white; red rises with y.
    const data = picture(8, 4, (x, y) => [y * 40, x < 4 ? 0 : 255, x < 4 ? 0 : 255]);
    const colours = cellColours(data, 8, 4, { xs: Float64Array.of(0, 4, 8), ys: Float64Array.of(0, 2, 4) });
    expect([...colours]).toEqual([20, 0, 0, 20, 255, 255, 100, 0, 0, 100, 255, 255]);
    // One cell across the edge: grey.
    expect([...cellColours(data, 8, 4, { xs: Float64Array.of(2, 6), ys: Float64Array.of(0, 4) })]).toEqual([60, 128, 128]);
  });

  it('takes the pixel under a cell thinner than a pixel, and stays inside the picture', () => {
    const data = picture(4, 4, (x, y) => [x * 60, y * 60, 7]);
    expect([...cellColours(data, 4, 4, { xs: Float64Array.of(2, 2), ys: Float64Array.of(1, 1) })]).toEqual([120, 60, 7]);
    expect([...cellColours(data, 4, 4, { xs: Float64Array.of(3, 9), ys: Float64Array.of(3, 9) })]).toEqual([180, 180, 7]);
  });

  it('previews what the server covers: the cells of the original read from the smaller screen copy', () => {
    // Original 400 × 320, the screen copy at half size (200 × 160), a face at 0.25…0.75 × 0.25…0.625.
    const original = { width: 400, height: 320 };
    const copy = { width: 200, height: 160 };
    const grid = mosaicGrid({ x: 0.25, y: 0.25, w: 0.5, h: 0.375 }, original);
    expect(grid).toMatchObject({ original: { left: 100, top: 80, width: 200, height: 120 }, cellPx: 25, cols: 8, rows: 5, cellW: 25, cellH: 24 });
    const data = picture(copy.width, copy.height, (x) => [x, 255 - x, 0]);
    const colours = cellColours(data, copy.width, copy.height, gridEdges(grid, original, copy));
    // First cell: copy x 50…62 (25 px of the original at 0.5 are 12.5, rounded edges 50, 63) → mean of 50…62 is 56.
    expect([colours[0], colours[1], colours[2]]).toEqual([56, 199, 0]);
    // Every row the same (the picture varies across only), and the colours rise across.
    const firstRow = [...colours.slice(0, grid.cols * 3)];
    for (let row = 1; row < grid.rows; row++) expect([...colours.slice(row * grid.cols * 3, (row + 1) * grid.cols * 3)]).toEqual(firstRow);
    for (let c = 1; c < grid.cols; c++) expect(colours[c * 3]).toBeGreaterThan(colours[(c - 1) * 3]);
  });
});
