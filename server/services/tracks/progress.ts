/**
 * Planned against walked (pure): from a plan and the fixes its teams' phones sent, each team's walked
 * distance, the stops it reached and when, the share of each back street it walked, and its detours.
 *
 * Distances are taken on a local plane (metres east and north of the plan's first team start): at city
 * scale the error is under 0.1 %, and a point-to-segment distance is then two multiplications.
 */
import type { Plan, PlannedStopOut, PlannedTeam } from '../../contract/plans';
import { EARTH_RADIUS_M } from '../../contract/geo';
import { toCityIso } from '../../contract/city-time';
import { COVERAGE_M, DETOUR_M, STOP_REACHED_M, TRACK_GAP_MS } from '../../contract/track-rules';
import type { PlanProgress, StopProgress, StreetProgress, TeamProgress, WalkedTrack, WalkedTracks } from '../../contract/tracks';
import type { TrackPointRow } from '../../store/tracks';

/** A street is sampled this often along its length to measure how much of it was walked (m): the share is exact to a metre. */
const STREET_SAMPLE_M = 1;
/** A walked segment is sampled this often to measure how much of it lies off the planned route (m). */
const DETOUR_SAMPLE_M = 10;
/** Tolerance of the simplified line drawn for display (m): a street's width. */
const DISPLAY_TOLERANCE_M = 5;

interface Plane {
  x(lng: number): number;
  y(lat: number): number;
}

function planeAt(lng0: number, lat0: number): Plane {
  const k = (Math.PI / 180) * EARTH_RADIUS_M;
  const kx = k * Math.cos(lat0 * (Math.PI / 180));
  return { x: (lng) => (lng - lng0) * kx, y: (lat) => (lat - lat0) * k };
}

/** A segment on the plane (a single fix is a segment of length 0). */
interface Seg {
  ax: number;
  ay: number;
  bx: number;
  by: number;
}

function distToSeg(px: number, py: number, s: Seg): number {
  const dx = s.bx - s.ax;
  const dy = s.by - s.ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - s.ax) * dx + (py - s.ay) * dy) / len2));
  return Math.hypot(px - (s.ax + t * dx), py - (s.ay + t * dy));
}

/** Segments hashed into square cells, so "is anything within r of this point" looks at a few cells only. */
class SegmentGrid {
  private cells = new Map<string, Seg[]>();
  constructor(
    private readonly cell: number,
    segs: Iterable<Seg>,
  ) {
    for (const s of segs) {
      const x0 = Math.floor(Math.min(s.ax, s.bx) / cell);
      const x1 = Math.floor(Math.max(s.ax, s.bx) / cell);
      const y0 = Math.floor(Math.min(s.ay, s.by) / cell);
      const y1 = Math.floor(Math.max(s.ay, s.by) / cell);
      for (let cx = x0; cx <= x1; cx++)
        for (let cy = y0; cy <= y1; cy++) {
          const key = `${cx},${cy}`;
          const list = this.cells.get(key);
          if (list) list.push(s);
          else this.cells.set(key, [s]);
        }
    }
  }

  /** Whether a segment passes within `r` (at most the cell size) of the point. */
  near(px: number, py: number, r: number): boolean {
    const cx = Math.floor(px / this.cell);
    const cy = Math.floor(py / this.cell);
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++) {
        const list = this.cells.get(`${cx + dx},${cy + dy}`);
        if (list) for (const s of list) if (distToSeg(px, py, s) <= r) return true;
      }
    return false;
  }
}

/** One phone's fixes in time order, split where the phone went silent for longer than TRACK_GAP_MS. */
function partsOf(points: readonly TrackPointRow[]): TrackPointRow[][] {
  const parts: TrackPointRow[][] = [];
  let part: TrackPointRow[] = [];
  for (const p of points) {
    if (part.length > 0 && p.atMs - part[part.length - 1].atMs > TRACK_GAP_MS) {
      parts.push(part);
      part = [];
    }
    part.push(p);
  }
  if (part.length > 0) parts.push(part);
  return parts;
}

/** The fixes of each phone of a team (store order: team, account, time). */
function byPhone(points: readonly TrackPointRow[]): TrackPointRow[][] {
  const phones = new Map<number, TrackPointRow[]>();
  for (const p of points) {
    const list = phones.get(p.userId);
    if (list) list.push(p);
    else phones.set(p.userId, [p]);
  }
  for (const list of phones.values()) list.sort((a, b) => a.atMs - b.atMs || (a.id < b.id ? -1 : 1));
  return [...phones.values()];
}

function polylineLength(plane: Plane, line: readonly (readonly number[])[]): number {
  let m = 0;
  for (let i = 1; i < line.length; i++) m += Math.hypot(plane.x(line[i][0]) - plane.x(line[i - 1][0]), plane.y(line[i][1]) - plane.y(line[i - 1][1]));
  return m;
}

function segmentsOfLine(plane: Plane, line: readonly (readonly number[])[]): Seg[] {
  if (line.length === 1) {
    const x = plane.x(line[0][0]);
    const y = plane.y(line[0][1]);
    return [{ ax: x, ay: y, bx: x, by: y }];
  }
  const out: Seg[] = [];
  for (let i = 1; i < line.length; i++)
    out.push({ ax: plane.x(line[i - 1][0]), ay: plane.y(line[i - 1][1]), bx: plane.x(line[i][0]), by: plane.y(line[i][1]) });
  return out;
}

/** Points every `step` metres along a polyline on the plane, each standing for `weight` metres of it. */
function samplesAlong(segs: readonly Seg[], step: number): { x: number; y: number; weight: number }[] {
  const out: { x: number; y: number; weight: number }[] = [];
  for (const s of segs) {
    const len = Math.hypot(s.bx - s.ax, s.by - s.ay);
    if (len === 0) continue;
    const n = Math.max(1, Math.round(len / step));
    for (let k = 0; k < n; k++) {
      const t = (k + 0.5) / n;
      out.push({ x: s.ax + t * (s.bx - s.ax), y: s.ay + t * (s.by - s.ay), weight: len / n });
    }
  }
  return out;
}

/** A stop walked end to end (back street, road segment): its line as planned. */
const streetOf = (s: PlannedStopOut): readonly (readonly number[])[] | null => (s.line && s.line.length >= 2 ? s.line : null);

/**
 * What a team walked: consecutive fixes of one phone within a part (a lone fix is a point), and its
 * distance — the longest of its phones' (a team walks together; a second phone walks the same streets).
 */
function walkedBy(plane: Plane, phones: readonly (readonly TrackPointRow[][])[]): { walked: Seg[]; walkedM: number } {
  const walked: Seg[] = [];
  let walkedM = 0;
  for (const parts of phones) {
    let phoneM = 0;
    for (const part of parts) {
      const segs = segmentsOfLine(
        plane,
        part.map((p) => [p.lng, p.lat]),
      );
      for (const s of segs) phoneM += Math.hypot(s.bx - s.ax, s.by - s.ay);
      walked.push(...segs);
    }
    walkedM = Math.max(walkedM, phoneM);
  }
  return { walked, walkedM };
}

function teamProgress(plane: Plane, team: PlannedTeam, points: readonly TrackPointRow[]): TeamProgress {
  const phones = byPhone(points).map(partsOf);
  const { walked, walkedM } = walkedBy(plane, phones);
  const walkedGrid = new SegmentGrid(Math.max(STOP_REACHED_M, COVERAGE_M), walked);
  const fixes = [...points].sort((a, b) => a.atMs - b.atMs);
  const fixXY = fixes.map((p) => ({ x: plane.x(p.lng), y: plane.y(p.lat), atMs: p.atMs }));

  const stops: StopProgress[] = team.stops.map((s) => {
    const line = streetOf(s);
    const target = segmentsOfLine(plane, line ?? [s.lngLat]);
    let closest = Infinity;
    let reachedAt: number | null = null;
    for (const f of fixXY) {
      let d = Infinity;
      for (const t of target) d = Math.min(d, distToSeg(f.x, f.y, t));
      closest = Math.min(closest, d);
      if (reachedAt === null && d <= STOP_REACHED_M) reachedAt = f.atMs;
    }
    return {
      id: s.id,
      name: s.name,
      seq: s.seq,
      reached: reachedAt !== null,
      reachedAt: reachedAt === null ? null : toCityIso(reachedAt),
      closestM: fixXY.length === 0 ? null : Math.round(closest),
    };
  });

  let streetsM = 0;
  let coveredM = 0;
  const backStreets: StreetProgress[] = [];
  for (const s of team.stops) {
    const line = streetOf(s);
    if (!line) continue;
    const samples = samplesAlong(segmentsOfLine(plane, line), STREET_SAMPLE_M);
    const lengthM = samples.reduce((sum, p) => sum + p.weight, 0);
    const covered = samples.reduce((sum, p) => sum + (walkedGrid.near(p.x, p.y, COVERAGE_M) ? p.weight : 0), 0);
    streetsM += lengthM;
    coveredM += covered;
    backStreets.push({ id: s.id, name: s.name, lengthM: Math.round(lengthM), coveredShare: lengthM > 0 ? round3(covered / lengthM) : 0 });
  }

  // Off the plan: walked farther than DETOUR_M from the route, its stops and its streets.
  const planned: Seg[] = [
    ...(team.geometry ? segmentsOfLine(plane, team.geometry.coordinates) : []),
    ...team.stops.flatMap((s) => segmentsOfLine(plane, streetOf(s) ?? [s.lngLat])),
    ...segmentsOfLine(plane, [team.start]),
  ];
  const plannedGrid = new SegmentGrid(DETOUR_M, planned);
  let detourM = 0;
  for (const p of samplesAlong(walked, DETOUR_SAMPLE_M)) if (!plannedGrid.near(p.x, p.y, DETOUR_M)) detourM += p.weight;

  const last = fixes[fixes.length - 1];
  return {
    index: team.index,
    name: team.name,
    color: team.color,
    walkedM: Math.round(walkedM),
    plannedM: Math.round(team.travelM + team.stops.reduce((m, s) => m + (streetOf(s) ? polylineLength(plane, s.line!) : 0), 0)),
    detourM: Math.round(detourM),
    fixes: fixes.length,
    phones: phones.length,
    firstAt: fixes.length ? toCityIso(fixes[0].atMs) : null,
    lastAt: last ? toCityIso(last.atMs) : null,
    position: last ? { lngLat: [last.lng, last.lat], at: toCityIso(last.atMs) } : null,
    reached: stops.filter((s) => s.reached).length,
    stops,
    backStreets,
    backStreetShare: streetsM > 0 ? round3(coveredM / streetsM) : null,
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function planeOf(plan: Plan): Plane {
  const t = plan.teams[0];
  return t ? planeAt(t.start[0], t.start[1]) : planeAt(0, 0);
}

/** Fixes per team index (store order kept). */
function byTeam(points: readonly TrackPointRow[]): Map<number, TrackPointRow[]> {
  const out = new Map<number, TrackPointRow[]>();
  for (const p of points) {
    const list = out.get(p.team);
    if (list) list.push(p);
    else out.set(p.team, [p]);
  }
  return out;
}

/** Every team of `plan` against the fixes sent for it. */
export function planProgress(plan: Plan, points: readonly TrackPointRow[]): PlanProgress {
  const plane = planeOf(plan);
  const teams = byTeam(points);
  return { planId: plan.id, date: plan.date, teams: plan.teams.map((t) => teamProgress(plane, t, teams.get(t.index) ?? [])) };
}

/** Douglas–Peucker on the plane: the indices of `xy` kept within `tol` metres. */
function simplifiedIndices(xy: readonly { x: number; y: number }[], tol: number): number[] {
  if (xy.length <= 2) return xy.map((_, i) => i);
  const keep = new Uint8Array(xy.length);
  keep[0] = keep[xy.length - 1] = 1;
  const stack: [number, number][] = [[0, xy.length - 1]];
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    const seg = { ax: xy[a].x, ay: xy[a].y, bx: xy[b].x, by: xy[b].y };
    let far = -1;
    let farD = tol;
    for (let i = a + 1; i < b; i++) {
      const d = distToSeg(xy[i].x, xy[i].y, seg);
      if (d > farD) {
        far = i;
        farD = d;
      }
    }
    if (far >= 0) {
      keep[far] = 1;
      stack.push([a, far], [far, b]);
    }
  }
  const out: number[] = [];
  keep.forEach((k, i) => k && out.push(i));
  return out;
}

/** The walked tracks of `plan` for display: per team, each phone's parts simplified, with each vertex's time. */
export function walkedTracks(plan: Plan, points: readonly TrackPointRow[]): WalkedTracks {
  const plane = planeOf(plan);
  const teams = byTeam(points);
  const features: WalkedTrack[] = [];
  for (const team of plan.teams) {
    const pts = teams.get(team.index);
    if (!pts) continue;
    const coordinates: [number, number][][] = [];
    const times: number[][] = [];
    const phones = byPhone(pts).map(partsOf);
    for (const parts of phones)
      for (const part of parts) {
        const line = part.length === 1 ? [part[0], part[0]] : part;
        const kept = simplifiedIndices(
          line.map((p) => ({ x: plane.x(p.lng), y: plane.y(p.lat) })),
          DISPLAY_TOLERANCE_M,
        );
        coordinates.push(kept.map((i) => [line[i].lng, line[i].lat]));
        times.push(kept.map((i) => line[i].atMs));
      }
    const walkedM = Math.round(walkedBy(plane, phones).walkedM);
    features.push({
      type: 'Feature',
      geometry: { type: 'MultiLineString', coordinates },
      properties: { team: team.index, name: team.name, color: team.color, walkedM, times },
    });
  }
  return { type: 'FeatureCollection', features };
}
