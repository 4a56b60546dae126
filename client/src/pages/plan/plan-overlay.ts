/**
 * What the planner draws over the map: the open plan, or the teams' start and end points, and the drawn
 * area; with a walked track, the team's walked line solid and its planned route dashed beside it, and
 * each team's latest position as a dot, greyed once it has faded. Pure.
 */
import type { Plan } from '../../api/plans';
import type { WalkedTracks } from '../../api/tracks';
import type { LngLat } from '../../api/types';
import { TEAM_COLORS } from '../../../../server/contract/team-colors';
import { planOverlay } from '../../lib/plan-edit';
import type { FormState } from '../../lib/plan-request';
import { FADED_ALPHA, FADED_RGB } from '../../lib/team-positions';

const AREA_COLOR = '#1d3b64';
/** The walked line is drawn over the planned one, wider: the record of where the team went. */
const WALKED_WIDTH = 5;
const POSITION_RADIUS = 7;
const POSITION_HALO_RADIUS = 16;

export interface PlanOverlayInput {
  plan: Plan | null;
  teams: FormState['teams'];
  /** The area as set in the form, closed when drawn. */
  polygon: LngLat[] | null;
  /** The vertices clicked so far while drawing an area; null when not drawing. */
  drawing: LngLat[] | null;
  startMark: string;
  endMark: string;
  /** The open plan's walked tracks (one feature per team that has fixes); omitted or null: none. */
  walked?: WalkedTracks | null;
  /** Each team's latest position, and whether it has faded (no fix for TRACK_FADE_MS). */
  positions?: readonly { team: number; lngLat: LngLat; faded: boolean }[];
}

/** The overlay's features (overlay.ts says how their properties are drawn). */
export function planMapOverlay(p: PlanOverlayInput): GeoJSON.FeatureCollection {
  const features = p.plan ? walkedBeside(p.plan, planOverlay(p.plan, p.startMark, p.endMark).features, p.walked ?? null) : [];
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
  if (p.plan) {
    for (const pos of p.positions ?? []) {
      const team = p.plan.teams[pos.team];
      if (!team) continue;
      if (pos.faded) {
        features.push(point(pos.lngLat, { color: `rgba(${FADED_RGB.join(', ')}, ${FADED_ALPHA})`, radius: POSITION_RADIUS, position: pos.team, faded: true }));
        continue;
      }
      // A halo around a live position: a team standing at a stop is not hidden in the stop's numbered dot.
      if (/^#[0-9a-f]{6}$/i.test(team.color)) features.push(point(pos.lngLat, { color: `${team.color}4d`, radius: POSITION_HALO_RADIUS, halo: pos.team }));
      features.push(point(pos.lngLat, { color: team.color, radius: POSITION_RADIUS, position: pos.team, faded: false }));
    }
  }
  return { type: 'FeatureCollection', features };
}

/**
 * The plan's features with each walked team's planned route dashed and its walked parts (LineStrings:
 * the overlay's line layers match that geometry type) before the points, so stops and positions stay on top.
 */
function walkedBeside(plan: Plan, planned: readonly GeoJSON.Feature[], walked: WalkedTracks | null): GeoJSON.Feature[] {
  const tracks = walked?.features.filter((f) => plan.teams[f.properties.team]) ?? [];
  if (tracks.length === 0) return [...planned];
  const walkedGeometry = new Set<unknown>(tracks.map((f) => plan.teams[f.properties.team].geometry).filter((g) => g));
  const lines: GeoJSON.Feature[] = [];
  const rest: GeoJSON.Feature[] = [];
  for (const f of planned) {
    if (f.geometry.type !== 'LineString') rest.push(f);
    else if (walkedGeometry.has(f.geometry)) lines.push({ ...f, properties: { ...f.properties, dashed: true, planned: true } });
    else lines.push(f);
  }
  for (const f of tracks) {
    const color = plan.teams[f.properties.team].color;
    for (const part of f.geometry.coordinates)
      lines.push({
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: part },
        properties: { color, width: WALKED_WIDTH, walked: f.properties.team },
      });
  }
  return [...lines, ...rest];
}

function point(c: LngLat, properties: Record<string, unknown>): GeoJSON.Feature {
  return { type: 'Feature', geometry: { type: 'Point', coordinates: c }, properties };
}
