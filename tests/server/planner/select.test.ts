import { describe, expect, it } from 'vitest';
import { InputError } from '../../../server/errors';
import { checkPolygon, SelectionError, selectStops, type StopSource } from '../../../server/planner/select';
import type { Names, PlaceInput, ProblemInput } from '../../../server/planner/stops';
import { BACK_STREET_SPEED_MS } from '../../../server/planner/stops';

const places: PlaceInput[] = [
  {
    id: 'mk1',
    kind: 'market',
    name: '东关市场',
    subdistrictId: 'sd1',
    unitId: 'u1',
    address: '东关街 1 号',
    entrance: null,
    lengthM: null,
    geometry: { type: 'Point', coordinates: [116.0, 36.0] },
  },
  {
    id: 'mk2',
    kind: 'market',
    name: '西关市场',
    subdistrictId: 'sd2',
    unitId: 'u1',
    address: null,
    entrance: null,
    lengthM: null,
    geometry: { type: 'Point', coordinates: [116.02, 36.0] },
  },
  {
    id: 'cm1',
    kind: 'community',
    name: '幸福小区',
    subdistrictId: 'sd1',
    unitId: null,
    address: null,
    entrance: [116.001, 36.001],
    lengthM: null,
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [116.0, 36.0],
          [116.002, 36.0],
          [116.002, 36.002],
          [116.0, 36.0],
        ],
      ],
    },
  },
  {
    id: 'bs1',
    kind: 'back-street',
    name: '羊市街',
    subdistrictId: 'sd2',
    unitId: null,
    address: null,
    entrance: null,
    lengthM: 450,
    geometry: {
      type: 'LineString',
      coordinates: [
        [116.03, 36.0],
        [116.031, 36.001],
        [116.033, 36.002],
      ],
    },
  },
];
const problems: ProblemInput[] = [
  {
    id: 'p1',
    lngLat: [116.0001, 36.0001],
    category: 'occupy-road',
    description: '占道',
    status: 'assigned',
    overdue: true,
    subdistrictId: 'sd1',
    unitId: 'u1',
    placeId: 'mk1',
  },
  {
    id: 'p2',
    lngLat: [116.021, 36.0],
    category: 'small-ads',
    description: '小广告',
    status: 'reported',
    overdue: false,
    subdistrictId: 'sd2',
    unitId: 'u1',
    placeId: null,
  },
  {
    id: 'p3',
    lngLat: [116.031, 36.001],
    category: 'small-ads',
    description: '已清除',
    status: 'rectified',
    overdue: false,
    subdistrictId: 'sd2',
    unitId: 'u1',
    placeId: 'bs1',
  },
];
/** The store's answers as the planner reads them, kept synchronous here for brevity. */
type SyncSource = { [K in keyof StopSource]: (...args: Parameters<StopSource[K]>) => Awaited<ReturnType<StopSource[K]>> };
const promised = (s: SyncSource): StopSource =>
  Object.fromEntries(Object.entries(s).map(([k, f]) => [k, async (...args: never[]) => (f as (...a: never[]) => unknown)(...args)])) as unknown as StopSource;
const syncSource: SyncSource = {
  places: () => places,
  problemsByIds: (ids) => problems.filter((p) => ids.includes(p.id)),
  openProblems: (overdueOnly) => problems.filter((p) => !overdueOnly || p.overdue),
  recurringPlaces: () => [
    { placeId: 'bs1', count: 5 },
    { placeId: 'mk1', count: 2 },
  ],
  lookBacks: () => problems.filter((p) => p.status === 'rectified'),
  // mk2 and cm1 never checked; bs1 checked before mk1.
  lastVisits: () =>
    new Map([
      ['mk1', Date.parse('2026-03-10T09:00:00+08:00')],
      ['bs1', Date.parse('2026-03-01T09:00:00+08:00')],
    ]),
  // Two 网格: g-west around mk1 and cm1, g-east a MultiPolygon whose second part holds bs1's east end.
  gridAreas: (ids) =>
    ids.map((id) => {
      if (id === 'g-west') return box(115.99, 116.01);
      if (id === 'g-east') return { type: 'MultiPolygon' as const, coordinates: [box(116.1, 116.2).coordinates, box(116.032, 116.04).coordinates] };
      throw new Error(`no grid ${id}`);
    }),
};
function box(w: number, e: number) {
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [w, 35.99],
        [e, 35.99],
        [e, 36.01],
        [w, 36.01],
        [w, 35.99],
      ] as [number, number][],
    ],
  };
}
const names: Names = {
  subdistrict: (id) => (id ? `街道${id}` : null),
  unit: (id) => (id ? `单位${id}` : null),
  category: (id) => (id === 'occupy-road' ? { zh: '占道经营', en: 'Street vending' } : null),
};
const source = promised(syncSource);
const pick = async (sel: Parameters<typeof selectStops>[1]) => (await selectStops(source, sel, names)).map((s) => s.id);

describe('selectStops', () => {
  it('takes the places unvisited longest, never-checked first, the kinds in turn', async () => {
    // Kinds in turn, each kind stalest first: round 1 is cm1, mk2 (never checked), bs1 (03-01); round 2 mk1.
    expect(await pick({ longestUnvisited: 2 })).toEqual(['cm1', 'mk2']);
    expect(await pick({ longestUnvisited: 3 })).toEqual(['bs1', 'cm1', 'mk2']);
    expect(await pick({ longestUnvisited: 4 })).toEqual(['bs1', 'cm1', 'mk1', 'mk2']);
    expect(await pick({ longestUnvisited: 1, kinds: ['market'] })).toEqual(['mk2']);
    expect(await pick({ longestUnvisited: 2, kinds: ['market'], subdistricts: ['sd1'] })).toEqual(['mk1']);
  });

  it('takes the look-backs due as a pool of their own, narrowed by area like the others', async () => {
    expect(await pick({ lookBacks: true })).toEqual(['p3']);
    await expect(pick({ lookBacks: true, subdistricts: ['sd1'] })).rejects.toThrow(SelectionError);
  });

  it('builds a stop per kind: market point, community entrance, problem point, back street ends walked at 4.5 km/h', async () => {
    const stops = await selectStops(source, { ids: ['mk1', 'cm1', 'bs1', 'p1'] }, names, { market: 600 });
    expect(stops.map((s) => [s.id, s.kind, s.lngLat, s.otherEnd, s.dwellS, s.priority])).toEqual([
      ['mk1', 'market', [116.0, 36.0], null, 600, 1],
      ['cm1', 'community', [116.001, 36.001], null, 1200, 1],
      ['bs1', 'back-street', [116.03, 36.0], [116.033, 36.002], Math.round(450 / BACK_STREET_SPEED_MS), 1],
      ['p1', 'problem', [116.0001, 36.0001], null, 300, 3],
    ]);
    expect(stops[2].line).toEqual([
      [116.03, 36.0],
      [116.031, 36.001],
      [116.033, 36.002],
    ]);
    expect(stops[3].name).toBe('占道经营 · p1');
    expect(stops[0]).toMatchObject({ subdistrictName: '街道sd1', unitName: '单位u1', address: '东关街 1 号' });
  });

  it('applies windows per kind', async () => {
    const [mk] = await selectStops(source, { ids: ['mk1'] }, names, {}, { market: [{ start: '06:00', end: '09:00' }] });
    expect(mk.windows).toEqual([{ start: '06:00', end: '09:00' }]);
  });

  it('picks pools by kind, open or overdue problems and hotspots, narrowed by subdistrict', async () => {
    expect(await pick({ kinds: ['market'] })).toEqual(['mk1', 'mk2']);
    expect(await pick({ kinds: ['market'], subdistricts: ['sd2'] })).toEqual(['mk2']);
    expect(await pick({ openProblems: true })).toEqual(['p1', 'p2', 'p3']);
    expect(await pick({ openProblems: 'overdue' })).toEqual(['p1']);
    expect(await pick({ recurringHotspots: 1 })).toEqual(['bs1']);
    expect(await pick({ recurringHotspots: 1, subdistricts: ['sd1'] })).toEqual(['mk1']);
    expect(await pick({ subdistricts: ['sd1'] })).toEqual(['cm1', 'mk1']);
    expect(await pick({ ids: ['p2'], kinds: ['community'] })).toEqual(['p2', 'cm1']);
  });

  it('keeps pool stops inside a drawn polygon (a back street when an end or its middle is inside)', async () => {
    const around = box;
    expect(await pick({ kinds: ['market', 'community', 'back-street'], polygon: around(115.99, 116.01) })).toEqual(['cm1', 'mk1']);
    expect(await pick({ kinds: ['back-street'], polygon: around(116.032, 116.04) })).toEqual(['bs1']);
  });

  it('keeps pool stops inside the 网格 named (any of them; a MultiPolygon by any of its parts)', async () => {
    expect(await pick({ kinds: ['market', 'community', 'back-street'], grids: ['g-west'] })).toEqual(['cm1', 'mk1']);
    expect(await pick({ kinds: ['market', 'community', 'back-street'], grids: ['g-east'] })).toEqual(['bs1']);
    expect(await pick({ kinds: ['market', 'community', 'back-street'], grids: ['g-west', 'g-east'] })).toEqual(['bs1', 'cm1', 'mk1']);
    // A grid alone is a filter over every place, as a subdistrict alone is.
    expect(await pick({ grids: ['g-east'] })).toEqual(['bs1']);
  });

  it('refuses unknown ids with their positions, and empty or oversized selections', async () => {
    try {
      await pick({ ids: ['mk1', 'zz', 'p9'] });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).details.map((d) => d.path)).toEqual(['json.stops.ids.1', 'json.stops.ids.2']);
    }
    await expect(pick({})).rejects.toThrow(SelectionError);
    await expect(pick({ kinds: ['market'], subdistricts: ['none'] })).rejects.toThrow(SelectionError);
    const many = promised({ ...syncSource, openProblems: () => Array.from({ length: 501 }, (_, i) => ({ ...problems[1], id: `q${i}` })) });
    await expect(selectStops(many, { openProblems: true }, names)).rejects.toThrow(/at most 500/);
    expect(await selectStops(many, { openProblems: true, sample: { n: 500 } }, names)).toHaveLength(500);
  });
});

describe('checkPolygon', () => {
  const ring = (pts: [number, number][]) => ({ type: 'Polygon' as const, coordinates: [pts] });
  it('accepts a simple closed ring', async () => {
    expect(() =>
      checkPolygon(
        ring([
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
          [0, 0],
        ]),
      ),
    ).not.toThrow();
  });
  it('refuses a self-intersecting, an open or a too detailed ring', async () => {
    expect(() =>
      checkPolygon(
        ring([
          [0, 0],
          [1, 1],
          [1, 0],
          [0, 1],
          [0, 0],
        ]),
      ),
    ).toThrow(/crosses itself/);
    expect(() =>
      checkPolygon(
        ring([
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ]),
      ),
    ).toThrow(/closed/);
    const big: [number, number][] = Array.from({ length: 1001 }, (_, i) => [Math.cos((i / 1001) * 2 * Math.PI), Math.sin((i / 1001) * 2 * Math.PI)]);
    expect(() => checkPolygon(ring([...big, big[0]]))).toThrow(/at most 1000/);
  });
});
