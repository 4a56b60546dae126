/**
 * A map file merged into the registry the city keeps: an OSM extract, a GeoJSON or a points sheet read
 * by the importer (scripts/import) is a list of points, each matched to the registry's by its stable id
 * (an OSM point's id is made from its OSM object: mkn123, cmw456 …), else by type and name nearby. What
 * the file changes becomes registry edits with their history (registry-import.ts applies them); what the
 * clerk edited by hand stays as edited; points the file no longer has are retired, not deleted, so their
 * problems, checks and plans stay.
 */
import type { BBox } from '../../contract/geo';
import { distanceM, pointMarker, type LngLat } from '../../contract/geo';
import type { Geometry } from '../../contract/geojson';
import type { PlaceCreateBody } from '../../contract/places';
import type { RegistryField } from '../../contract/registry';
import type { Store } from '../../store/index';
import type { PlaceState } from '../../store/places';
import { degreesAround } from '../../workflow/nearby';
import type { Catalog } from '../../contract/catalog';
import type { RegistryImportResult } from '../../contract/places';
import { applyPlan, importResult, type ImportPlan, type Step } from './registry-import';

/** A point as a map file has it. */
export interface MapPlace {
  id: string;
  kind: string;
  name: string;
  geometry: Geometry;
  entrance: LngLat | null;
  address: string | null;
}

/** A file's point is the registry's point of its type and name this close (metres). */
const MATCH_M = 200;
/** A point closer than this to where it was has not moved: the file's rounding. */
const MOVE_TOLERANCE_M = 0.5;
/** Ids the importer makes from OSM objects (build-layers.ts): only such points can be missing from a newer extract. */
const MAP_ID = /^(mk|cm|bs|pt)([nwrf]\d+|-junction-\d+)(-\d+)?$/;

/** The fields of a point the clerk has changed by hand since it came from the map (all of them for a point drawn by hand). */
async function handEdited(store: Store, id: string): Promise<Set<RegistryField | 'any'>> {
  const out = new Set<RegistryField | 'any'>();
  for (const e of await store.placeHistory(id)) {
    if (e.action === 'merge') continue;
    out.add('any');
    if (!e.before) return new Set(['any', 'name', 'geometry', 'entrance', 'address', 'retired']);
    for (const f of ['name', 'geometry', 'entrance', 'address', 'retired'] as const) {
      if (JSON.stringify(e.before[f]) !== JSON.stringify(e.after[f])) out.add(f);
    }
  }
  return out;
}

const sameGeometry = (a: Geometry, b: Geometry) => a.type === b.type && JSON.stringify(a.coordinates) === JSON.stringify(b.coordinates);

/** A merge planned: its steps, and the points whose hand edits it leaves as they are. */
export interface MergePlan extends ImportPlan {
  kept: number;
  /** Whether points the file no longer has are retired: a map file stands for its area, a points sheet for its rows only. */
  retiresMissing: boolean;
}

/**
 * Plans the merge of a map file's points (`bbox`: the area the file covers; a point outside it is not
 * the file's to retire; null for a points sheet, which retires nothing). Reads only.
 */
export async function planMerge(store: Store, incoming: readonly MapPlace[], bbox: BBox | null): Promise<MergePlan> {
  const steps: Step[] = [];
  const matched = new Set<string>();
  let unchanged = 0;
  let kept = 0;
  const kinds = new Set<string>();
  const subdistricts = new Set<string>();

  const nearest = async (p: MapPlace, at: LngLat) => {
    const { dLng, dLat } = degreesAround(at[1], MATCH_M);
    return (await store.sameNamedPlaces(p.kind, p.name, [at[0] - dLng, at[1] - dLat, at[0] + dLng, at[1] + dLat]))
      .map((o) => ({ id: o.id, d: distanceM(pointMarker(o.state.geometry, o.state.entrance), at) }))
      .filter((o) => o.d < MATCH_M && !matched.has(o.id))
      .sort((a, b) => a.d - b.d)[0]?.id;
  };

  for (const p of incoming) {
    kinds.add(p.kind);
    const at = pointMarker(p.geometry, p.entrance);
    // Its own id, unless that now names another thing (a junction's number follows the roads', not the OSM object's).
    let cur: { state: PlaceState; version: number } | null = await store.placeState(p.id);
    let id: string | undefined = p.id;
    if (cur && (cur.state.kind !== p.kind || (cur.state.name !== p.name && distanceM(pointMarker(cur.state.geometry, cur.state.entrance), at) > MATCH_M))) {
      cur = null;
    }
    if (!cur || matched.has(p.id)) {
      id = await nearest(p, at);
      cur = id === undefined ? null : await store.placeState(id);
    }
    if (!cur || id === undefined) {
      const body: PlaceCreateBody = { kind: p.kind, name: p.name, geometry: p.geometry, entrance: p.entrance, address: p.address };
      steps.push({ action: 'add', row: null, body, id: p.id });
      continue;
    }
    matched.add(id);
    const s = cur.state;
    if (s.subdistrictId) subdistricts.add(s.subdistrictId);
    // A point retired in the registry stays retired: the clerk knows it is gone although the map still has it.
    if (s.retired) {
      unchanged++;
      continue;
    }
    const hand = await handEdited(store, id);
    const patch: Partial<PlaceCreateBody> = {};
    let held = false;
    const offer = <F extends 'name' | 'geometry' | 'entrance' | 'address'>(field: F, value: PlaceCreateBody[F]) => {
      if (hand.has(field)) held = true;
      else patch[field] = value;
    };
    if (p.name !== s.name) offer('name', p.name);
    if (p.address !== null && p.address !== s.address) offer('address', p.address);
    const moved =
      p.geometry.type === 'Point' && s.geometry.type === 'Point'
        ? distanceM(p.geometry.coordinates, s.geometry.coordinates) > MOVE_TOLERANCE_M
        : !sameGeometry(p.geometry, s.geometry);
    if (moved) offer('geometry', p.geometry);
    const entranceMoved = p.entrance !== null && (s.entrance === null || distanceM(p.entrance, s.entrance) > MOVE_TOLERANCE_M);
    if (entranceMoved) offer('entrance', p.entrance);
    if (held) kept++;
    if (Object.keys(patch).length === 0) {
      if (!held) unchanged++;
      continue;
    }
    const movedM = moved || entranceMoved ? Math.round(distanceM(pointMarker(s.geometry, s.entrance), at) * 10) / 10 : null;
    steps.push({ action: 'update', row: null, id, body: { version: cur.version, ...patch }, restore: false, movedM });
  }

  // The file's own points it no longer has: gone from the map, unless the clerk has made them his.
  const [w, so, e, n] = bbox ?? [0, 0, 0, 0];
  for (const r of bbox ? await store.listPlaces({ status: 'in-use' }) : []) {
    if (matched.has(r.id) || !MAP_ID.test(r.id)) continue;
    const [x, y] = pointMarker(r.state.geometry, r.state.entrance);
    if (x < w || x > e || y < so || y > n) continue;
    if ((await handEdited(store, r.id)).has('any')) {
      kept++;
      continue;
    }
    steps.push({
      action: 'retire',
      id: r.id,
      version: r.version,
      kind: r.state.kind,
      name: r.state.name,
      reason: '导入的地图数据中已无此点位 (no longer in the imported map data)',
    });
  }
  return { steps, unchanged, kept, retiresMissing: bbox !== null, scope: { kinds: [...kinds].sort(), subdistrictIds: [...subdistricts].sort() } };
}

/** A merge applied (or, `dryRun`, tried and rolled back): a point the registry refuses is left out and listed. */
export async function applyMerge(
  store: Store,
  base: Catalog,
  planned: MergePlan,
  rows: number,
  dryRun: boolean,
  actor: string,
  nowMs: number,
): Promise<RegistryImportResult> {
  const applied = await applyPlan(store, base, planned, { dryRun, actor, nowMs, action: 'merge', skipRefused: true });
  return importResult(dryRun, rows, planned, applied, planned.retiresMissing, planned.kept);
}
