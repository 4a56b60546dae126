/**
 * The planner page's pure logic: the draft a user edits (stops per team), moving stops, the PUT body
 * it becomes, and the map overlay of a plan. No React, no fetch: unit-tested on their own.
 */
import type { Plan, PlanEdit } from '../../../server/contract/plans';
import type { LngLat } from '../../../server/contract/geo';

/** Stop ids per team in the order wanted, plus which are locked. */
export interface Draft {
  teams: string[][];
  locked: Set<string>;
}

/** The draft of a plan as the server returned it. */
export function draftOf(plan: Plan): Draft {
  return {
    teams: plan.teams.map((t) => t.stops.map((s) => s.id)),
    locked: new Set(plan.teams.flatMap((t) => t.stops.filter((s) => s.locked).map((s) => s.id))),
  };
}

/**
 * Moves stop `id` to position `index` of team `team` (clamped; the stop's own slot is removed first,
 * so "before the stop below me" works within one team as across teams). A dropped stop may be put
 * into a route the same way.
 */
export function moveStop(d: Draft, id: string, team: number, index: number): Draft {
  const teams = d.teams.map((list) => list.filter((x) => x !== id));
  const from = d.teams.findIndex((list) => list.includes(id));
  let at = index;
  // Moving down within a team: the slot it leaves shifts the target up by one.
  if (from === team && d.teams[team].indexOf(id) < index) at -= 1;
  at = Math.max(0, Math.min(at, teams[team].length));
  teams[team].splice(at, 0, id);
  return { teams, locked: d.locked };
}

/** Takes a stop out of every route (it becomes dropped, "removed"). */
export function removeStop(d: Draft, id: string): Draft {
  const locked = new Set(d.locked);
  locked.delete(id);
  return { teams: d.teams.map((list) => list.filter((x) => x !== id)), locked };
}

/** Flips a stop's lock. */
export function toggleLock(d: Draft, id: string): Draft {
  const locked = new Set(d.locked);
  if (locked.has(id)) locked.delete(id);
  else locked.add(id);
  return { teams: d.teams, locked };
}

/** True when the draft differs from the plan (order, team or locks). */
export function isDirty(plan: Plan, d: Draft): boolean {
  const base = draftOf(plan);
  if (base.teams.length !== d.teams.length) return true;
  if (base.teams.some((list, i) => list.join('\u0000') !== d.teams[i].join('\u0000'))) return true;
  if (base.locked.size !== d.locked.size) return true;
  for (const id of d.locked) if (!base.locked.has(id)) return true;
  return false;
}

/**
 * The PUT body for a draft: the plan's teams as they are, with the draft's stops and locks. Back
 * streets' directions are left to the server, which walks each the way that is best where it now
 * stands in its route.
 */
export function editBody(plan: Plan, d: Draft, name?: string): PlanEdit {
  return {
    ...(name ? { name } : {}),
    teams: plan.teams.map((t, i) => ({
      name: t.name,
      start: t.start,
      end: t.end,
      startName: t.startName ?? null,
      endName: t.endName ?? null,
      shiftStart: t.shiftStart,
      budgetS: t.budgetS,
      skills: t.skills,
      stops: d.teams[i].map((id) => ({ id, locked: d.locked.has(id) })),
    })),
  };
}

/**
 * The plan on the map: each team's route in its colour, numbered stops (white-ringed circles with
 * the sequence), team starts (起) and ends (终), dropped stops as small grey dots.
 */
export function planOverlay(plan: Plan, startMark: string, endMark: string): GeoJSON.FeatureCollection {
  const features: GeoJSON.Feature[] = [];
  for (const t of plan.teams) {
    if (t.geometry) features.push({ type: 'Feature', geometry: t.geometry as GeoJSON.LineString, properties: { color: t.color, width: 4 } });
  }
  for (const s of plan.dropped) {
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: s.lngLat }, properties: { color: '#94a3b8', radius: 5 } });
  }
  for (const t of plan.teams) {
    features.push(point(t.start, { color: '#15803d', label: startMark, radius: 10 }));
    if (t.end) features.push(point(t.end, { color: '#b91c1c', label: endMark, radius: 10 }));
    for (const s of t.stops) features.push(point(s.lngLat, { color: t.color, label: String(s.seq), radius: 9 }));
  }
  return { type: 'FeatureCollection', features };
}

function point(c: LngLat, properties: Record<string, unknown>): GeoJSON.Feature {
  return { type: 'Feature', geometry: { type: 'Point', coordinates: c }, properties };
}

/** A team's settings as the form holds them (the PUT body's team fields without stops). */
export type TeamParams = {
  name: string;
  start: [number, number];
  end?: [number, number] | null;
  startName?: string | null;
  endName?: string | null;
  shiftStart: string;
  budgetS: number;
};

/** True when the form's teams differ from the plan's (same count assumed; a new count needs a new plan). */
export function teamsChanged(plan: Plan, teams: readonly TeamParams[]): boolean {
  if (teams.length !== plan.teams.length) return false;
  return plan.teams.some((t, i) => {
    const f = teams[i];
    const same = (a: readonly number[] | null | undefined, b: readonly number[] | null | undefined) =>
      (a ?? null) === (b ?? null) || (!!a && !!b && a[0] === b[0] && a[1] === b[1]);
    return (
      t.name !== f.name ||
      t.shiftStart !== f.shiftStart ||
      t.budgetS !== f.budgetS ||
      !same(t.start, f.start) ||
      !same(t.end, f.end) ||
      (f.startName !== undefined && (t.startName ?? null) !== f.startName) ||
      (f.endName !== undefined && (t.endName ?? null) !== f.endName)
    );
  });
}

/** The PUT body with the form's team settings (start, end, shift, budget, name) when the count matches. */
export function withTeamParams(body: PlanEdit, teams: readonly TeamParams[]): PlanEdit {
  if (teams.length !== body.teams.length) return body;
  return {
    ...body,
    teams: body.teams.map((t, i) => ({
      ...t,
      name: teams[i].name,
      start: teams[i].start,
      end: teams[i].end ?? null,
      ...(teams[i].startName !== undefined ? { startName: teams[i].startName } : {}),
      ...(teams[i].endName !== undefined ? { endName: teams[i].endName } : {}),
      shiftStart: teams[i].shiftStart,
      budgetS: teams[i].budgetS,
    })),
  };
}
