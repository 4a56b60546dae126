/**
 * 我的点位: the points an account answers for — as 包抓领导 (the registry's leader, an account) or as 点位长
 * (the keeper, recorded by name) — each with how it stands as 迎检准备 counts it, its open problems and
 * its latest check (when, and by whom). The speeches' "深入到包抓点位" made a page: where to go first.
 * Reads the readiness window of every point, so it runs in the worker pool.
 */
import { readiness } from '../../analytics/assessment-score';
import type { Catalog } from '../../contract/catalog';
import { cityDate, DAY_MS, toCityIso } from '../../contract/city-time';
import { pointMarker } from '../../contract/geo';
import type { MyPlaces } from '../../contract/places';
import type { Store } from '../../store/index';
import { assessmentOn, catalogOf } from '../assessment/catalog';
import { readinessWindow } from '../assessment/scores';

export interface MyPlacesInput {
  userId: number;
  displayName: string;
  days: number;
  nowMs: number;
}

/** Worst first: not 达标, then 超期未查, then the rest; within each, the longest unvisited (never first). */
const ORDER: Record<MyPlaces['points'][number]['status'], number> = { 'not-ready': 0, stale: 1, unassessed: 2, ready: 3 };

export async function myPlaces(store: Store, base: Catalog, { userId, displayName, days, nowMs }: MyPlacesInput): Promise<MyPlaces> {
  const mine = await store.placesOf(userId, displayName);
  const empty = { total: 0, ready: 0, notReady: 0, stale: 0, openProblems: 0 };
  if (mine.length === 0) return { days, at: toCityIso(nowMs), totals: empty, points: [] };

  const catalog = await catalogOf(store, base);
  const version = assessmentOn(catalog, cityDate(nowMs));
  const ids = new Set(mine.map((m) => m.id));
  const status = new Map(
    readiness(await readinessWindow(store, catalog, nowMs, days), version, nowMs, days, await store.lastVisits(nowMs))
      .filter((p) => ids.has(p.point.id))
      .map((p) => [p.point.id, p]),
  );
  const itemName = new Map(version.pointTypes.flatMap((t) => t.items.map((it) => [it.id, it.zh] as const)));
  const typeName = new Map(version.pointTypes.map((t) => [t.id, t.zh]));
  const lastChecks = await store.lastChecksAt([...ids], nowMs);
  const points: MyPlaces['points'] = [];
  for (const m of mine) {
    const cur = await store.placeState(m.id);
    if (!cur) continue;
    const s = cur.state;
    const r = status.get(m.id);
    const last = lastChecks.get(m.id) ?? null;
    points.push({
      id: m.id,
      kind: s.kind,
      typeName: typeName.get(s.kind) ?? s.kind,
      name: s.name,
      subdistrictName: await store.subdistrictName(s.subdistrictId),
      at: pointMarker(s.geometry, s.entrance),
      as: [...(m.leader ? (['leader'] as const) : []), ...(m.keeper ? (['keeper'] as const) : [])],
      status: r?.status ?? 'unassessed',
      missing: (r?.missing ?? []).map((id) => itemName.get(id) ?? id),
      openProblems: r?.openProblems ?? (await store.placeProblemCounts(m.id, nowMs)).open,
      lastVisitAt: last ? toCityIso(last.atMs) : null,
      lastVisitBy: last?.inspector ?? null,
      daysSinceVisit: last ? Math.floor((nowMs - last.atMs) / DAY_MS) : null,
    });
  }
  // Longest unvisited first within a status: never visited, then the most days.
  points.sort((a, b) => ORDER[a.status] - ORDER[b.status] || (b.daysSinceVisit ?? Infinity) - (a.daysSinceVisit ?? Infinity) || (a.id < b.id ? -1 : 1));
  const count = (st: string) => points.filter((p) => p.status === st).length;
  return {
    days,
    at: toCityIso(nowMs),
    totals: {
      total: points.length,
      ready: count('ready'),
      notReady: count('not-ready'),
      stale: count('stale'),
      openProblems: points.reduce((n, p) => n + p.openProblems, 0),
    },
    points,
  };
}
