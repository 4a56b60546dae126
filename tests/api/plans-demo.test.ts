/**
 * The planner over the generated demo city (scale 0.5): every selection tool picks real places and
 * problems, back streets are walked end to end along their own lines, and a plan that cannot hold
 * everything drops the rest with reasons.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoCity } from '../../scripts/demo-city/generate';
import { createApp } from '../../server/app';
import { as, signIn, type Requester } from './fixture';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { importLayers } from '../../server/store/import-layers';
import { openStore, type Store } from '../../server/store/index';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
let store: Store;
let app: Requester;
let center: [number, number];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xuncha-plan-demo-'));
  await generateDemoCity({ seed: 1, scale: 0.5, end: '2026-11-25', outDir: join(dir, 'layers') });
  store = openStore(join(dir, 'xuncha.db'));
  importLayers(store, join(dir, 'layers'));
  const now = Date.parse('2026-11-25T12:00:00+08:00');
  app = as(await createApp({ store, catalog: loadCatalog(join(ROOT, 'data', 'catalog')), now: () => now }), await signIn(store, 'inspector', 'u01', now));
  center = (await store.getCity())!.center as [number, number];
}, 120_000);
afterAll(async () => {
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function plan(body: Record<string, unknown>) {
  const res = await app.request('/api/plans', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      date: '2026-11-26',
      teams: [
        { name: '一组', start: center, budgetS: 4 * 3600 },
        { name: '二组', start: center, end: center, budgetS: 4 * 3600 },
      ],
      timeLimitMs: 300,
      ...body,
    }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('planning the demo city', () => {
  it('walks a sample of back streets end to end along their lines and drops what does not fit with reasons', async () => {
    const { status, body } = await plan({ stops: { kinds: ['back-street'], sample: { n: 40, seed: 3 } } });
    expect(status).toBe(201);
    expect(body.totals.stops).toBe(40);
    expect(body.totals.served + body.totals.dropped).toBe(40);
    expect(body.totals.served).toBeGreaterThan(5);
    for (const d of body.dropped) expect(['lower-priority', 'over-budget', 'unsnappable']).toContain(d.reason);
    for (const t of body.teams) {
      expect(t.overBudgetS).toBe(0);
      const line: number[][] = t.geometry?.coordinates ?? [];
      for (const s of t.stops) {
        expect(s.kind).toBe('back-street');
        // The walked street is part of the route line, in the direction walked.
        const r7 = (v: number) => Math.round(v * 1e7) / 1e7;
        const walked = (s.reversed ? [...s.line].reverse() : s.line).map((c: number[]) => [r7(c[0]), r7(c[1])]);
        const same = (a: number[], b: number[]) => a[0] === b[0] && a[1] === b[1];
        const found = line.some((_, i) => walked.every((c: number[], k: number) => line[i + k] && same(line[i + k], c)));
        expect(found, s.id).toBe(true);
      }
    }
  });

  it('picks overdue problems and recurring hotspots from the store', async () => {
    const overdue = await plan({ stops: { openProblems: 'overdue', sample: { n: 20, seed: 1 } } });
    expect(overdue.status).toBe(201);
    const all = [...overdue.body.teams.flatMap((t: any) => t.stops), ...overdue.body.dropped];
    expect(all).toHaveLength(20);
    for (const s of all) expect(s.kind).toBe('problem');
    expect(overdue.body.teams.flatMap((t: any) => t.stops).every((s: any) => s.priority === 3)).toBe(true);

    const hot = await plan({ stops: { recurringHotspots: 10 } });
    const ids = [...hot.body.teams.flatMap((t: any) => t.stops), ...hot.body.dropped].map((s: any) => s.id);
    expect(ids).toHaveLength(10);
    const counts = new Map((await store.recurringPlaces()).map((r) => [r.placeId, r.count]));
    const top = (await store.recurringPlaces())
      .slice(0, 10)
      .map((r) => r.placeId)
      .sort();
    expect(ids.sort()).toEqual(top);
    expect(Math.min(...ids.map((id: string) => counts.get(id)!))).toBeGreaterThan(0);
  });

  it('keeps a polygon selection inside the drawn area', async () => {
    const [cx, cy] = center;
    const d = 0.01;
    const ring = [
      [cx - d, cy - d],
      [cx + d, cy - d],
      [cx + d, cy + d],
      [cx - d, cy + d],
      [cx - d, cy - d],
    ];
    const { status, body } = await plan({ stops: { kinds: ['market', 'community'], polygon: { type: 'Polygon', coordinates: [ring] } } });
    expect(status).toBe(201);
    expect(body.totals.stops).toBeGreaterThan(0);
    for (const s of [...body.teams.flatMap((t: any) => t.stops), ...body.dropped]) {
      expect(Math.abs(s.lngLat[0] - cx)).toBeLessThanOrEqual(d);
      expect(Math.abs(s.lngLat[1] - cy)).toBeLessThanOrEqual(d);
    }
  });
});
