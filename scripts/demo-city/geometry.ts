/**
 * Plane geometry in the city's plan space (metres, x east, y north before the warp). Pure helpers used by
 * the street network, the places and the tests' expectations; no I/O.
 */

/** A point in metres. */
export type XY = [x: number, y: number];

/** Signed area (m²): positive for counter-clockwise rings. The ring is not closed (last ≠ first). */
export function signedArea(ring: readonly XY[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return sum / 2;
}

/** Area centroid of a simple ring. */
export function centroid(ring: readonly XY[]): XY {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    a += f;
    cx += (ring[j][0] + ring[i][0]) * f;
    cy += (ring[j][1] + ring[i][1]) * f;
  }
  if (Math.abs(a) < 1e-9) return [ring[0][0], ring[0][1]];
  return [cx / (3 * a), cy / (3 * a)];
}

/** Bounding box [minX, minY, maxX, maxY] of points. */
export function bboxOf(points: readonly XY[]): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of points) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

/**
 * Where segments AB and CD cross: parameters t along AB and s along CD (both in [0, 1] when they
 * cross), or null when they are parallel.
 */
export function segmentParams(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): { t: number; s: number } | null {
  const rx = bx - ax;
  const ry = by - ay;
  const sx = dx - cx;
  const sy = dy - cy;
  const den = rx * sy - ry * sx;
  if (Math.abs(den) < 1e-12) return null;
  const qx = cx - ax;
  const qy = cy - ay;
  return { t: (qx * sy - qy * sx) / den, s: (qx * ry - qy * rx) / den };
}

/** True when segments AB and CD intersect (touching counts). */
export function segmentsIntersect(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): boolean {
  const p = segmentParams(ax, ay, bx, by, cx, cy, dx, dy);
  return p !== null && p.t >= 0 && p.t <= 1 && p.s >= 0 && p.s <= 1;
}

/** Distance (m) from P to segment AB, and the parameter of the closest point. */
export function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): { d: number; t: number } {
  const vx = bx - ax;
  const vy = by - ay;
  const len2 = vx * vx + vy * vy;
  let t = len2 === 0 ? 0 : ((px - ax) * vx + (py - ay) * vy) / len2;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const ex = ax + t * vx - px;
  const ey = ay + t * vy - py;
  return { d: Math.sqrt(ex * ex + ey * ey), t };
}

/** Length (m) of a polyline. */
export function polylineLength(line: readonly XY[]): number {
  let sum = 0;
  for (let i = 1; i < line.length; i++) sum += Math.hypot(line[i][0] - line[i - 1][0], line[i][1] - line[i - 1][1]);
  return sum;
}

/** The point `distance` metres along a polyline (clamped to its ends), with the unit direction there. */
export function pointAlong(line: readonly XY[], distance: number): { p: XY; dir: XY } {
  let rest = Math.max(0, distance);
  for (let i = 1; i < line.length; i++) {
    const dx = line[i][0] - line[i - 1][0];
    const dy = line[i][1] - line[i - 1][1];
    const len = Math.hypot(dx, dy);
    if (len === 0) continue;
    if (rest <= len || i === line.length - 1) {
      const t = Math.min(1, rest / len);
      return { p: [line[i - 1][0] + t * dx, line[i - 1][1] + t * dy], dir: [dx / len, dy / len] };
    }
    rest -= len;
  }
  return { p: [line[0][0], line[0][1]], dir: [1, 0] };
}

/**
 * Shrinks a convex counter-clockwise ring by moving edge i `d[i]` metres inwards (or every edge `d`).
 * Returns null when the ring collapses (too small for the inset).
 */
export function insetConvex(ring: readonly XY[], dist: number | readonly number[]): XY[] | null {
  const n = ring.length;
  const lines: { px: number; py: number; dx: number; dy: number }[] = [];
  for (let i = 0; i < n; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % n];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len < 1e-6) continue;
    const d = typeof dist === 'number' ? dist : dist[i];
    const dx = (b[0] - a[0]) / len;
    const dy = (b[1] - a[1]) / len;
    // Inward normal of a CCW ring is the left normal (-dy, dx).
    lines.push({ px: a[0] - dy * d, py: a[1] + dx * d, dx, dy });
  }
  const out: XY[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l1 = lines[(i + lines.length - 1) % lines.length];
    const l2 = lines[i];
    const den = l1.dx * l2.dy - l1.dy * l2.dx;
    if (Math.abs(den) < 1e-9) {
      out.push([l2.px, l2.py]);
      continue;
    }
    const t = ((l2.px - l1.px) * l2.dy - (l2.py - l1.py) * l2.dx) / den;
    out.push([l1.px + t * l1.dx, l1.py + t * l1.dy]);
  }
  if (out.length < 3 || signedArea(out) <= 0) return null;
  // A collapsed inset flips edges: every inset edge must keep the direction of its source edge.
  for (let i = 0; i < out.length; i++) {
    const a = out[i];
    const b = out[(i + 1) % out.length];
    if ((b[0] - a[0]) * lines[i].dx + (b[1] - a[1]) * lines[i].dy <= 0) return null;
  }
  return out;
}

/** Shortest distance (m) from a point to a polyline. */
export function distanceToPolyline(x: number, y: number, line: readonly XY[]): number {
  let best = Infinity;
  for (let i = 1; i < line.length; i++) {
    const { d } = distanceToSegment(x, y, line[i - 1][0], line[i - 1][1], line[i][0], line[i][1]);
    if (d < best) best = d;
  }
  return best;
}

/**
 * Clips a ring to the rectangle [minX, minY, maxX, maxY] (Sutherland–Hodgman). Good for areas; the
 * result may carry zero-width seams when the ring leaves and re-enters.
 */
export function clipRingToRect(ring: readonly XY[], rect: readonly [number, number, number, number]): XY[] {
  let out: XY[] = [...ring];
  const planes: [(p: XY) => boolean, (a: XY, b: XY) => XY][] = [
    [(p) => p[0] >= rect[0], (a, b) => lerpAt(a, b, (rect[0] - a[0]) / (b[0] - a[0]))],
    [(p) => p[0] <= rect[2], (a, b) => lerpAt(a, b, (rect[2] - a[0]) / (b[0] - a[0]))],
    [(p) => p[1] >= rect[1], (a, b) => lerpAt(a, b, (rect[1] - a[1]) / (b[1] - a[1]))],
    [(p) => p[1] <= rect[3], (a, b) => lerpAt(a, b, (rect[3] - a[1]) / (b[1] - a[1]))],
  ];
  for (const [inside, cross] of planes) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i];
      const prev = input[(i + input.length - 1) % input.length];
      if (inside(cur)) {
        if (!inside(prev)) out.push(cross(prev, cur));
        out.push(cur);
      } else if (inside(prev)) {
        out.push(cross(prev, cur));
      }
    }
    if (out.length === 0) break;
  }
  return out;
}

function lerpAt(a: XY, b: XY, t: number): XY {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
}
