import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../../server/services/assessment/catalog';
import { analyseHotspots, recurringSites } from '../../../../server/services/hotspots/hotspots';
import { buildAnalyticsIndex, type AnalyticsIndex } from '../../../../server/services/problems/analytics-index';
import { createWorkflowDeps } from '../../../../server/services/problems/deps';
import { intakeReport } from '../../../../server/services/problems/intake';
import { buildPackedIndex, createLiveIndex, type LiveIndex } from '../../../../server/services/problems/live-index';
import { applyTransition, mergeProblems, problemHistory } from '../../../../server/services/problems/workflow';
import { buildProblemIndex } from '../../../../server/services/problems/problem-index';
import { createProblemTiles } from '../../../../server/services/tiles/problem-tiles';
import { mulberry32 } from '../../../../server/solver/random';
import { importLayers } from '../../../../server/store/import-layers';
import { openStore } from '../../../../server/store/index';
import { FIXTURE_DIR, NOW } from '../../../api/fixture';

const dir = mkdtempSync(join(tmpdir(), 'xuncha-live-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Everything an index says of each problem, by problem id and in names rather than codes (codes may differ in order). */
function decoded(a: AnalyticsIndex) {
  const b = a.base;
  const problems = Array.from({ length: b.size }, (_, i) => ({
    id: b.ids[i],
    rid: b.rid[i],
    x: b.x[i],
    y: b.y[i],
    reportedMs: b.reportedMs[i],
    deadlineMs: b.deadlineMs[i],
    category: b.categoryNames[b.category[i]],
    status: b.status[i],
    subdistrict: b.subdistrictNames[b.subdistrict[i]],
    unit: b.unitNames[b.unit[i]],
    lng: a.lng[i],
    lat: a.lat[i],
    xM: a.xM[i],
    yM: a.yM[i],
    rectifiedMs: a.rectifiedMs[i],
    closedMs: a.closedMs[i],
    place: a.placeNames[a.place[i]],
    day: a.day[i],
  }));
  const cells = (res: number) => {
    const c = a.cells(res);
    return {
      cellOf: Array.from(c.cellOf),
      ids: c.ids,
      rings: c.ids.map((_, k) => Array.from(c.ringTargets.subarray(c.ringOffsets[k], c.ringOffsets[k + 1]))),
    };
  };
  return {
    problems,
    byX: Array.from(b.byX),
    sortedX: Array.from(b.sortedX),
    sortedY: Array.from(b.sortedY),
    sortedOpen: Array.from(b.sortedOpen),
    sortedDue: Array.from(b.sortedDue),
    byTime: Array.from(a.byTime),
    cells8: cells(8),
    cells10: cells(10),
    recurrences: Array.from(a.recurrences()),
  };
}

/** A live index that always answers `index` (a fresh build to compare with). */
const fixedIndex = (index: AnalyticsIndex): LiveIndex => ({
  current: async () => ({ revision: 0, index }),
  stats: { builds: 0, patches: 0 },
  warm: () => {},
  ready: () => Promise.resolve(),
  buildInBackground: () => Promise.resolve(),
});

describe('the live problem index', () => {
  it('after 1,000 random reports, transitions and merges equals a fresh build, answer for answer', async () => {
    const store = openStore(join(dir, 'xuncha.db'));
    importLayers(store, FIXTURE_DIR);
    const catalog = loadCatalog(join(FIXTURE_DIR, 'catalog'));
    const wf = createWorkflowDeps(store, { mediaDir: join(dir, 'media'), env: {} });
    const live = createLiveIndex(store);
    const tiles = createProblemTiles(live);
    // The resolutions a patch must keep: computed before the writes, so new cells join them.
    (await live.current()).index.cells(8);
    (await live.current()).index.cells(10);
    // And the recurring sites (points.bin's recurrence column), which patches carry on.
    (await live.current()).index.recurrences();

    const rand = mulberry32(20261203);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const city = await store.getCity();
    if (!city) throw new Error('the fixture has no city');
    const [w, s, e, n] = city.bbox;
    const units = (await store.listUnits()).map((u: { id: string }) => u.id);
    const categories = catalog.categories.map((c) => c.id);
    const categoryOf = async (id: string) => (await store.getProblem(id, clock))?.properties.category;
    /** Problems this run closed, the last few: a report coming back to one of them is what makes a recurrence. */
    const recentlyClosed: string[] = [];
    let clock = NOW;
    const counts = { report: 0, transition: 0, merge: 0, refused: 0, side: 0 };

    for (let step = 0; step < 1000; step++) {
      // Time moves on in steps of up to a day; a report may also be stamped earlier than the last one.
      clock += Math.floor(rand() * 86_400) * 1000;
      const ids = (await live.current()).index.base.ids;
      const r = rand();
      if (r < 0.4) {
        // Half the reports come back to an existing problem's spot and category, so sites recur; half anywhere.
        const near = rand() < 0.5;
        const at = (await live.current()).index;
        // …often one that was closed, the case a recurrence is made of.
        const closed = rand() < 0.6 ? recentlyClosed.map((id) => at.base.ids.indexOf(id)) : [];
        const k = closed.length > 0 ? pick(closed) : Math.floor(rand() * ids.length);
        // Near a problem at the city's edge, the jitter is kept inside the city (intake refuses a spot outside).
        const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
        const lng = near ? clamp(at.lng[k] + (rand() - 0.5) * 2e-4, w, e) : w + rand() * (e - w);
        const lat = near ? clamp(at.lat[k] + (rand() - 0.5) * 2e-4, s, n) : s + rand() * (n - s);
        const category = near ? at.base.categoryNames[at.base.category[k]] : pick(categories);
        const when = rand() < 0.03 ? clock - Math.floor(rand() * 30) * 86_400_000 : clock;
        await intakeReport(
          store,
          catalog,
          wf,
          { category, lng, lat, description: `第 ${step} 次巡查发现`, reporter: '督查组 测', source: 'inspection' },
          [],
          when,
          null,
          { requirePhoto: false },
        );
        counts.report++;
      } else if (r < 0.9) {
        const id = pick(ids);
        const { allowed } = await problemHistory(store, id, clock);
        if (allowed.length === 0) {
          counts.refused++;
        } else {
          // Every 17th step rejects a report or holds a case where it can; otherwise the walk goes down the
          // main chain to closed, where sites recur (no draw of its own: the random walk stays the same).
          const side = allowed.filter((t) => t === 'rejected' || t === 'held');
          const main = allowed.filter((t) => t !== 'rejected' && t !== 'held');
          const to = side.length > 0 && step % 17 === 0 ? side[0] : pick(main.length > 0 ? main : allowed);
          if (to === 'rejected' || to === 'held') counts.side++;
          const out = await applyTransition(
            store,
            catalog,
            wf.hub,
            id,
            {
              to,
              note: to === 'closed' ? '' : '已处理',
              unit: to === 'assigned' ? pick(units) : undefined,
              // A rejection says why, a hold when it is reviewed.
              ...(to === 'rejected' ? { reason: 'duplicate' as const } : to === 'held' ? { review: '2027-12-31' } : {}),
            },
            clock,
          );
          if ('refused' in out) counts.refused++;
          else counts.transition++;
          if (!('refused' in out) && to === 'closed' && recentlyClosed.push(id) > 10) recentlyClosed.shift();
        }
      } else {
        // Candidates from the store's own answers (the index is what is under test).
        const open: string[] = [];
        for (const id of ids) if (['reported', 'assigned'].includes((await problemHistory(store, id, clock)).status)) open.push(id);
        const from = pick(open);
        const category = await categoryOf(from);
        let into: string | undefined;
        for (const id of open) if (!into && id !== from && (await categoryOf(id)) === category) into = id;
        if (into) {
          await mergeProblems(store, wf.hub, from, { into, note: '同一处重复上报' }, clock);
          counts.merge++;
        } else counts.refused++;
      }
      // Read the index after a random number of writes, so a patch covers one revision or several;
      // ask for the recurrences as points.bin does, so a patch that dropped them has them again.
      if (rand() < 0.5) (await live.current()).index.recurrences();
    }

    const patched = (await live.current()).index;
    expect(live.stats.builds).toBe(1);
    expect(live.stats.patches).toBeGreaterThan(100);
    expect(counts.report).toBeGreaterThan(300);
    // (Reports rejected at 立案 end early, so a little fewer steps than the chain alone would take.)
    expect(counts.transition).toBeGreaterThan(250);
    expect(counts.merge).toBeGreaterThan(10);
    expect(counts.side).toBeGreaterThan(5);

    // Recurrences among the new reports: the patches had sites to carry on, not only new ones.
    expect(patched.recurrences().reduce((sum, r) => sum + r, 0)).toBeGreaterThan(20);
    const fresh = await buildAnalyticsIndex(store);
    expect(patched.base.size).toBe(fresh.base.size);
    expect(decoded(patched)).toEqual(decoded(fresh));

    // The answers built on them: hotspots and recurring sites under a filter, and tiles at every zoom.
    const q = { res: 8, status: ['reported', 'assigned', 'overdue'] as ('reported' | 'assigned' | 'overdue')[] };
    expect(analyseHotspots(patched, q, clock)).toEqual(analyseHotspots(fresh, q, clock));
    expect(recurringSites(patched, {}, clock)).toEqual(recurringSites(fresh, {}, clock));
    const freshTiles = createProblemTiles(fixedIndex(fresh));
    const [lng, lat] = city.center;
    for (let z = 8; z <= 16; z++) {
      const x = Math.floor(((lng + 180) / 360) * 2 ** z);
      const y = Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
      expect(await tiles.getTile(z, x, y, {}, clock), `tile ${z}/${x}/${y}`).toEqual(await freshTiles.getTile(z, x, y, {}, clock));
    }
    await store.close();
  });

  it('carries the recurring sites on: a report at a spot closed since the last read is a recurrence', async () => {
    const store = openStore(join(dir, 'recur.db'));
    importLayers(store, FIXTURE_DIR);
    const catalog = loadCatalog(join(FIXTURE_DIR, 'catalog'));
    const wf = createWorkflowDeps(store, { mediaDir: join(dir, 'media-recur'), env: {} });
    const live = createLiveIndex(store);
    (await live.current()).index.recurrences();
    // A clean spot (no fixture problem within 30 m): reported, handled to the end, then reported again.
    const form = { category: 'occupy-road', lng: 115.975, lat: 36.455, description: '占道经营', reporter: '督查组 测', source: 'inspection' as const };
    await intakeReport(store, catalog, wf, form, [], NOW, null, { requirePhoto: false });
    const id = (await live.current()).index.base.ids.at(-1) as string;
    for (const to of ['assigned', 'rectified', 'closed'] as const) {
      expect(
        await applyTransition(store, catalog, wf.hub, id, { to, note: '已处理', unit: to === 'assigned' ? 'u01' : undefined }, NOW + 3_600_000),
      ).not.toHaveProperty('refused');
    }
    (await live.current()).index.recurrences();
    await intakeReport(store, catalog, wf, form, [], NOW + 86_400_000, null, { requirePhoto: false });
    const patched = (await live.current()).index.recurrences();
    expect(Array.from(patched.slice(-2))).toEqual([0, 1]);
    expect(Array.from(patched)).toEqual(Array.from((await buildAnalyticsIndex(store)).recurrences()));
    expect(live.stats.builds).toBe(1);
    await store.close();
  });

  it('builds whole again when the journal cannot account for a revision (an import)', async () => {
    const store = openStore(join(dir, 'reimport.db'));
    importLayers(store, FIXTURE_DIR);
    const live = createLiveIndex(store);
    await live.current();
    importLayers(store, FIXTURE_DIR);
    await live.current();
    expect(live.stats).toEqual({ builds: 2, patches: 0 });
    await store.close();
  });

  it('built in another thread at one revision, then patched with the writes since, equals a fresh build', async () => {
    const store = openStore(join(dir, 'packed.db'));
    importLayers(store, FIXTURE_DIR);
    const catalog = loadCatalog(join(FIXTURE_DIR, 'catalog'));
    const wf = createWorkflowDeps(store, { mediaDir: join(dir, 'media-packed'), env: {} });
    const form = (k: number) => ({
      category: 'occupy-road',
      lng: 115.975 + k * 1e-5,
      lat: 36.455,
      description: `占道经营 ${k}`,
      reporter: '督查组 测',
      source: 'inspection' as const,
    });
    // Through the structured clone a worker's answer takes.
    const packed = structuredClone(await buildPackedIndex(store));
    expect(packed.revision).toBe(await store.problemsRevision());
    // Writes while the worker built: the index arrives one revision behind them.
    for (let k = 0; k < 5; k++) await intakeReport(store, catalog, wf, form(k), [], NOW + k * 60_000, null, { requirePhoto: false });
    const newest = (await buildProblemIndex(store)).ids.at(-1) as string;
    expect(await applyTransition(store, catalog, wf.hub, newest, { to: 'assigned', note: '派遣', unit: 'u01' }, NOW + 600_000)).not.toHaveProperty('refused');

    const live = createLiveIndex(store);
    let arrive!: (p: typeof packed) => void;
    const built = live.buildInBackground(() => new Promise((resolve) => (arrive = resolve)));
    let waited = false;
    const ready = live.ready().then(() => (waited = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(waited).toBe(false);
    arrive(packed);
    await built;
    await ready;
    const index = (await live.current()).index;
    expect(live.stats).toEqual({ builds: 1, patches: 1 });
    const fresh = await buildAnalyticsIndex(store);
    expect(decoded(index)).toEqual(decoded(fresh));
    const q = { res: 9 };
    expect(analyseHotspots(index, q, NOW)).toEqual(analyseHotspots(fresh, q, NOW));
    expect(recurringSites(index, {}, NOW)).toEqual(recurringSites(fresh, {}, NOW));
    await store.close();
  });

  it('builds on first use when the background build fails', async () => {
    const store = openStore(join(dir, 'failed.db'));
    importLayers(store, FIXTURE_DIR);
    const live = createLiveIndex(store);
    await expect(live.buildInBackground(() => Promise.reject(new Error('worker lost')))).rejects.toThrow('worker lost');
    await live.ready();
    expect((await live.current()).index.base.size).toBe((await store.counts()).problems);
    expect(live.stats.builds).toBe(1);
    await store.close();
  });
});
