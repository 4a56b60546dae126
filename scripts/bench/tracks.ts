/**
 * Walked tracks: how long a plan's progress and its display tracks take for a day of many teams (the
 * pool's `tracks.progress` / `tracks.walked` tasks, pure, from memory; SQLite not timed). Each team walks
 * its back streets and between them at 1.2 m/s with a fix every 5 s for `--hours`, from `--phones`
 * phones; the streets are straight lines of 300 m laid out on a grid. Prints JSON.
 *
 *   npx tsx scripts/bench/tracks.ts [--teams 20] [--stops 25] [--phones 2] [--hours 8] [--runs 3]
 */
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import type { Plan, PlannedStopOut, PlannedTeam } from '../../server/contract/plans';
import { planProgress, walkedTracks } from '../../server/services/tracks/progress';
import type { TrackPointRow } from '../../server/store/tracks';

const { values } = parseArgs({
  options: {
    teams: { type: 'string', default: '20' },
    stops: { type: 'string', default: '25' },
    phones: { type: 'string', default: '2' },
    hours: { type: 'string', default: '8' },
    runs: { type: 'string', default: '3' },
  },
});
const [nTeams, nStops, nPhones, hours, runs] = [values.teams, values.stops, values.phones, values.hours, values.runs].map(Number);

const O: [number, number] = [116, 36.45];
const M_LAT = 1 / 111_195;
const M_LNG = 1 / (111_195 * Math.cos((O[1] * Math.PI) / 180));
const at = (east: number, north: number): [number, number] => [O[0] + east * M_LNG, O[1] + north * M_LAT];
const STREET_M = 300;
const T0 = Date.parse('2026-03-20T08:30:00+08:00');

function teamOf(t: number): PlannedTeam {
  // Each team its own 2 km × 2 km block: its streets on rows 80 m apart.
  const ox = (t % 5) * 2500;
  const oy = Math.floor(t / 5) * 2500;
  const stops: PlannedStopOut[] = Array.from({ length: nStops }, (_, k) => {
    const a = at(ox + (k % 5) * 400, oy + Math.floor(k / 5) * 80);
    const b = at(ox + (k % 5) * 400 + STREET_M, oy + Math.floor(k / 5) * 80);
    return {
      id: `bs-${t}-${k}`,
      kind: 'back-street',
      name: `街巷 ${t}-${k}`,
      address: null,
      subdistrictId: null,
      subdistrictName: null,
      unitName: null,
      category: null,
      lngLat: a,
      otherEnd: b,
      line: [a, b],
      dwellS: 250,
      priority: 1,
      windows: [],
      seq: k + 1,
      locked: false,
      reversed: false,
      arrival: '',
      start: '',
      departure: '',
      travelS: 0,
      travelM: 0,
      waitS: 0,
      lateS: 0,
      missingSkills: [],
    };
  });
  const route = stops.flatMap((s) => [s.lngLat, s.otherEnd!]);
  return {
    index: t,
    name: `${t + 1}组`,
    color: '#c00',
    start: route[0],
    end: null,
    shiftStart: '08:30',
    budgetS: hours * 3600,
    skills: [],
    stops,
    travelS: 0,
    travelM: 0,
    dwellS: 0,
    durationS: 0,
    startAt: '',
    endAt: '',
    overBudgetS: 0,
    geometry: { type: 'LineString', coordinates: route },
  } as PlannedTeam;
}

/** A phone walking the team's route at 1.2 m/s, a fix every 5 s with a few metres of noise, for `hours`. */
function walk(team: PlannedTeam, userId: number, seed: number): TrackPointRow[] {
  const line = team.geometry!.coordinates as [number, number][];
  let rnd = seed;
  const noise = () => ((rnd = (rnd * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31 - 0.5) * 8;
  const out: TrackPointRow[] = [];
  let seg = 0;
  let along = 0;
  for (let i = 0; i < (hours * 3600) / 5; i++) {
    const [a, b] = [line[seg % line.length], line[(seg + 1) % line.length]];
    const lenM = Math.hypot((b[0] - a[0]) / M_LNG, (b[1] - a[1]) / M_LAT) || 1;
    along += 6;
    while (along > lenM) {
      along -= lenM;
      seg++;
    }
    const f = along / lenM;
    const p = [a[0] + (b[0] - a[0]) * f + noise() * M_LNG, a[1] + (b[1] - a[1]) * f + noise() * M_LAT];
    out.push({ id: `${team.index}-${userId}-${i}`, planId: 'bench', team: team.index, userId, atMs: T0 + i * 5000, lng: p[0], lat: p[1], accuracyM: 8 });
  }
  return out;
}

const teams = Array.from({ length: nTeams }, (_, t) => teamOf(t));
const plan = { id: 'bench', name: 'bench', date: '2026-03-20', teams } as unknown as Plan;
const points = teams.flatMap((t) => Array.from({ length: nPhones }, (_, p) => walk(t, p + 1, t.index * 7 + p + 1)).flat());

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const progressMs: number[] = [];
const walkedMs: number[] = [];
let progress = planProgress(plan, points);
for (let r = 0; r < runs; r++) {
  let t = performance.now();
  progress = planProgress(plan, points);
  progressMs.push(performance.now() - t);
  t = performance.now();
  const fc = walkedTracks(plan, points);
  walkedMs.push(performance.now() - t);
  if (fc.features.length !== nTeams) throw new Error('every team should have a track');
}
const vertices = walkedTracks(plan, points).features.reduce((n, f) => n + f.geometry.coordinates.flat().length, 0);
console.log(
  JSON.stringify(
    {
      bench: 'tracks',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', node: process.version },
      day: { teams: nTeams, stopsPerTeam: nStops, phonesPerTeam: nPhones, hours, fixes: points.length },
      progressMs: { median: Math.round(median(progressMs)), runs: progressMs.map(Math.round) },
      walkedTracksMs: { median: Math.round(median(walkedMs)), runs: walkedMs.map(Math.round) },
      displayVertices: vertices,
      sample: { walkedM: progress.teams[0].walkedM, reached: progress.teams[0].reached, backStreetShare: progress.teams[0].backStreetShare },
    },
    null,
    2,
  ),
);
