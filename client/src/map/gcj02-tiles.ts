/**
 * GCJ-02 basemaps (高德/腾讯) under our WGS-84 layers. Such a service draws China shifted by a few hundred
 * metres (GCJ-02); rather than move every layer of ours (vector tiles, GeoJSON, deck.gl, clicks and the
 * GPS position) into that shift, each basemap tile is moved back: the WGS-84 tile z/x/y is cut out of the
 * GCJ-02 tiles it falls on, shifted by the offset at its centre. The offset changes by a few metres per
 * kilometre, so within one tile it stays under a pixel at every zoom.
 *
 *    GCJ-02 tiles (as served)          the WGS-84 tile we draw
 *    ┌────────┬────────┐
 *    │   ┌────┼───┐    │   ← the window: our tile's area, where the service draws it
 *    ├───┼────┼───┼────┤
 *    │   └────┼───┘    │
 *    └────────┴────────┘
 *
 * Map-library glue: a MapLibre protocol (`gcj02://<source>/{z}/{x}/{y}`, map-style.ts `gcj02TileUrl`)
 * registered once; the service's own templates are kept here by source id, since MapLibre substitutes
 * z/x/y into the URL it asks for and the protocol has to find the real one.
 */
import gcoord from 'gcoord';
import { addProtocol, type RequestParameters } from 'maplibre-gl';
import { GCJ02_PROTOCOL } from './map-style';
const TILE_PX = 256;

/** One GCJ-02 tile of a window and where its top-left corner lands in the WGS-84 tile, px. */
export interface WindowPiece {
  x: number;
  y: number;
  left: number;
  top: number;
}

function lngLatOfPixel(px: number, py: number, worldPx: number): [number, number] {
  const lng = (px / worldPx) * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * py) / worldPx))) * 180) / Math.PI;
  return [lng, lat];
}

function pixelOfLngLat([lng, lat]: readonly number[], worldPx: number): [number, number] {
  const sin = Math.sin((lat * Math.PI) / 180);
  return [((lng + 180) / 360) * worldPx, (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * worldPx];
}

/**
 * The GCJ-02 tiles (1, 2 or 4) holding the WGS-84 tile `z/x/y`, and where each is drawn in it: the
 * tile's centre is moved WGS-84 → GCJ-02 (gcoord; unchanged outside China), and the whole tile with it.
 *
 * @example
 * gcj02Window(16, 53880, 25750) // → the 4 GCJ-02 tiles around the shifted tile, with pixel offsets
 */
export function gcj02Window(z: number, x: number, y: number): WindowPiece[] {
  const worldPx = TILE_PX * 2 ** z;
  const centre = lngLatOfPixel((x + 0.5) * TILE_PX, (y + 0.5) * TILE_PX, worldPx);
  const [gx, gy] = pixelOfLngLat(gcoord.transform(centre, gcoord.WGS84, gcoord.GCJ02), worldPx);
  // The window's top-left in GCJ-02 world pixels, rounded: a whole-pixel shift keeps the tiles sharp.
  const left = Math.round(gx - TILE_PX / 2);
  const top = Math.round(gy - TILE_PX / 2);
  const pieces: WindowPiece[] = [];
  const n = 2 ** z;
  for (let ty = Math.floor(top / TILE_PX); ty * TILE_PX < top + TILE_PX; ty++) {
    if (ty < 0 || ty >= n) continue;
    for (let tx = Math.floor(left / TILE_PX); tx * TILE_PX < left + TILE_PX; tx++) {
      pieces.push({ x: ((tx % n) + n) % n, y: ty, left: tx * TILE_PX - left, top: ty * TILE_PX - top });
    }
  }
  return pieces;
}

/** The GCJ-02 tile URL templates of each basemap source, by source id (several: one per subdomain). */
const TEMPLATES = new Map<string, readonly string[]>();
let registered = false;

/** Makes `gcj02://<sourceId>/…` tiles load from `templates` (the service's own), shifted onto WGS-84. */
export function registerGcj02Source(sourceId: string, templates: readonly string[]): void {
  TEMPLATES.set(sourceId, templates);
  if (registered) return;
  addProtocol(GCJ02_PROTOCOL, loadShiftedTile);
  registered = true;
}

async function loadShiftedTile(params: RequestParameters, abort: AbortController): Promise<{ data: ImageBitmap }> {
  const m = /^gcj02:\/\/([^/]+)\/(\d+)\/(\d+)\/(\d+)$/.exec(params.url);
  const templates = m ? TEMPLATES.get(m[1]) : undefined;
  if (!m || !templates) throw new Error(`${params.url}: not a GCJ-02 basemap tile this page knows`);
  const [z, x, y] = [Number(m[2]), Number(m[3]), Number(m[4])];
  const canvas = new OffscreenCanvas(TILE_PX, TILE_PX);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw on an OffscreenCanvas, which GCJ-02 basemaps need');
  const pieces = gcj02Window(z, x, y);
  const images = await Promise.all(
    pieces.map(async (p) => {
      const template = templates[(p.x + p.y) % templates.length];
      const url = template
        .replaceAll('{z}', String(z))
        .replaceAll('{x}', String(p.x))
        .replaceAll('{y}', String(p.y))
        .replaceAll('{-y}', String(2 ** z - 1 - p.y));
      const res = await fetch(url, { signal: abort.signal, mode: 'cors', credentials: 'omit' });
      // MapLibre's error event reads `status` and `url` (map-errors.ts), as from its own requests.
      if (!res.ok) throw Object.assign(new Error(`${url}: HTTP ${res.status}`), { status: res.status, url });
      return createImageBitmap(await res.blob());
    }),
  );
  pieces.forEach((p, i) => ctx.drawImage(images[i], p.left, p.top));
  for (const image of images) image.close();
  return { data: await createImageBitmap(canvas) };
}
