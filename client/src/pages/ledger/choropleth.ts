/**
 * The rankings choropleth as SVG paths: subdistrict polygons projected into a box (equirectangular,
 * longitudes shrunk by cos(latitude), which is exact enough for a district), coloured from black (lowest
 * score, 黑榜) to red (highest, 红榜). Pure, so it is unit-tested.
 */

type Ring = readonly (readonly number[])[];
export type ShapeGeometry = { type: 'Polygon'; coordinates: readonly Ring[] } | { type: 'MultiPolygon'; coordinates: readonly (readonly Ring[])[] };

export interface ChoroplethShape {
  id: string;
  name: string;
  path: string;
  /** Label position in the SVG box. */
  label: [number, number];
}

/** Paths of `shapes` fitted into `width` × `height` (y down), with `pad` px around. */
export function projectShapes(
  shapes: readonly { id: string; name: string; geometry: ShapeGeometry }[],
  width: number,
  height: number,
  pad = 8,
): ChoroplethShape[] {
  const rings = (g: ShapeGeometry): readonly Ring[] => (g.type === 'Polygon' ? g.coordinates : g.coordinates.flat());
  let w = Infinity,
    s = Infinity,
    e = -Infinity,
    n = -Infinity;
  for (const sh of shapes)
    for (const r of rings(sh.geometry))
      for (const [x, y] of r) {
        w = Math.min(w, x);
        e = Math.max(e, x);
        s = Math.min(s, y);
        n = Math.max(n, y);
      }
  if (w === Infinity) return [];
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const scale = Math.min((width - 2 * pad) / Math.max((e - w) * k, 1e-12), (height - 2 * pad) / Math.max(n - s, 1e-12));
  const ox = (width - (e - w) * k * scale) / 2;
  const oy = (height - (n - s) * scale) / 2;
  const px = (x: number) => ox + (x - w) * k * scale;
  const py = (y: number) => oy + (n - y) * scale;
  return shapes.map((sh) => {
    let bw = Infinity,
      bs = Infinity,
      be = -Infinity,
      bn = -Infinity;
    const d = rings(sh.geometry)
      .map(
        (r) =>
          r
            .map(([x, y], i) => {
              bw = Math.min(bw, x);
              be = Math.max(be, x);
              bs = Math.min(bs, y);
              bn = Math.max(bn, y);
              return `${i ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`;
            })
            .join('') + 'Z',
      )
      .join('');
    return { id: sh.id, name: sh.name, path: d, label: [px((bw + be) / 2), py((bs + bn) / 2)] };
  });
}

/** Black (#222222) at the lowest score to red (#c8102e) at the highest; all red when every score is equal. */
export function scoreColor(score: number, min: number, max: number): string {
  const t = max > min ? (score - min) / (max - min) : 1;
  const mix = (a: number, b: number) =>
    Math.round(a + (b - a) * t)
      .toString(16)
      .padStart(2, '0');
  return `#${mix(0x22, 0xc8)}${mix(0x22, 0x10)}${mix(0x22, 0x2e)}`;
}
