/**
 * 网格 on the registry page: drawn or imported polygons, each with its 网格员; the planner takes them as a
 * stop filter. The same checks as a point's outline (inside the city, edges not crossing) and a version per
 * grid, so two clerks editing one get a 409 rather than one losing the other's change.
 */
import { randomUUID } from 'node:crypto';
import { kinks } from '@turf/turf';
import { AppError, bilingual, ForbiddenError, InputError, NotFoundError } from '../../errors';
import { pointMarker } from '../../contract/geo';
import type { Geometry } from '../../contract/geojson';
import { GridBody, type GridCollection, type GridFeature, type GridPatchBody } from '../../contract/grids';
import { pointInGeometry } from '../../geo/geometry';
import { inFilterArea, type FilterArea } from '../../contract/problem-filter';
import type { PlaceState } from '../../store/places';
import type { GridRecord, Store } from '../../store/index';
import { placeProbePoints } from '../../planner/select';

const bad = (path: string, message: string): InputError => new InputError(`Invalid ${path}: ${message}`, [{ path, message }]);

/** The grid's outline checked against the city; answers the subdistrict its inside point lies in. */
async function placed(store: Store, g: Geometry, path: string): Promise<string | null> {
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') throw bad(path, 'a grid is a Polygon or MultiPolygon');
  if (kinks(g).features.length > 0) throw bad(path, 'the outline crosses itself: redraw it so its edges do not cross');
  const city = await store.getCity();
  if (!city) throw new AppError(503, 'No city is loaded yet: import one before drawing its grids.');
  const [w, s, e, n] = city.bbox;
  const ring = g.type === 'Polygon' ? g.coordinates.flat() : g.coordinates.flat(2);
  const out = ring.find((p) => p[0] < w || p[0] > e || p[1] < s || p[1] > n);
  if (out) throw bad(path, `[${out[0]}, ${out[1]}] lies outside the city (${w}, ${s} … ${e}, ${n}): draw the grid inside it`);
  const inside = pointMarker(g, null);
  return (await store.subdistrictCandidates(inside[0], inside[1])).find((c) => pointInGeometry(inside, JSON.parse(c.geometry) as Geometry))?.id ?? null;
}

const clean = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());

/** How many of the points in use lie in each grid, by the planner's rule (so a plan over a grid holds as many). */
async function pointCounts(store: Store, grids: readonly GridRecord[]): Promise<Map<string, number>> {
  const counts = new Map(grids.map((g) => [g.id, 0]));
  if (grids.length === 0) return counts;
  for (const p of await store.listPlaces({ status: 'in-use' })) {
    const probes = placeProbePoints(p.state);
    for (const g of grids) if (probes.some((at) => pointInGeometry(at, g.geometry))) counts.set(g.id, counts.get(g.id)! + 1);
  }
  return counts;
}

/** The points in use inside `area` (any of their probes in it, the planner's rule). */
export async function placesInArea(store: Store, area: FilterArea): Promise<(PlaceState & { id: string })[]> {
  return (await store.listPlaces({ status: 'in-use' }))
    .filter((p) => placeProbePoints(p.state).some((at) => inFilterArea(area, at[0], at[1])))
    .map((p) => ({ ...p.state, id: p.id }));
}

/** `GET /api/grids`: every grid with its points counted — points × grids tests, so the pool runs it. */
export async function listGrids(store: Store): Promise<GridCollection> {
  const grids = await store.listGrids();
  const counts = await pointCounts(store, grids);
  return { type: 'FeatureCollection', features: await Promise.all(grids.map(async (g) => feature(store, g, counts.get(g.id) ?? 0))) };
}

async function feature(store: Store, g: GridRecord, points: number): Promise<GridFeature> {
  return {
    type: 'Feature',
    id: g.id,
    geometry: g.geometry as GridFeature['geometry'],
    properties: {
      name: g.name,
      member: g.member,
      phone: g.phone,
      subdistrictId: g.subdistrictId,
      subdistrictName: await store.subdistrictName(g.subdistrictId),
      points,
      version: g.version,
      updatedAt: g.updatedAt,
      updatedBy: g.updatedBy,
    },
  };
}

/** One grid as the list shows it (its own points counted: one pass over the points). */
export async function gridFeature(store: Store, id: string): Promise<GridFeature> {
  const g = await store.getGrid(id);
  if (!g) throw new NotFoundError(`There is no grid "${id}". List the grids with GET /api/grids.`);
  return feature(store, g, (await pointCounts(store, [g])).get(id) ?? 0);
}

/** The subdistricts a district office's account keeps its grids in (undefined: the whole city). */
export type GridScope = ReadonlySet<string> | undefined;

const noSuchGrid = (id: string) => new NotFoundError(`There is no grid "${id}". List the grids with GET /api/grids.`);

/** A district office draws its grids inside its district: one whose inside point lies elsewhere is refused. */
function inScope(scope: GridScope, subdistrictId: string | null): void {
  if (scope && (subdistrictId === null || !scope.has(subdistrictId))) {
    throw new ForbiddenError(
      bilingual(
        '这个网格不在本区县的街道内：区县账号只能划分和修改本区县的网格。',
        'This grid lies outside your district’s subdistricts: a district account draws and edits its own district’s grids only.',
      ),
    );
  }
}

/** `POST /api/grids`: answers the new grid's id. */
export async function createGrid(store: Store, body: GridBody, actor: string, nowMs: number, scope?: GridScope): Promise<string> {
  const subdistrictId = await placed(store, body.geometry, 'json.geometry');
  inScope(scope, subdistrictId);
  const id = `grid-${randomUUID().slice(0, 8)}`;
  await store.insertGrid({
    id,
    name: body.name.trim(),
    member: clean(body.member) ?? null,
    phone: clean(body.phone) ?? null,
    subdistrictId,
    geometry: body.geometry,
    at: new Date(nowMs).toISOString(),
    actor,
  });
  return id;
}

/** `PATCH /api/grids/:id`. @throws NotFoundError; AppError 409 on a stale version. */
export async function patchGrid(store: Store, id: string, body: GridPatchBody, actor: string, nowMs: number, scope?: GridScope): Promise<void> {
  const cur = await store.getGrid(id);
  // Another district's grid does not exist for a district office.
  if (!cur || (scope && (cur.subdistrictId === null || !scope.has(cur.subdistrictId)))) throw noSuchGrid(id);
  const geometry = body.geometry ?? (cur.geometry as GridBody['geometry']);
  const subdistrictId = body.geometry ? await placed(store, geometry, 'json.geometry') : cur.subdistrictId;
  inScope(scope, subdistrictId);
  const ok = await store.updateGrid({
    id,
    name: body.name?.trim() ?? cur.name,
    member: clean(body.member) === undefined ? cur.member : (clean(body.member) ?? null),
    phone: clean(body.phone) === undefined ? cur.phone : (clean(body.phone) ?? null),
    subdistrictId,
    geometry,
    version: body.version,
    at: new Date(nowMs).toISOString(),
    actor,
  });
  if (!ok) {
    throw new AppError(
      409,
      bilingual(
        `网格「${cur.name}」已被 ${cur.updatedBy} 修改（现为第 ${cur.version} 版，你打开的是第 ${body.version} 版）。请重新打开后再修改。`,
        `${cur.name} was changed by ${cur.updatedBy} (now version ${cur.version}; you opened version ${body.version}). Open it again, then edit.`,
      ),
    );
  }
}

/** `DELETE /api/grids/:id`. */
export async function deleteGrid(store: Store, id: string, scope?: GridScope): Promise<void> {
  if (scope) {
    const g = await store.getGrid(id);
    if (!g || g.subdistrictId === null || !scope.has(g.subdistrictId)) throw noSuchGrid(id);
  }
  if (!(await store.deleteGrid(id))) throw noSuchGrid(id);
}

/** Property names a grid file may use, in the order looked for. */
const NAME_KEYS = ['name', '网格名称', '网格', 'NAME', 'Name'];
const MEMBER_KEYS = ['member', '网格员', 'MEMBER'];
const PHONE_KEYS = ['phone', '电话', '联系电话', 'PHONE'];

/** A grid of an import file, checked and placed (in the pool), for the main thread to write. */
export interface PreparedGrid {
  name: string;
  member: string | null;
  phone: string | null;
  geometry: GridBody['geometry'];
  subdistrictId: string | null;
}

/**
 * Reads and checks a GeoJSON FeatureCollection of grids (JSON parse, each outline's self-crossing test, its
 * subdistrict): a few hundred polygons are tens of milliseconds, so the pool runs it. Reads only.
 * @throws InputError naming the feature (`features[3]`) and what is wrong with it.
 */
export async function prepareGrids(store: Store, text: string): Promise<PreparedGrid[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new InputError(bilingual('文件不是 GeoJSON（JSON 格式有误）。', 'The file is no GeoJSON (not valid JSON).'), [
      { path: 'form.file', message: 'not JSON' },
    ]);
  }
  const features = (doc as { type?: string; features?: unknown[] })?.type === 'FeatureCollection' ? (doc as { features: unknown[] }).features : null;
  if (!Array.isArray(features) || features.length === 0) {
    throw new InputError(bilingual('文件须是包含网格面的 GeoJSON FeatureCollection。', 'The file must be a GeoJSON FeatureCollection of grid polygons.'), [
      { path: 'form.file', message: 'no FeatureCollection' },
    ]);
  }
  const pick = (props: Record<string, unknown>, keys: string[]) => {
    for (const k of keys) if (typeof props[k] === 'string' && (props[k] as string).trim()) return (props[k] as string).trim();
    return null;
  };
  // One after another: the first bad feature in the file is the one named.
  const prepared: PreparedGrid[] = [];
  for (const [i, f] of features.entries()) {
    const path = `features[${i}]`;
    const props = ((f as { properties?: Record<string, unknown> }).properties ?? {}) as Record<string, unknown>;
    const parsed = GridBody.safeParse({
      name: pick(props, NAME_KEYS) ?? '',
      member: pick(props, MEMBER_KEYS),
      phone: pick(props, PHONE_KEYS),
      geometry: (f as { geometry?: unknown }).geometry,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const msg = `${String(issue.path[0] ?? '')}: ${issue.message}`;
      throw new InputError(bilingual(`第 ${i + 1} 个网格：${msg}`, `Grid ${i + 1} (${path}): ${msg}`), [{ path, message: msg }]);
    }
    const body = parsed.data;
    try {
      prepared.push({
        name: body.name,
        member: clean(body.member) ?? null,
        phone: clean(body.phone) ?? null,
        geometry: body.geometry,
        subdistrictId: await placed(store, body.geometry, path),
      });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      const msg = err.details[0]?.message ?? err.message;
      throw new InputError(bilingual(`第 ${i + 1} 个网格「${body.name}」：${msg}`, `Grid ${i + 1} (${body.name}): ${msg}`), [{ path, message: msg }]);
    }
  }
  return prepared;
}

/**
 * `POST /api/grids/import`, the writes: a grid of a name already there is replaced (outline, 网格员, phone),
 * the others added, in one transaction.
 */
export async function writeGrids(store: Store, grids: readonly PreparedGrid[], actor: string, nowMs: number): Promise<{ added: number; replaced: number }> {
  const at = new Date(nowMs).toISOString();
  let added = 0;
  let replaced = 0;
  await store.transaction(async () => {
    // Read inside the transaction: nobody can change a grid between this read and the writes.
    const byName = new Map((await store.listGrids()).map((g) => [g.name, g]));
    for (const g of grids) {
      const old = byName.get(g.name);
      if (old) {
        await store.updateGrid({ id: old.id, ...g, version: old.version, at, actor });
        replaced++;
      } else {
        await store.insertGrid({ id: `grid-${randomUUID().slice(0, 8)}`, ...g, at, actor });
        added++;
      }
    }
  });
  return { added, replaced };
}

/** The grids' outlines for the planner's stop filter. @throws InputError naming an id that is no grid. */
export async function gridAreas(store: Store, ids: readonly string[]): Promise<Geometry[]> {
  return Promise.all(
    ids.map(async (id, i) => {
      const g = await store.getGrid(id);
      if (!g) throw bad(`json.stops.grids.${i}`, `there is no grid "${id}"; list them with GET /api/grids`);
      return g.geometry;
    }),
  );
}
