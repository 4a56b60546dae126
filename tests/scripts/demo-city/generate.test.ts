import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, LineString, MultiPolygon, Point, Polygon } from 'geojson';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDeadlineDays, loadAssessmentCatalogs, pointTypeCategories } from '../../../scripts/demo-city/catalog';
import type { DeadlineLimit } from '../../../server/contract/work-calendar';
import { defaultDistricts, generateDemoCity, generateRoads } from '../../../scripts/demo-city/generate';
import { DistrictFeature } from '../../../server/contract/layers';

const END = '2026-11-25';
const END_MS = Date.parse(`${END}T23:59:59+08:00`);
const DAY_MS = 86_400_000;
const NAMED_CLASSES = new Set(['trunk', 'primary', 'secondary', 'tertiary', 'residential', 'living_street']);

let root: string;
let dirA: string;
let counts: Record<string, number>;

const read = <T>(dir: string, file: string): T => JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
type Props = Record<string, any>;
let roads: FeatureCollection<LineString, Props>;
let water: FeatureCollection<Polygon | MultiPolygon, Props>;
let subdistricts: FeatureCollection<Polygon | MultiPolygon, Props>;
let units: FeatureCollection<Point, Props>;
let markets: FeatureCollection<Point, Props>;
let communities: FeatureCollection<Polygon, Props>;
let backStreets: FeatureCollection<LineString, Props>;
let points: FeatureCollection<Point | LineString | Polygon, Props>;
let problems: Feature<Point, Props>[];
let city: Props;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'demo-city-'));
  dirA = join(root, 'a');
  ({ counts } = await generateDemoCity({ seed: 1, scale: 1, end: END, outDir: dirA }));
  roads = read(dirA, 'roads.geojson');
  water = read(dirA, 'water.geojson');
  subdistricts = read(dirA, 'subdistricts.geojson');
  units = read(dirA, 'units.geojson');
  markets = read(dirA, 'markets.geojson');
  communities = read(dirA, 'communities.geojson');
  backStreets = read(dirA, 'back-streets.geojson');
  points = read(dirA, 'points.geojson');
  city = read(dirA, 'city.json');
  problems = readFileSync(join(dirA, 'problems.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('determinism', () => {
  it('writes byte-identical files for the same seed and end, different ones for another seed', async () => {
    const dirB = join(root, 'b');
    const dirC = join(root, 'c');
    await generateDemoCity({ seed: 1, scale: 1, end: END, outDir: dirB });
    await generateDemoCity({ seed: 2, scale: 1, end: END, outDir: dirC });
    const files = readdirSync(dirA).sort();
    expect(files).toEqual([
      'back-streets.geojson',
      'checks.ndjson',
      'city.json',
      'communities.geojson',
      'grids.geojson',
      'markets.geojson',
      'points.geojson',
      'problems.ndjson',
      'roads.geojson',
      'subdistricts.geojson',
      'units.geojson',
      'water.geojson',
    ]);
    for (const f of files) expect(readFileSync(join(dirB, f)).equals(readFileSync(join(dirA, f))), f).toBe(true);
    for (const f of ['roads.geojson', 'markets.geojson', 'problems.ndjson']) {
      expect(readFileSync(join(dirC, f)).equals(readFileSync(join(dirA, f))), f).toBe(false);
    }
  });

  // sha256 of each file of the one-district city at scale 1 before districts came (commit baa69cf): a city
  // generated without the `districts` option stays byte for byte what it was. A deliberate change to the
  // generator's output updates these, and says so in its commit.
  it('leaves the one-district city exactly as it was before districts', () => {
    const before: Record<string, string> = {
      'back-streets.geojson': 'a8255ae0516fb4e62fcc5c7c79795d852fae751ff20850e20dfc580e4155a5e1',
      'checks.ndjson': 'b8c0a981bfe2c5dad9f6ccff49520f1fc7d5faf9a801b5ed362828f82ca7bb46',
      'city.json': 'deec93c8b86d82c09f0d3b88c66eedabec6d189244626c462fbabd9802246957',
      'communities.geojson': 'b0c9f1b1a55d59510d4fe85644ea3c2ff67bf62a1c1ec6bb868e75da8bcf8dde',
      'grids.geojson': 'f2ddd1e1c69bc34f58f7dce4c06d1f31a2b6734cb4f0b2a2ec1c0cd33aac254a',
      'markets.geojson': '6b32dec25ec32d61d66090f2d552d5f60708e37f0a52251a0599332496f33658',
      'points.geojson': '1823bfd6d5c287e2a9097c52ecd20e792c69f7f415db1aff10e05d26673d8983',
      'problems.ndjson': '33b6da10a39e4084e119db1f7e9576815243c1900770cbd004fb815c68e01dc5',
      'roads.geojson': '72561eb1040d804254a8ec17661d5c84e6308dd0fcda9234227d7bff90f73ffb',
      'subdistricts.geojson': 'b20c305ec753c3054add45094edd168dcbfca306c5a717b35fe4363750c83cfc',
      'units.geojson': 'c621f65f87a062f9892cb18a3a952e3383e5be2f9e7b2c3b544b5e69d7f8a179',
      'water.geojson': '31d3e375dd9256786b0dcc2674bcf199228af883e07d75235ee864cd31396ecc',
    };
    const now = Object.fromEntries(
      readdirSync(dirA).map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(dirA, f)))
          .digest('hex'),
      ]),
    );
    expect(now).toEqual(before);
    expect(existsSync(join(dirA, 'districts.geojson'))).toBe(false);
  });

  it('rejects a bad end date and scale with a sentence saying what to pass', async () => {
    await expect(generateDemoCity({ end: '2026-02-30', outDir: join(root, 'x') })).rejects.toThrow(/calendar date like/);
    await expect(generateDemoCity({ scale: 0, outDir: join(root, 'x') })).rejects.toThrow(/scale must be a number between/);
    await expect(generateDemoCity({ districts: 2.5, outDir: join(root, 'x') })).rejects.toThrow(/districts must be an integer between 1 and 20/);
    await expect(generateDemoCity({ scale: 0.3, districts: 20, end: END, outDir: join(root, 'x') })).rejects.toThrow(/at most the number of subdistricts/);
  });

  it('makes one district below scale 3 and about one per scale unit, at least three, from there', () => {
    expect([0.3, 1, 2.9, 3, 4.4, 15].map(defaultDistricts)).toEqual([1, 1, 1, 3, 4, 15]);
  });
});

describe('layers at scale 1', () => {
  it('has the counts the brief asks for, matching the files', () => {
    expect(counts.subdistricts).toBeGreaterThanOrEqual(8);
    expect(counts.markets).toBeGreaterThanOrEqual(40);
    expect(counts.communities).toBeGreaterThanOrEqual(150);
    expect(counts.backStreets).toBeGreaterThanOrEqual(300);
    expect(counts.units).toBeGreaterThanOrEqual(30);
    expect(counts.problems).toBeGreaterThanOrEqual(20_000);
    expect(counts.water).toBe(2);
    expect(counts).toMatchObject({
      roads: roads.features.length,
      subdistricts: subdistricts.features.length,
      units: units.features.length,
      markets: markets.features.length,
      communities: communities.features.length,
      backStreets: backStreets.features.length,
      problems: problems.length,
    });
  });

  it('describes the city around 36.45°N 115.98°E, about 6 × 5 km', () => {
    expect(city).toMatchObject({ name: '东昌区', nameEn: 'Dongchang District', source: 'generated', generator: { seed: 1, scale: 1, end: END } });
    const [w, s, e, n] = city.bbox;
    expect(turf.distance([w, s], [e, s], { units: 'meters' })).toBeCloseTo(6000, -2);
    expect(turf.distance([w, s], [w, n], { units: 'meters' })).toBeCloseTo(5000, -2);
    expect(w < 115.98 && 115.98 < e && s < 36.45 && 36.45 < n).toBe(true);
  });

  it('gives every feature a unique, prefixed id repeated at the top level', () => {
    const layers: [FeatureCollection, string][] = [
      [roads, 'r'],
      [water, 'w'],
      [subdistricts, 'sd'],
      [units, 'u'],
      [markets, 'mk'],
      [communities, 'cm'],
      [backStreets, 'bs'],
    ];
    for (const [fc, prefix] of layers) {
      const ids = fc.features.map((f) => f.properties!.id as string);
      expect(new Set(ids).size).toBe(ids.length);
      for (const f of fc.features) {
        expect(f.id).toBe(f.properties!.id);
        expect(f.properties!.id).toMatch(new RegExp(`^${prefix}\\d+$`));
      }
    }
  });
});

describe('subdistricts', () => {
  it('tile the city bbox: areas sum to the bbox area and no two overlap', () => {
    const bboxArea = turf.area(turf.bboxPolygon(city.bbox));
    const sum = subdistricts.features.reduce((s, f) => s + turf.area(f), 0);
    expect(Math.abs(sum - bboxArea) / bboxArea).toBeLessThan(1e-4);
    const fs = subdistricts.features;
    for (let i = 0; i < fs.length; i++) {
      for (let j = i + 1; j < fs.length; j++) {
        const overlap = turf.intersect(turf.featureCollection([fs[i], fs[j]]));
        expect(overlap ? turf.area(overlap) : 0, `${fs[i].properties.name} × ${fs[j].properties.name}`).toBeLessThan(1);
      }
    }
    for (const f of fs) {
      expect(f.properties.name).toMatch(/街道$/);
      expect(f.properties.code).toMatch(/^\d{9}$/);
    }
    expect(new Set(fs.map((f) => f.properties.name)).size).toBe(fs.length);
  });

  it('are divided into 网格, one per block between arterials, each inside its subdistrict, together covering it', () => {
    const grids = read<FeatureCollection<Polygon | MultiPolygon, Props>>(dirA, 'grids.geojson').features;
    expect(grids.length).toBeGreaterThan(subdistricts.features.length * 2);
    expect(new Set(grids.map((g) => g.properties.id)).size).toBe(grids.length);
    expect(new Set(grids.map((g) => g.properties.name)).size).toBe(grids.length);
    for (const sd of subdistricts.features) {
      const own = grids.filter((g) => g.properties.subdistrictId === sd.properties.id);
      expect(own.length, sd.properties.name).toBeGreaterThan(0);
      const sum = own.reduce((s, g) => s + turf.area(g), 0);
      expect(Math.abs(sum - turf.area(sd)) / turf.area(sd), sd.properties.name).toBeLessThan(1e-3);
      for (const g of own) {
        expect(g.properties.name.startsWith(sd.properties.name)).toBe(true);
        expect(g.properties.member).toMatch(/^\p{Script=Han}{2,3}$/u);
        expect(turf.booleanPointInPolygon(turf.pointOnFeature(g), sd)).toBe(true);
      }
    }
  });
});

describe('roads', () => {
  it('names every road of a named class, with OSM classes, oneway, speeds', () => {
    for (const r of roads.features) {
      const p = r.properties;
      if (NAMED_CLASSES.has(p.class)) expect(p.name, p.id).toMatch(/^.+(大道|路|街|巷|胡同|里|段)$/u);
      expect([0, 1, -1]).toContain(p.oneway);
      expect(typeof p.bridge).toBe('boolean');
      expect(r.geometry.coordinates.length).toBeGreaterThanOrEqual(2);
    }
    const classes = new Set(roads.features.map((r) => r.properties.class));
    for (const c of ['trunk', 'primary', 'secondary', 'tertiary', 'residential', 'living_street', 'service']) expect(classes).toContain(c);
    expect(roads.features.some((r) => r.properties.oneway !== 0)).toBe(true);
  });

  it('meet only at shared vertices: no two road segments cross anywhere else', () => {
    const cell = 0.002;
    const grid = new Map<string, [number, number][]>();
    const segs: number[][] = [];
    roads.features.forEach((r, fi) => {
      const c = r.geometry.coordinates;
      for (let i = 1; i < c.length; i++) {
        const id = segs.length;
        segs.push([c[i - 1][0], c[i - 1][1], c[i][0], c[i][1], fi]);
        for (let x = Math.floor(Math.min(c[i - 1][0], c[i][0]) / cell); x <= Math.floor(Math.max(c[i - 1][0], c[i][0]) / cell); x++) {
          for (let y = Math.floor(Math.min(c[i - 1][1], c[i][1]) / cell); y <= Math.floor(Math.max(c[i - 1][1], c[i][1]) / cell); y++) {
            const k = `${x},${y}`;
            if (!grid.has(k)) grid.set(k, []);
            grid.get(k)!.push([id, fi]);
          }
        }
      }
    });
    const crossings: string[] = [];
    for (const list of grid.values()) {
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          if (list[i][1] === list[j][1]) continue;
          const [ax, ay, bx, by] = segs[list[i][0]];
          const [cx, cy, dx, dy] = segs[list[j][0]];
          const den = (bx - ax) * (dy - cy) - (by - ay) * (dx - cx);
          if (den === 0) continue;
          const t = ((cx - ax) * (dy - cy) - (cy - ay) * (dx - cx)) / den;
          const u = ((cx - ax) * (by - ay) - (cy - ay) * (bx - ax)) / den;
          // Interior crossings only (shared end vertices give t or u of exactly 0 or 1).
          if (t > 1e-6 && t < 1 - 1e-6 && u > 1e-6 && u < 1 - 1e-6)
            crossings.push(`${roads.features[list[i][1]].properties.id}×${roads.features[list[j][1]].properties.id}`);
        }
      }
    }
    expect(crossings).toEqual([]);
  });

  it('form one network: the largest connected part holds nearly all road length', () => {
    const parent = new Map<string, string>();
    const find = (k: string): string => {
      let r = k;
      while (parent.get(r) !== r) r = parent.get(r)!;
      parent.set(k, r);
      return r;
    };
    const node = (c: number[]) => {
      const k = `${c[0]},${c[1]}`;
      if (!parent.has(k)) parent.set(k, k);
      return k;
    };
    for (const r of roads.features) {
      const c = r.geometry.coordinates;
      parent.set(find(node(c[0])), find(node(c[c.length - 1])));
    }
    const byRoot = new Map<string, number>();
    let total = 0;
    for (const r of roads.features) {
      const len = turf.length(r, { units: 'meters' });
      total += len;
      const root = find(node(r.geometry.coordinates[0]));
      byRoot.set(root, (byRoot.get(root) ?? 0) + len);
    }
    expect(Math.max(...byRoot.values()) / total).toBeGreaterThan(0.97);
    // Dead ends exist (lanes, city edge), and most junction vertices join three or more roads.
    const degree = new Map<string, number>();
    for (const r of roads.features) {
      for (const c of [r.geometry.coordinates[0], r.geometry.coordinates.at(-1)!]) degree.set(`${c}`, (degree.get(`${c}`) ?? 0) + 1);
    }
    expect([...degree.values()].filter((d) => d === 1).length).toBeGreaterThan(100);
    expect([...degree.values()].filter((d) => d >= 3).length).toBeGreaterThan(2000);
  });

  it('cross the river only on a few bridges', () => {
    const river = water.features.find((f) => f.properties.kind === 'river')!;
    const lake = water.features.find((f) => f.properties.kind === 'lake')!;
    expect(river.properties.name).toBeTruthy();
    const crossing = new Set<string>();
    for (const w of [river, lake]) {
      const box = turf.bbox(w);
      for (const r of roads.features) {
        const [w0, s0, e0, n0] = turf.bbox(r);
        if (e0 < box[0] || w0 > box[2] || n0 < box[1] || s0 > box[3]) continue;
        if (turf.booleanIntersects(r, w)) {
          crossing.add(r.properties.id);
          expect(r.properties.bridge, `${r.properties.id} ${r.properties.name} enters ${w.properties.name}`).toBe(true);
        }
      }
    }
    const bridges = roads.features.filter((r) => r.properties.bridge);
    const bridgeNames = new Set(bridges.map((b) => b.properties.name));
    expect(bridgeNames.size).toBeGreaterThanOrEqual(2);
    expect(bridgeNames.size).toBeLessThanOrEqual(8);
    for (const b of bridges) expect(crossing.has(b.properties.id) || turf.length(b, { units: 'meters' }) < 60).toBe(true);
  });

  it('reach 50,000 distinct vertices at scale 3', () => {
    const { roads: big } = generateRoads({ seed: 1, scale: 3 });
    const vertices = new Set<string>();
    for (const r of big) for (const c of r.coords) vertices.add(`${c[0].toFixed(7)},${c[1].toFixed(7)}`);
    expect(vertices.size).toBeGreaterThanOrEqual(50_000);
  });
});

describe('places and units', () => {
  const subdistrictOf = (id: string) => subdistricts.features.find((f) => f.properties.id === id)!;

  it('lie inside their subdistrict and answer to an existing unit', () => {
    const unitIds = new Set(units.features.map((u) => u.properties.id));
    for (const m of markets.features) {
      expect(turf.booleanPointInPolygon(m, subdistrictOf(m.properties.subdistrictId)), m.properties.name).toBe(true);
      expect(m.properties.name).toMatch(/(农贸市场|集贸市场|菜市场)$/);
      expect(m.properties.kind).toBe('market');
      expect(unitIds).toContain(m.properties.unitId);
    }
    for (const c of communities.features) {
      const sd = subdistrictOf(c.properties.subdistrictId);
      expect(turf.booleanWithin(c, sd), c.properties.name).toBe(true);
      expect(turf.booleanPointInPolygon(c.properties.entrance, sd)).toBe(true);
      expect(c.properties.name).toMatch(/(小区|社区|家园|苑)$/);
      expect(unitIds).toContain(c.properties.unitId);
    }
    for (const b of backStreets.features) {
      const mid = turf.along(b, b.properties.lengthM / 2, { units: 'meters' });
      expect(turf.booleanPointInPolygon(mid, subdistrictOf(b.properties.subdistrictId)), b.properties.name).toBe(true);
      expect(b.properties.name).toMatch(/(巷|胡同|里)$/);
      expect(unitIds).toContain(b.properties.unitId);
      expect(Math.abs(turf.length(b, { units: 'meters' }) - b.properties.lengthM) / b.properties.lengthM).toBeLessThan(0.01);
    }
    for (const u of units.features) {
      if (u.properties.subdistrictId) expect(turf.booleanPointInPolygon(u, subdistrictOf(u.properties.subdistrictId)), u.properties.name).toBe(true);
    }
  });

  it('has every other point type of the catalog, each in its subdistrict, kept by an existing unit', async () => {
    const { PointFeature } = await import('../../../server/contract/layers');
    const unitIds = new Set(units.features.map((u) => u.properties.id));
    const byKind: Record<string, number> = {};
    for (const p of points.features) {
      expect(PointFeature.safeParse(p).success, JSON.stringify(p.properties)).toBe(true);
      byKind[String(p.properties.kind)] = (byKind[String(p.properties.kind)] ?? 0) + 1;
      expect(unitIds, String(p.properties.name)).toContain(p.properties.unitId);
      const at =
        p.geometry.type === 'Point'
          ? p.geometry
          : turf.point(p.geometry.type === 'LineString' ? p.geometry.coordinates[0] : (p.properties.entrance as number[]));
      expect(turf.booleanPointInPolygon(at, subdistrictOf(String(p.properties.subdistrictId))) || p.geometry.type !== 'Point', String(p.properties.name)).toBe(
        true,
      );
    }
    // Per scale unit: 16 schools, 4 hospitals, banks and the two offices, 4 venues, 6 building sites; the
    // park blocks, a toilet at each and by every third market, a village per village cell; the main
    // roads in ≤ 500 m segments, each junction of two of them, and a bus stop by each junction.
    expect(byKind).toMatchObject({ 'school-area': 16, hospital: 4, 'service-window': 10, 'culture-venue': 4, 'construction-site': 6 });
    for (const k of ['park-square', 'public-toilet', 'urban-village', 'main-road', 'junction', 'bus-stop']) expect(byKind[k], k).toBeGreaterThan(3);
    expect(byKind['bus-stop']).toBe(byKind.junction);
    expect(counts.points).toBe(points.features.length);
    const segments = points.features.filter((p) => p.properties.kind === 'main-road');
    for (const s of segments) expect(Number(s.properties.lengthM), String(s.properties.name)).toBeLessThanOrEqual(501);
  });

  it('keeps communities off the roads, and markets next to a street', () => {
    const lines = roads.features;
    for (const c of communities.features) {
      const box = turf.bbox(c);
      for (const r of lines) {
        const [w, s, e, n] = turf.bbox(r);
        if (e < box[0] || w > box[2] || n < box[1] || s > box[3]) continue;
        expect(turf.booleanIntersects(r, c), `${r.properties.name} through ${c.properties.name}`).toBe(false);
      }
    }
    for (const m of markets.features) {
      const near = lines.filter((r) => {
        const [w, s, e, n] = turf.bbox(r);
        const [x, y] = m.geometry.coordinates;
        return x > w - 0.001 && x < e + 0.001 && y > s - 0.001 && y < n + 0.001;
      });
      const d = Math.min(...near.map((r) => turf.pointToLineDistance(m, r, { units: 'meters' })));
      expect(d, m.properties.name).toBeLessThan(50);
      expect(d, m.properties.name).toBeGreaterThan(3);
    }
  });

  it('follows each back street along its road', () => {
    const vertices = new Set<string>();
    for (const r of roads.features) if (r.properties.name) for (const c of r.geometry.coordinates) vertices.add(`${c}|${r.properties.name}`);
    for (const b of backStreets.features) {
      for (const c of b.geometry.coordinates) expect(vertices.has(`${c}|${b.properties.name}`), b.properties.name).toBe(true);
    }
  });

  it('has an office and an urban-management squad in every subdistrict, and the district departments', () => {
    for (const sd of subdistricts.features) {
      const own = units.features.filter((u) => u.properties.subdistrictId === sd.properties.id);
      expect(own.map((u) => u.properties.type)).toEqual(expect.arrayContaining(['subdistrict-office', 'urban-management']));
    }
    const district = units.features.filter((u) => u.properties.subdistrictId === null).map((u) => u.properties.type);
    expect(district).toEqual(expect.arrayContaining(['housing', 'transport', 'market-supervision', 'sanitation']));
    expect(units.features.some((u) => u.properties.type === 'market-management')).toBe(true);
    expect(units.features.some((u) => u.properties.type === 'property')).toBe(true);
  });
});

describe('problems', () => {
  const categories = JSON.parse(readFileSync(new URL('../../../data/catalog/categories.json', import.meta.url), 'utf8')) as {
    id: string;
    kinds: string[];
    deadline: DeadlineLimit;
  }[];
  const hour = (iso: string) => Number(iso.slice(11, 13)) + Number(iso.slice(14, 16)) / 60;

  it('keeps workflow times ordered, within working hours, consistent with the status and never after the end', () => {
    const deadlineDays = new Map(categories.map((c) => [c.id, demoDeadlineDays(c.deadline)]));
    for (const { properties: p } of problems) {
      const times = [p.reportedAt, p.assignedAt, p.rectifiedAt, p.closedAt].filter((t) => t !== null);
      for (const t of times) {
        expect(t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
        expect(Date.parse(t)).toBeLessThanOrEqual(END_MS);
        expect(hour(t)).toBeGreaterThanOrEqual(8);
        expect(hour(t)).toBeLessThan(18);
      }
      for (let i = 1; i < times.length; i++) expect(Date.parse(times[i])).toBeGreaterThanOrEqual(Date.parse(times[i - 1]));
      const shape = [p.assignedAt, p.rectifiedAt, p.closedAt].map((t) => t !== null);
      const expected = { reported: [false, false, false], assigned: [true, false, false], rectified: [true, true, false], closed: [true, true, true] }[
        p.status as string
      ];
      expect(shape, p.id).toEqual(expected);
      expect(p.deadline !== null).toBe(p.assignedAt !== null);
      expect(p.noticeNo !== null).toBe(p.assignedAt !== null);
      if (p.deadline) expect(Date.parse(p.deadline) - Date.parse(p.assignedAt)).toBe(deadlineDays.get(p.category)! * DAY_MS);
      if (p.noticeNo) expect(p.noticeNo).toMatch(/^DC-\d{4}-\d{6}$/);
    }
    expect(Date.parse(problems[0].properties.reportedAt)).toBeGreaterThan(END_MS - 731 * DAY_MS);
    expect(new Set(problems.map((p) => p.properties.noticeNo).filter(Boolean)).size).toBe(problems.filter((p) => p.properties.noticeNo).length);
  });

  it('is mostly closed, with some open and some overdue at the end', () => {
    const by = (s: string) => problems.filter((p) => p.properties.status === s).length;
    expect(by('closed') / problems.length).toBeGreaterThan(0.85);
    for (const s of ['reported', 'assigned', 'rectified']) expect(by(s), s).toBeGreaterThan(0);
    const overdue = problems.filter((p) => p.properties.status === 'assigned' && Date.parse(p.properties.deadline) < END_MS);
    expect(overdue.length).toBeGreaterThan(10);
  });

  it('links each problem to a category fitting its place, a unit, a subdistrict it lies in', () => {
    const kinds = new Map(categories.map((c) => [c.id, c.kinds]));
    const placeKind = new Map<string, string>();
    for (const f of markets.features) placeKind.set(f.properties.id, 'market');
    for (const f of communities.features) placeKind.set(f.properties.id, 'community');
    for (const f of backStreets.features) placeKind.set(f.properties.id, 'back-street');
    for (const f of points.features) placeKind.set(f.properties.id, f.properties.kind);
    // The other point types draw the categories their check items name in the assessment catalog.
    const itemCategories = pointTypeCategories(loadAssessmentCatalogs());
    const unitIds = new Set(units.features.map((u) => u.properties.id));
    const sources = new Set<string>();
    const atPointTypes = new Set<string>();
    for (const { properties: p } of problems) {
      const kind = p.placeId ? placeKind.get(p.placeId)! : 'road';
      if (['market', 'community', 'back-street', 'road'].includes(kind)) expect(kinds.get(p.category), p.category).toContain(kind);
      else {
        expect(itemCategories.get(kind), `${p.id} at a ${kind}`).toContain(p.category);
        atPointTypes.add(kind);
      }
      expect(unitIds).toContain(p.unitId);
      expect(p.description.length).toBeGreaterThan(4);
      expect(p.reporter.length).toBeGreaterThan(0);
      sources.add(p.source);
    }
    expect([...sources].sort()).toEqual(['assessment', 'inspection', 'public', 'unannounced']);
    // Every other point type of the demo city has a problem history of its own.
    expect([...atPointTypes].sort()).toEqual([...new Set(points.features.map((f) => f.properties.kind))].sort());
    const sd = new Map(subdistricts.features.map((f) => [f.properties.id, f]));
    for (let i = 0; i < problems.length; i += 47) {
      const p = problems[i];
      expect(turf.booleanPointInPolygon(p, sd.get(p.properties.subdistrictId)!), p.properties.id).toBe(true);
    }
    expect(new Set(problems.map((p) => p.properties.description)).size).toBeGreaterThan(2000);
  });

  it('comes back at the same spot: recurrences point at an earlier closed problem nearby', () => {
    const byId = new Map(problems.map((p) => [p.properties.id, p]));
    const recurrences = problems.filter((p) => p.properties.recurrenceOf);
    expect(recurrences.length).toBeGreaterThan(problems.length * 0.03);
    for (const p of recurrences) {
      const before = byId.get(p.properties.recurrenceOf)!;
      expect(before, p.properties.recurrenceOf).toBeDefined();
      expect(before.properties.status).toBe('closed');
      expect(before.properties.category).toBe(p.properties.category);
      expect(before.properties.placeId).toBe(p.properties.placeId);
      const gap = Date.parse(p.properties.reportedAt) - Date.parse(before.properties.closedAt);
      expect(gap).toBeGreaterThanOrEqual(0);
      expect(gap).toBeLessThanOrEqual(90 * DAY_MS);
      expect(turf.distance(before, p, { units: 'meters' })).toBeLessThanOrEqual(30);
    }
  });

  it('has hotspots: a tenth of the places draws a large share of the reports', () => {
    const perPlace = new Map<string, number>();
    for (const { properties: p } of problems) if (p.placeId) perPlace.set(p.placeId, (perPlace.get(p.placeId) ?? 0) + 1);
    const sorted = [...perPlace.values()].sort((a, b) => b - a);
    const total = sorted.reduce((s, n) => s + n, 0);
    const top = sorted.slice(0, Math.ceil(sorted.length / 10)).reduce((s, n) => s + n, 0);
    expect(top / total).toBeGreaterThan(0.35);
  });

  it('follows the week and the campaign calendar', () => {
    const byWeekday = new Array(7).fill(0);
    const byMonth = new Array(13).fill(0);
    for (const { properties: p } of problems) {
      const day = new Date(`${p.reportedAt.slice(0, 10)}T00:00:00Z`);
      byWeekday[day.getUTCDay()]++;
      byMonth[day.getUTCMonth() + 1]++;
    }
    expect(byWeekday[1]).toBeGreaterThan(byWeekday[0] * 2);
    expect(byWeekday[1]).toBe(Math.max(...byWeekday));
    // April and October (before the May and November assessments) against the summer months.
    expect((byMonth[4] + byMonth[10]) / 2).toBeGreaterThan(((byMonth[6] + byMonth[7] + byMonth[8] + byMonth[9]) / 4) * 1.3);
  });
});

describe('check history', () => {
  const lines = () =>
    readFileSync(join(dirA, 'checks.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Props);

  it('visits every kind of point on working days, in time order, with the items of its type', () => {
    const checks = lines();
    expect(checks.length).toBe(counts.checks);
    const catalog = loadAssessmentCatalogs().at(-1)!;
    const items = new Map(catalog.pointTypes.map((t) => [t.id, new Map(t.items.map((i) => [i.id, i.rule]))]));
    const kindOf = new Map<string, string>();
    for (const fc of [markets, communities, backStreets, points] as FeatureCollection[])
      for (const f of fc.features) kindOf.set(f.properties!.id, f.properties!.kind);
    const kinds = new Set<string>();
    let last = 0;
    for (const c of checks) {
      const kind = kindOf.get(c.pointId)!;
      expect(kind, c.pointId).toBeDefined();
      kinds.add(kind);
      const at = Date.parse(c.at);
      expect(at).toBeGreaterThanOrEqual(last);
      expect(at).toBeLessThanOrEqual(END_MS);
      last = at;
      expect([0, 6]).not.toContain(new Date(at + 8 * 3_600_000).getUTCDay());
      expect(c.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(c.items.map((i: Props) => i.itemId).sort()).toEqual([...items.get(kind)!.keys()].sort());
      for (const i of c.items) {
        const rule = items.get(kind)!.get(i.itemId)!;
        if (i.value === undefined) continue;
        // A recorded number agrees with the verdict beside it, as POST /api/checks demands.
        expect(rule.kind).not.toBe('pass-fail');
        if (rule.kind !== 'pass-fail') expect(i.value >= rule.min ? 'pass' : 'fail').toBe(i.result);
      }
    }
    expect([...kinds].sort()).toEqual([...new Set(kindOf.values())].sort());
  });

  it('fails an item when a problem of its categories is open at the point, and names that problem', () => {
    const byId = new Map(problems.map((p) => [p.properties.id, p.properties]));
    const named = lines().filter((c) => c.problemIds);
    expect(named.length).toBeGreaterThan(100);
    for (const c of named) {
      expect(c.items.some((i: Props) => i.result === 'fail')).toBe(true);
      for (const id of c.problemIds) {
        const p = byId.get(id)!;
        expect(p.placeId).toBe(c.pointId);
        expect(Date.parse(p.reportedAt)).toBeLessThanOrEqual(Date.parse(c.at));
        if (p.closedAt) expect(Date.parse(p.closedAt)).toBeGreaterThan(Date.parse(c.at));
      }
    }
  });
});

describe('a city of three districts', () => {
  let dir: string;
  let districts: FeatureCollection<Polygon | MultiPolygon, Props>;
  let sds: Feature<Polygon | MultiPolygon, Props>[];
  let unitsOf: Feature<Point, Props>[];
  let problemsOf: Props[];
  let cityOf: Props;
  /** District id per subdistrict id, by where most of its area lies (as the import derives it). */
  const districtOfSd = new Map<string, string>();
  const districtOfUnit = new Map<string, string>();
  const overlapM2 = (a: Feature, b: Feature) => {
    const shape = turf.intersect(turf.featureCollection([a, b] as Feature<Polygon | MultiPolygon>[]));
    return shape ? turf.area(shape) : 0;
  };

  beforeAll(async () => {
    dir = join(root, 'three');
    await generateDemoCity({ seed: 1, scale: 0.5, districts: 3, end: END, outDir: dir });
    districts = read(dir, 'districts.geojson');
    sds = read<FeatureCollection<Polygon | MultiPolygon, Props>>(dir, 'subdistricts.geojson').features;
    unitsOf = read<FeatureCollection<Point, Props>>(dir, 'units.geojson').features;
    cityOf = read(dir, 'city.json');
    problemsOf = readFileSync(join(dir, 'problems.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as Feature<Point, Props>).properties);
    for (const sd of sds) {
      const best = districts.features.reduce((b, d) => (overlapM2(sd, d) > overlapM2(sd, b) ? d : b));
      districtOfSd.set(sd.properties.id, best.properties.id);
    }
    for (const u of unitsOf) {
      const d = u.properties.subdistrictId
        ? districtOfSd.get(u.properties.subdistrictId)
        : districts.features.find((f) => turf.booleanPointInPolygon(u, f))?.properties.id;
      districtOfUnit.set(u.properties.id, d!);
    }
  });

  it('is the prefecture city 东昌市 with 东昌区, a 经济技术开发区 and another 区, coded 3715dd000000', () => {
    expect(cityOf).toMatchObject({ name: '东昌市', nameEn: 'Dongchang City', generator: { seed: 1, scale: 0.5, districts: 3, end: END } });
    const fs = districts.features;
    expect(fs.map((f) => f.properties.id)).toEqual(['dt01', 'dt02', 'dt03']);
    for (const f of fs) {
      expect(DistrictFeature.safeParse(f).success, f.properties.name).toBe(true);
      expect(f.id).toBe(f.properties.id);
      // 41 onward: none of the real 聊城市 districts' codes (02, 03, 21–26, 71–73, 81).
      expect(f.properties.code).toMatch(/^3715(4[1-9]|5\d)000000$/);
      expect(f.properties.name).toMatch(f.properties.kind === 'zone' ? /开发区$/ : /区$/);
    }
    expect(fs[0].properties).toMatchObject({ name: '东昌区', kind: 'district' });
    expect(fs.filter((f) => f.properties.kind === 'zone').map((f) => f.properties.name)).toEqual(['东昌经济技术开发区']);
    expect(new Set(fs.map((f) => f.properties.name)).size).toBe(3);
    expect(new Set(fs.map((f) => f.properties.code)).size).toBe(3);
  });

  it('tiles the subdistricts: no overlaps, no gaps, each district one piece of similar size', () => {
    const fs = districts.features;
    for (let i = 0; i < fs.length; i++) {
      for (let j = i + 1; j < fs.length; j++) expect(overlapM2(fs[i], fs[j]), `${fs[i].properties.name} × ${fs[j].properties.name}`).toBeLessThan(1);
    }
    const all = (list: Feature<Polygon | MultiPolygon>[]) => turf.area(turf.union(turf.featureCollection(list))!);
    const sdArea = all(sds);
    expect(Math.abs(all(fs) - sdArea) / sdArea).toBeLessThan(0.001);
    const areas = fs.map((f) => turf.area(f));
    expect(Math.max(...areas) / Math.min(...areas)).toBeLessThan(1.5);
    for (const f of fs) {
      // One polygon without holes: contiguous, and no sliver left between its subdistricts.
      expect(f.geometry.type, f.properties.name).toBe('Polygon');
      expect(f.geometry.coordinates.length, f.properties.name).toBe(1);
    }
  });

  it('puts every subdistrict in exactly one district, coded under it', () => {
    const township = new Map<string, number>();
    for (const sd of sds) {
      const whole = turf.area(sd);
      const shares = districts.features.map((d) => overlapM2(sd, d) / whole).filter((s) => s > 1e-6);
      expect(shares.length, sd.properties.name).toBe(1);
      expect(shares[0], sd.properties.name).toBeGreaterThan(0.999);
      const d = districts.features.find((f) => f.properties.id === districtOfSd.get(sd.properties.id))!;
      // The district's 6 digits, a 街道's 3-digit township number (001–099), 000.
      const no = (township.get(d.properties.id) ?? 0) + 1;
      township.set(d.properties.id, no);
      expect(sd.properties.code).toBe(`${d.properties.code.slice(0, 6)}${String(no).padStart(3, '0')}000`);
    }
  });

  it('gives each district its subdistricts, its own departments inside it, places and problems answered by its units', () => {
    const places = ['markets.geojson', 'communities.geojson', 'back-streets.geojson', 'points.geojson'].flatMap(
      (f) => read<FeatureCollection<Polygon | MultiPolygon, Props>>(dir, f).features,
    );
    for (const p of places) {
      expect(districtOfUnit.get(p.properties.unitId), `${p.properties.name} (${p.properties.unitId})`).toBe(districtOfSd.get(p.properties.subdistrictId));
    }
    for (const p of problemsOf) expect(districtOfUnit.get(p.unitId), `${p.id} (${p.unitId})`).toBe(districtOfSd.get(p.subdistrictId));
    for (const d of districts.features) {
      const id = d.properties.id;
      const own = unitsOf.filter((u) => districtOfUnit.get(u.properties.id) === id);
      const wide = own.filter((u) => u.properties.subdistrictId === null);
      expect([...districtOfSd.values()].filter((v) => v === id).length, d.properties.name).toBeGreaterThan(0);
      expect(wide.map((u) => u.properties.type).sort(), d.properties.name).toEqual(
        ['greening', 'housing', 'market-supervision', 'sanitation', 'traffic-police', 'transport', 'urban-management'].sort(),
      );
      for (const u of own) expect(u.properties.name.startsWith(d.properties.name) || u.properties.subdistrictId !== null, u.properties.name).toBe(true);
      const reports = problemsOf.filter((p) => districtOfSd.get(p.subdistrictId) === id);
      expect(reports.length, d.properties.name).toBeGreaterThan(1000);
      expect(
        reports.some((p) => wide.some((u) => u.properties.id === p.unitId)),
        d.properties.name,
      ).toBe(true);
    }
  });
});
