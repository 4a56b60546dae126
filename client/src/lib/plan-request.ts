/** The planner form's state and the POST /api/plans body it becomes. Pure. */
import type { PlanRequest } from '../../../server/contract/plans';
import type { LngLat } from '../../../server/contract/geo';

export type PlaceKindName = 'market' | 'community' | 'back-street';

export interface TeamDraft {
  name: string;
  start: LngLat;
  end: LngLat | null;
  /** What the start and end are called (a place picked, or what is at a clicked spot); null until known. */
  startName?: string | null;
  endName?: string | null;
  shiftStart: string;
  budgetH: number;
}

export interface FormState {
  date: string;
  profile: 'walk' | 'ebike' | 'car';
  teams: TeamDraft[];
  ids: string[];
  /** The three kinds every city has, and any other point type id of the catalog (bus-stop …). */
  kinds: string[];
  /** 区/县 ids: only stops in their subdistricts (absent in forms saved before districts). */
  districts?: string[];
  subdistricts: string[];
  /** 网格 ids (GET /api/grids): only stops inside them. */
  grids?: string[];
  openProblems: 'none' | 'open' | 'overdue' | 'lookBacks';
  hotspots: number;
  /** The N places unvisited longest (0 = none). */
  unvisited: number;
  sampleN: number;
  sampleSeed: number;
  polygon: LngLat[] | null;
  marketWindow: boolean;
  dwellMin: { market: number; community: number; problem: number };
  balance: boolean;
}

/** Markets are busiest, and most worth seeing, in the morning market hours. */
export const MARKET_BUSY_WINDOW = { start: '06:00', end: '09:00' } as const;

/** Today's date in the city (UTC+8), YYYY-MM-DD. */
export function cityToday(nowMs = Date.now()): string {
  return new Date(nowMs + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The `?stops=a,b,c` ids of a location search string (the hotspots page links here with them). */
export function stopsFromSearch(search: string): string[] {
  const raw = new URLSearchParams(search).get('stops') ?? '';
  return [
    ...new Set(
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** The request for the form: only the selection tools in use are sent. */
export function formToRequest(f: FormState): PlanRequest {
  const stops: PlanRequest['stops'] = {};
  if (f.ids.length) stops.ids = f.ids;
  if (f.kinds.length) stops.kinds = f.kinds;
  if (f.districts?.length) stops.districts = f.districts;
  if (f.subdistricts.length) stops.subdistricts = f.subdistricts;
  if (f.grids?.length) stops.grids = f.grids;
  if (f.polygon && f.polygon.length >= 3) stops.polygon = { type: 'Polygon', coordinates: [[...f.polygon, f.polygon[0]]] };
  if (f.openProblems === 'lookBacks') stops.lookBacks = true;
  else if (f.openProblems !== 'none') stops.openProblems = f.openProblems === 'overdue' ? 'overdue' : true;
  if (f.hotspots > 0) stops.recurringHotspots = f.hotspots;
  if (f.unvisited > 0) stops.longestUnvisited = f.unvisited;
  if (f.sampleN > 0) stops.sample = { n: f.sampleN, seed: f.sampleSeed };
  return {
    date: f.date,
    profile: f.profile,
    teams: f.teams.map((t) => ({
      name: t.name.trim() || 'Team',
      start: t.start,
      end: t.end,
      // Unnamed, the server names them by what is there.
      ...(t.startName ? { startName: t.startName } : {}),
      ...(t.end && t.endName ? { endName: t.endName } : {}),
      shiftStart: t.shiftStart,
      budgetS: Math.max(1, Math.round(t.budgetH * 3600)),
    })),
    stops,
    dwell: { market: f.dwellMin.market * 60, community: f.dwellMin.community * 60, problem: f.dwellMin.problem * 60 },
    ...(f.marketWindow ? { windows: { market: [MARKET_BUSY_WINDOW] } } : {}),
    balance: f.balance,
  };
}
