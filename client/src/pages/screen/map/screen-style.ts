/**
 * The basemap style for the wall: the app's style (map-style.ts) with every text size, line width and
 * circle radius scaled by the screen's design factor. MapLibre draws in CSS pixels, and a 4K wall PC
 * runs at device pixel ratio 1, so at 3840×2160 the designed 12 px street label would be half the size
 * the rest of the screen (laid out in 1920×1080 units, screen.css `--u`) gives its type. Pure data in,
 * data out.
 */
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';

/** The design frame of screen.css: one unit is a pixel of a 1920×1080 screen. */
export const DESIGN_WIDTH = 1920;
export const DESIGN_HEIGHT = 1080;
/**
 * The desk map's labels are designed for half a metre; the wall is read from five metres on a
 * screen about four times as wide as a laptop's, so labels get a quarter more on top of the design
 * factor (more than that and street names start dropping out for lack of room).
 */
export const WALL_TEXT_BOOST = 1.25;

/** screen.css's `--u` in CSS pixels: min(width / 1920, height / 1080). */
export function designFactor(width: number, height: number): number {
  if (!(width > 0 && height > 0)) return 1;
  return Math.min(width / DESIGN_WIDTH, height / DESIGN_HEIGHT);
}

/** Paint or layout properties holding a length in pixels, per layer type. */
const TEXT_KEYS = ['text-size'] as const;
const ICON_KEYS = ['icon-size'] as const;
const LINE_KEYS = ['line-width'] as const;
const CIRCLE_KEYS = ['circle-radius', 'circle-stroke-width'] as const;
const HALO_KEYS = ['text-halo-width'] as const;

/**
 * Scales a style property value by `k`: a number is multiplied; a zoom curve (`interpolate`/`step`
 * over `["zoom"]`) gets each output scaled (MapLibre only allows a zoom expression at the top level,
 * so it cannot be wrapped); any other expression is wrapped in `["*", k, …]`.
 */
export function scaleValue(value: unknown, k: number): unknown {
  if (typeof value === 'number') return value * k;
  if (!Array.isArray(value)) return value;
  const [op] = value;
  if (op === 'interpolate' || op === 'interpolate-hcl' || op === 'interpolate-lab') {
    // ["interpolate", type, input, stop1, out1, stop2, out2, …]
    return value.map((v, i) => (i >= 4 && i % 2 === 0 ? scaleValue(v, k) : v));
  }
  if (op === 'step') {
    // ["step", input, out0, stop1, out1, …]
    return value.map((v, i) => (i >= 2 && i % 2 === 0 ? scaleValue(v, k) : v));
  }
  return ['*', k, value];
}

/**
 * The style with text (and halos) scaled by `text` and lines, circles and icons by `line`. Layers without
 * such properties are returned as they are (same objects).
 */
export function scaleStyle(style: StyleSpecification, factors: { text: number; line: number }): StyleSpecification {
  const layers = style.layers.map((layer) => scaleLayer(layer, factors));
  return { ...style, layers };
}

function scaleLayer(layer: LayerSpecification, f: { text: number; line: number }): LayerSpecification {
  let layout = scaleProps(layer.layout as Record<string, unknown> | undefined, TEXT_KEYS, f.text);
  layout = scaleProps(layout, ICON_KEYS, f.line);
  let paint = layer.paint as Record<string, unknown> | undefined;
  paint = scaleProps(paint, LINE_KEYS, f.line);
  paint = scaleProps(paint, CIRCLE_KEYS, f.line);
  paint = scaleProps(paint, HALO_KEYS, f.text);
  if (layout === layer.layout && paint === layer.paint) return layer;
  return { ...layer, ...(layout ? { layout } : {}), ...(paint ? { paint } : {}) } as LayerSpecification;
}

function scaleProps(props: Record<string, unknown> | undefined, keys: readonly string[], k: number): Record<string, unknown> | undefined {
  if (!props || k === 1 || !keys.some((key) => key in props)) return props;
  const out = { ...props };
  for (const key of keys) if (key in out) out[key] = scaleValue(out[key], k);
  return out;
}
