/**
 * The market icon, drawn on a canvas at runtime so the style needs no sprite sheet (and the page no
 * sprite request): a rounded green tile with a white shop front, to read as "market" at a glance and
 * never be mistaken for a problem dot.
 */
import { COLORS } from './map-style';

const SIZE_PX = 28;
const PIXEL_RATIO = 2;

/** The icon's pixels and the pixel ratio to register it with (`map.addImage(id, data, { pixelRatio })`). */
export function drawMarketIcon(): { data: ImageData; pixelRatio: number } {
  const s = SIZE_PX * PIXEL_RATIO;
  const canvas = document.createElement('canvas');
  canvas.width = s;
  canvas.height = s;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('Canvas 2D is unavailable, so the market icon cannot be drawn; use a browser with canvas support.');
  ctx.scale(PIXEL_RATIO, PIXEL_RATIO);

  ctx.beginPath();
  ctx.roundRect(2, 2, SIZE_PX - 4, SIZE_PX - 4, 6);
  ctx.fillStyle = COLORS.market;
  ctx.fill();
  ctx.lineWidth = 2;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();

  ctx.fillStyle = '#ffffff';
  // Awning: a bar with three scallops under it.
  ctx.fillRect(7, 8, 14, 3);
  for (let i = 0; i < 3; i++) {
    ctx.beginPath();
    ctx.arc(9.33 + i * 4.67, 11, 2.33, 0, Math.PI);
    ctx.fill();
  }
  // Shop front with a door.
  ctx.fillRect(8, 14.5, 12, 6.5);
  ctx.fillStyle = COLORS.market;
  ctx.fillRect(12.5, 16.5, 3, 4.5);

  return { data: ctx.getImageData(0, 0, s, s), pixelRatio: PIXEL_RATIO };
}
