/** What the planner draws over the map: the open plan, or the teams' start and end points, and the drawn area. Pure. */
import type { Plan } from '../../api/plans';
import type { LngLat } from '../../api/types';
import { TEAM_COLORS } from '../../../../server/contract/team-colors';
import { planOverlay } from '../../lib/plan-edit';
import type { FormState } from '../../lib/plan-request';

const AREA_COLOR = '#1d3b64';

export interface PlanOverlayInput {
  plan: Plan | null;
  teams: FormState['teams'];
  /** The area as set in the form, closed when drawn. */
  polygon: LngLat[] | null;
  /** The vertices clicked so far while drawing an area; null when not drawing. */
  drawing: LngLat[] | null;
  startMark: string;
  endMark: string;
}

/** The overlay's features (overlay.ts says how their properties are drawn). */
export function planMapOverlay(p: PlanOverlayInput): GeoJSON.FeatureCollection {
  const features = p.plan ? [...planOverlay(p.plan, p.startMark, p.endMark).features] : [];
  if (!p.plan) {
    p.teams.forEach((tm, i) => {
      const color = TEAM_COLORS[i % TEAM_COLORS.length];
      features.push(point(tm.start, { color, label: p.startMark, radius: 10 }));
      if (tm.end) features.push(point(tm.end, { color, label: p.endMark, radius: 10 }));
    });
  }
  const ring = p.drawing ?? p.polygon;
  if (ring && ring.length > 0) {
    // While drawing the ring stays open; a finished area is drawn closed.
    const line = p.drawing ? ring : [...ring, ring[0]];
    if (line.length >= 2)
      features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: line }, properties: { color: AREA_COLOR, dashed: true } });
    for (const c of ring) features.push(point(c, { color: AREA_COLOR, radius: 4 }));
  }
  return { type: 'FeatureCollection', features };
}

function point(c: LngLat, properties: Record<string, unknown>): GeoJSON.Feature {
  return { type: 'Feature', geometry: { type: 'Point', coordinates: c }, properties };
}
