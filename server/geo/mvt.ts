import { PbfWriter } from 'pbf';

/**
 * A small Mapbox Vector Tile 2.1 encoder (github.com/mapbox/vector-tile-spec/tree/master/2.1).
 * Input features use geojson-vt's tile shape, so its tiles encode directly, and so do points we place
 * ourselves (problem clusters).
 *
 * ```
 * Tile    { repeated Layer layers = 3 }
 * Layer   { version = 15, name = 1, features = 2, keys = 3, values = 4, extent = 5 }
 * Feature { id = 1, tags = 2 (packed key/value index pairs), type = 3, geometry = 4 (packed commands) }
 * ```
 */

/** A property value MVT can carry; null and undefined are left out of the tile. */
export type MvtValue = string | number | boolean | null | undefined;

/** Geometry types of the spec. */
export const MVT_POINT = 1;
export const MVT_LINESTRING = 2;
export const MVT_POLYGON = 3;

/** One feature in tile coordinates (0…extent, y down), as geojson-vt's `getTile()` returns them. */
export type MvtFeature = {
  /** Unsigned integer id; anything else is left out. */
  id?: number | string;
  tags: Record<string, MvtValue> | null;
} & (
  | { type: 1; geometry: ArrayLike<number>[] /* one [x, y] per point */ }
  | { type: 2 | 3; geometry: ArrayLike<ArrayLike<number>>[] /* lines, or polygon rings */ }
);

/** One layer of a tile. */
export interface MvtLayer {
  name: string;
  features: readonly MvtFeature[];
  /** Tile extent, default 4096. */
  extent?: number;
}

const CMD_MOVE_TO = 1;
const CMD_LINE_TO = 2;
const CMD_CLOSE_PATH = 7;

interface LayerContext {
  keys: string[];
  keyIndex: Map<string, number>;
  values: (string | number | boolean)[];
  valueIndex: Map<string, number>;
  feature: MvtFeature;
}

/**
 * Encodes layers into one MVT (uncompressed protobuf). Layers without features are left out, so an
 * all-empty input gives an empty buffer (serve that as 204).
 *
 * @example
 * const pbf = encodeMvt([{ name: 'problems', features: [{ type: 1, geometry: [[2048, 2048]], tags: { count: 3 } }] }]);
 */
export function encodeMvt(layers: readonly MvtLayer[]): Uint8Array {
  const pbf = new PbfWriter();
  for (const layer of layers) {
    if (layer.features.length > 0) pbf.writeMessage(3, writeLayer, layer);
  }
  return pbf.finish();
}

function writeLayer(layer: MvtLayer, pbf: PbfWriter): void {
  pbf.writeVarintField(15, 2);
  pbf.writeStringField(1, layer.name);
  const ctx: LayerContext = { keys: [], keyIndex: new Map(), values: [], valueIndex: new Map(), feature: layer.features[0] };
  for (const feature of layer.features) {
    ctx.feature = feature;
    pbf.writeMessage(2, writeFeature, ctx);
  }
  for (const key of ctx.keys) pbf.writeStringField(3, key);
  for (const value of ctx.values) pbf.writeMessage(4, writeValue, value);
  pbf.writeVarintField(5, layer.extent ?? 4096);
}

function writeFeature(ctx: LayerContext, pbf: PbfWriter): void {
  const f = ctx.feature;
  if (typeof f.id === 'number' && Number.isSafeInteger(f.id) && f.id >= 0) pbf.writeVarintField(1, f.id);
  pbf.writeMessage(2, writeTags, ctx);
  pbf.writeVarintField(3, f.type);
  pbf.writeMessage(4, writeGeometry, f);
}

function writeTags(ctx: LayerContext, pbf: PbfWriter): void {
  const tags = ctx.feature.tags;
  if (!tags) return;
  for (const key in tags) {
    const value = tags[key];
    if (value === null || value === undefined) continue;
    let k = ctx.keyIndex.get(key);
    if (k === undefined) {
      k = ctx.keys.push(key) - 1;
      ctx.keyIndex.set(key, k);
    }
    // The type prefix keeps 1 and "1" apart.
    const vKey = `${typeof value}:${value}`;
    let v = ctx.valueIndex.get(vKey);
    if (v === undefined) {
      v = ctx.values.push(value) - 1;
      ctx.valueIndex.set(vKey, v);
    }
    pbf.writeVarint(k);
    pbf.writeVarint(v);
  }
}

function writeValue(value: string | number | boolean, pbf: PbfWriter): void {
  if (typeof value === 'string') pbf.writeStringField(1, value);
  else if (typeof value === 'boolean') pbf.writeBooleanField(7, value);
  else if (!Number.isInteger(value)) pbf.writeDoubleField(3, value);
  else if (value < 0) pbf.writeSVarintField(6, value);
  else pbf.writeVarintField(5, value);
}

const command = (id: number, count: number) => (count << 3) | (id & 0x7);
const zigzag = (n: number) => (n << 1) ^ (n >> 31);

function writeGeometry(f: MvtFeature, pbf: PbfWriter): void {
  let x = 0;
  let y = 0;
  if (f.type === MVT_POINT) {
    const points = f.geometry;
    pbf.writeVarint(command(CMD_MOVE_TO, points.length));
    for (const p of points) {
      const px = Math.round(p[0]);
      const py = Math.round(p[1]);
      pbf.writeVarint(zigzag(px - x));
      pbf.writeVarint(zigzag(py - y));
      x = px;
      y = py;
    }
    return;
  }
  for (const ring of f.geometry) {
    let n = ring.length;
    // A polygon ring is closed by ClosePath, not by repeating its first point.
    if (f.type === MVT_POLYGON && n > 1 && ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1]) n--;
    if (n === 0) continue;
    for (let i = 0; i < n; i++) {
      if (i === 0) pbf.writeVarint(command(CMD_MOVE_TO, 1));
      else if (i === 1) pbf.writeVarint(command(CMD_LINE_TO, n - 1));
      const px = Math.round(ring[i][0]);
      const py = Math.round(ring[i][1]);
      pbf.writeVarint(zigzag(px - x));
      pbf.writeVarint(zigzag(py - y));
      x = px;
      y = py;
    }
    if (f.type === MVT_POLYGON) pbf.writeVarint(command(CMD_CLOSE_PATH, 1));
  }
}
