/**
 * The blur editor's pure geometry (曝光前打码): pointer positions on the shown picture to the contract's
 * regions (shares of the upright original, from its top left), moving and resizing them inside the
 * picture, fitting the picture to the dialog, and the mosaic preview's cells, computed as the server
 * makes them (mosaicCell over the rectangle in the original's pixels, server/media/redact.ts).
 *
 *   (0,0) ─────────── x share ──────────▶ (1,0)
 *     │   ┌── region ──┐
 *     │   │ x,y     w  │   shares of the upright original; the screen copy and the dialog show the
 *     │   │ h          │   same picture smaller, so one region holds at every size
 *     ▼   └────────────┘
 *   (0,1)
 */
import { mosaicCell, REDACTION_MIN_SIDE, regionPixels, type RedactionRegion } from '../../../server/contract/media-rules';

export interface Size {
  width: number;
  height: number;
}

/** A position on the picture in shares of its width and height (0…1 once clamped). */
export interface SharePoint {
  x: number;
  y: number;
}

/** Where an element sits on the page (DOMRect's fields the editor reads). */
export interface PageBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A corner a selected rectangle is resized by: n/s (top/bottom) then w/e (left/right). */
export type Corner = 'nw' | 'ne' | 'sw' | 'se';
export const CORNERS: readonly Corner[] = ['nw', 'ne', 'sw', 'se'];

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** A pointer's page position on the picture `box`, in shares, clamped to the picture. */
export function pointerShare(clientX: number, clientY: number, box: PageBox): SharePoint {
  if (box.width <= 0 || box.height <= 0) return { x: 0, y: 0 };
  return { x: clamp01((clientX - box.left) / box.width), y: clamp01((clientY - box.top) / box.height) };
}

/**
 * The rectangle a drag from `a` to `b` (shares, any direction) spans, clamped to the picture; null
 * when either side is under REDACTION_MIN_SIDE (a click or a stray touch is not a region).
 *
 * @example dragRegion({ x: 0.6, y: 0.5 }, { x: 0.2, y: 1.3 }) // { x: 0.2, y: 0.5, w: 0.4, h: 0.5 }
 */
export function dragRegion(a: SharePoint, b: SharePoint): RedactionRegion | null {
  const x0 = clamp01(Math.min(a.x, b.x));
  const x1 = clamp01(Math.max(a.x, b.x));
  const y0 = clamp01(Math.min(a.y, b.y));
  const y1 = clamp01(Math.max(a.y, b.y));
  if (x1 - x0 < REDACTION_MIN_SIDE || y1 - y0 < REDACTION_MIN_SIDE) return null;
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** `r` moved by `dx`, `dy` (shares), stopped at the picture's edges; its size is kept. */
export function moveRegion(r: RedactionRegion, dx: number, dy: number): RedactionRegion {
  return { x: Math.min(1 - r.w, Math.max(0, r.x + dx)), y: Math.min(1 - r.h, Math.max(0, r.y + dy)), w: r.w, h: r.h };
}

/**
 * `r` with its `corner` dragged to `to` (shares), the opposite corner staying put. The dragged corner
 * cannot cross the fixed one: the sides stop at REDACTION_MIN_SIDE, and at the picture's edges.
 */
export function resizeRegion(r: RedactionRegion, corner: Corner, to: SharePoint): RedactionRegion {
  const p = { x: clamp01(to.x), y: clamp01(to.y) };
  let left = r.x;
  let right = r.x + r.w;
  let top = r.y;
  let bottom = r.y + r.h;
  if (corner === 'nw' || corner === 'sw') left = Math.min(p.x, right - REDACTION_MIN_SIDE);
  else right = Math.max(p.x, left + REDACTION_MIN_SIDE);
  if (corner === 'nw' || corner === 'ne') top = Math.min(p.y, bottom - REDACTION_MIN_SIDE);
  else bottom = Math.max(p.y, top + REDACTION_MIN_SIDE);
  return { x: left, y: top, w: right - left, h: bottom - top };
}

/**
 * `r` grown or shrunk by `dw`, `dh` (shares) at its right and bottom edges, within the picture and
 * never under REDACTION_MIN_SIDE: the keyboard's Shift+arrow.
 */
export function growRegion(r: RedactionRegion, dw: number, dh: number): RedactionRegion {
  return resizeRegion(r, 'se', { x: r.x + r.w + dw, y: r.y + r.h + dh });
}

/** A rectangle of `side` (share of the shorter side, so it is square on the picture) in the picture's middle: 添加方框 from the keyboard. */
export function centredRegion(picture: Size, side = 0.2): RedactionRegion {
  const short = Math.min(picture.width, picture.height);
  const w = Math.min(1, (side * short) / Math.max(1, picture.width));
  const h = Math.min(1, (side * short) / Math.max(1, picture.height));
  return { x: (1 - w) / 2, y: (1 - h) / 2, w, h };
}

/**
 * The size to show a `picture` at inside `box` (px): as large as fits with its proportions, but never
 * more than `maxScale` times its own size (a small photo is not blown up into blocks).
 */
export function fitSize(picture: Size, box: Size, maxScale = 2): Size {
  if (picture.width <= 0 || picture.height <= 0 || box.width <= 0 || box.height <= 0) return { width: 0, height: 0 };
  const scale = Math.min(box.width / picture.width, box.height / picture.height, maxScale);
  return { width: Math.max(1, Math.floor(picture.width * scale)), height: Math.max(1, Math.floor(picture.height * scale)) };
}

/** One region's mosaic: its cells in the original's pixels, and how they fall on a picture of another size. */
export interface MosaicGrid {
  /** The region in whole pixels of the original (what the server covers). */
  original: { left: number; top: number; width: number; height: number };
  /** The nominal cell side in the original's pixels (mosaicCell). */
  cellPx: number;
  cols: number;
  rows: number;
  /** The cells' real size in the original's pixels: the rectangle split evenly into cols × rows. */
  cellW: number;
  cellH: number;
}

/**
 * The mosaic the server makes over `r` on the upright original of size `original`: the rectangle in its
 * whole pixels, shrunk to round(side / mosaicCell) cells each way (at least one) and enlarged back, so
 * the cells split it evenly and are about mosaicCell px square (server/media/redact.ts).
 */
export function mosaicGrid(r: RedactionRegion, original: Size): MosaicGrid {
  const px = regionPixels(r, original.width, original.height);
  const cellPx = mosaicCell(px.width, px.height);
  const cols = Math.max(1, Math.round(px.width / cellPx));
  const rows = Math.max(1, Math.round(px.height / cellPx));
  return { original: px, cellPx, cols, rows, cellW: px.width / cols, cellH: px.height / rows };
}

/**
 * The `grid` as rectangles on a picture of size `target` (the screen copy the pixels are read from, or
 * the dialog's display), in that picture's px: cell (col, row) spans [edges.xs[col], edges.xs[col + 1])
 * across and [edges.ys[row], edges.ys[row + 1]) down. Edges are whole pixels so neighbouring cells
 * neither overlap nor leave a seam.
 */
export function gridEdges(grid: MosaicGrid, original: Size, target: Size): { xs: Float64Array; ys: Float64Array } {
  const sx = target.width / original.width;
  const sy = target.height / original.height;
  const xs = new Float64Array(grid.cols + 1);
  const ys = new Float64Array(grid.rows + 1);
  for (let c = 0; c <= grid.cols; c++) xs[c] = Math.round((grid.original.left + c * grid.cellW) * sx);
  for (let r = 0; r <= grid.rows; r++) ys[r] = Math.round((grid.original.top + r * grid.cellH) * sy);
  return { xs, ys };
}

/**
 * The mean colour of each cell (RGB, row by row: cols × rows × 3 bytes) over `rgba`, the pixels of a
 * `width` px wide picture (ImageData's layout), the cells' edges as gridEdges gives them in that
 * picture's px. A cell thinner than one pixel there takes the pixel under it.
 */
export function cellColours(rgba: Uint8ClampedArray, width: number, height: number, edges: { xs: Float64Array; ys: Float64Array }): Uint8ClampedArray {
  const cols = edges.xs.length - 1;
  const rows = edges.ys.length - 1;
  const out = new Uint8ClampedArray(Math.max(0, cols * rows * 3));
  for (let row = 0; row < rows; row++) {
    const y0 = Math.min(height - 1, Math.max(0, edges.ys[row]));
    const y1 = Math.max(y0 + 1, Math.min(height, edges.ys[row + 1]));
    for (let col = 0; col < cols; col++) {
      const x0 = Math.min(width - 1, Math.max(0, edges.xs[col]));
      const x1 = Math.max(x0 + 1, Math.min(width, edges.xs[col + 1]));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let y = y0; y < y1; y++) {
        let i = (y * width + x0) * 4;
        for (let x = x0; x < x1; x++, i += 4) {
          r += rgba[i];
          g += rgba[i + 1];
          b += rgba[i + 2];
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const o = (row * cols + col) * 3;
      out[o] = Math.round(r / n);
      out[o + 1] = Math.round(g / n);
      out[o + 2] = Math.round(b / n);
    }
  }
  return out;
}
