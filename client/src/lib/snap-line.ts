/**
 * A back street drawn by hand, laid onto the streets: the walking route between each pair of its vertices,
 * joined end to end (GET /api/route). The clerk clicks a few points along the lane; the saved line then
 * follows the street network it is walked on, as the planner times it.
 */
import type { LngLat } from '../../../server/contract/geo';

export type RouteBetween = (from: LngLat, to: LngLat) => Promise<readonly (readonly number[])[]>;

/** Joins the routes between consecutive vertices, without repeating the shared ends. @throws what `route` throws (off the network: 422). */
export async function snapLine(vertices: readonly LngLat[], route: RouteBetween): Promise<LngLat[]> {
  const out: LngLat[] = [];
  for (let i = 1; i < vertices.length; i++) {
    const leg = await route(vertices[i - 1], vertices[i]);
    for (const c of leg) {
      const p: LngLat = [c[0], c[1]];
      const last = out[out.length - 1];
      if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
    }
  }
  return out;
}
