/**
 * Editing the point registry in the office: add, change, retire, restore and undo, each a new version of
 * the point with its history entry. The checks here are the registry's rules (server/contract/registry.ts)
 * and the city's shape; the store writes each edit in one transaction and refuses a stale version.
 */
import { randomUUID } from 'node:crypto';
import { kinks } from '@turf/turf';
import { AppError, bilingual, ForbiddenError, InputError, NotFoundError } from '../../errors';
import { distanceM, pointMarker, type LngLat } from '../../contract/geo';
import type { Geometry } from '../../contract/geojson';
import type { Catalog } from '../../contract/catalog';
import { toCityIso } from '../../contract/city-time';
import { PLACE_KINDS } from '../../contract/layers';
import type { PlaceCreateBody, PlaceHistory, PlacePatchBody, RegistryList } from '../../contract/places';
import { REGISTRY_FIELDS, SAME_POINT_M, type RegistryField } from '../../contract/registry';
import { pointInGeometry } from '../../geo/geometry';
import type { Store } from '../../store/index';
import type { PlaceEdit, PlaceState } from '../../store/places';
import { degreesAround } from '../../workflow/nearby';
import { registryTypeNames } from './registry-sheet';

/** Id prefixes of the kinds with layers of their own; the other point types share one. */
const ID_PREFIX: Record<string, string> = { market: 'mk', community: 'cm', 'back-street': 'bs' };

/** Geometries each kind may have; a kind not named takes any. */
const GEOMETRY_TYPES: Record<string, readonly Geometry['type'][]> = {
  market: ['Point', 'Polygon', 'MultiPolygon'],
  community: ['Polygon', 'MultiPolygon'],
  'back-street': ['LineString', 'MultiLineString'],
};

/** An area's entrance may lie this far outside its outline (a gate across the lane), metres. */
const ENTRANCE_NEAR_M = 100;

const bad = (path: string, message: string): InputError => new InputError(`Invalid ${path}: ${message}`, [{ path, message }]);

/** The point types a point may have: the catalog's in force on the city's today, by id, and markets, communities and back streets always. */
export async function editableTypes(store: Store, base: Catalog, nowMs: number): Promise<Map<string, string>> {
  const names = await registryTypeNames(store, base, undefined, nowMs);
  for (const k of PLACE_KINDS) if (!names.has(k)) names.set(k, k);
  return names;
}

/** How an edit is recorded, for the imports: the history action, the types read once per import, the id a new point keeps. */
export interface EditOptions {
  /** import: a 点位信息表 (the clerk's own edits, typed in a sheet); merge: a map file (registry-merge.ts). */
  action?: 'import' | 'merge';
  types?: Map<string, string>;
  /** A new point's id when it is free (an OSM point keeps its own, so the next import of the extract finds it); else one is made. */
  id?: string;
  /** A district account's subdistricts: a point it adds or moves must lie in one of them. */
  scope?: ReadonlySet<string>;
}

/** @throws ForbiddenError when `scope` is given and the point's subdistrict is not in it. */
function assertInScope(scope: ReadonlySet<string> | undefined, subdistrictId: string | null): void {
  if (scope && (subdistrictId === null || !scope.has(subdistrictId))) {
    throw new ForbiddenError(
      bilingual(
        '该点位不在本账号所属区县内：区县账号只能登记和修改本区县的点位。',
        'The point lies outside your account’s district: a district account adds and edits its own district’s points.',
      ),
    );
  }
}

function lengthOf(g: Geometry): number | null {
  const line = (c: readonly (readonly number[])[]) => c.slice(1).reduce((sum, p, i) => sum + distanceM(c[i], p), 0);
  if (g.type === 'LineString') return Math.round(line(g.coordinates) * 10) / 10;
  if (g.type === 'MultiLineString') return Math.round(g.coordinates.reduce((s, l) => s + line(l), 0) * 10) / 10;
  return null;
}

/** Every position of a geometry, for the check against the city's outline. */
function positions(g: Geometry): readonly (readonly number[])[] {
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'LineString':
      return g.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.flat();
    case 'MultiPolygon':
      return g.coordinates.flat(2);
  }
}

/**
 * Checks a point's next state against the registry's rules and fills in what is derived (its subdistrict
 * when not given). `path` prefixes the field names of the 400 (body). Answers the state to store and its
 * length (lines).
 */
async function checked(
  store: Store,
  types: Map<string, string>,
  id: string,
  s: PlaceState,
  subdistrictGiven: boolean,
): Promise<{ state: PlaceState; lengthM: number | null }> {
  if (!types.has(s.kind)) throw bad('json.kind', `there is no point type "${s.kind}"; the types are ${[...types.keys()].join(', ')}`);
  if (!s.name.trim()) throw bad('json.name', 'give the point a name');
  const allowed = GEOMETRY_TYPES[s.kind];
  if (allowed && !allowed.includes(s.geometry.type)) {
    throw bad('json.geometry', `a ${s.kind} is drawn as ${allowed.join(' or ')}, not ${s.geometry.type}`);
  }
  if (s.geometry.type === 'Polygon' || s.geometry.type === 'MultiPolygon') {
    if (kinks(s.geometry).features.length > 0) throw bad('json.geometry', 'the outline crosses itself: redraw it so its edges do not cross');
  }
  const city = await store.getCity();
  if (!city) throw new AppError(503, 'No city is loaded yet: import one before editing its points.');
  const [w, so, e, n] = city.bbox;
  const out = positions(s.geometry).find((p) => p[0] < w || p[0] > e || p[1] < so || p[1] > n);
  if (out) throw bad('json.geometry', `[${out[0]}, ${out[1]}] lies outside the city (${w}, ${so} … ${e}, ${n}): draw the point inside it`);
  const marker = pointMarker(s.geometry, s.entrance);
  if (s.entrance && (s.geometry.type === 'Polygon' || s.geometry.type === 'MultiPolygon')) {
    const far = distanceToOutline(s.entrance, s.geometry);
    if (far > ENTRANCE_NEAR_M) throw bad('json.entrance', `the entrance is ${Math.round(far)} m from the area: put it on its edge or inside`);
  }

  let subdistrictId = s.subdistrictId;
  if (!subdistrictGiven) {
    const hit = (await store.subdistrictCandidates(marker[0], marker[1])).find((c) => pointInGeometry(marker, JSON.parse(c.geometry) as Geometry));
    if (!hit && (await store.listSubdistricts()).length > 0) {
      throw bad('json.geometry', 'the point lies outside every subdistrict of the city: draw it inside the city, or name its 所属街道 (subdistrictId)');
    }
    subdistrictId = hit?.id ?? null;
  } else if (subdistrictId !== null && (await store.subdistrictName(subdistrictId)) === null) {
    throw bad('json.subdistrictId', `there is no subdistrict "${subdistrictId}"`);
  }
  if (s.unitId !== null && (await store.unitName(s.unitId)) === null) throw bad('json.unitId', `there is no responsible unit "${s.unitId}"`);
  if (s.leaderId !== null) {
    const u = await store.userById(s.leaderId);
    if (!u || u.disabled) throw bad('json.leaderId', `there is no account ${s.leaderId} in use`);
    if (u.role !== 'leader' && u.role !== 'admin') throw bad('json.leaderId', `${u.displayName} (${u.username}) is no leader's account: 包抓领导 is a leader`);
  }
  const media = await Promise.all(s.photos.map((h) => store.getMedia(h)));
  const unknownPhoto = media.findIndex((m) => m === null);
  if (unknownPhoto >= 0)
    throw bad(`json.photos.${unknownPhoto}`, 'there is no photo of this hash: upload it with POST /api/media first, then list the hash it answers');
  // A point's photos show what it looks like on its card and in the 点位信息表: a clip is evidence of a problem, not of a point.
  const clip = media.findIndex((m) => m?.kind === 'video');
  if (clip >= 0) throw bad(`json.photos.${clip}`, 'this is a video clip: a point takes photos (JPEG, PNG, WebP); attach clips to a problem report');
  if (new Set(s.photos).size !== s.photos.length) throw bad('json.photos', 'a photo is listed twice');

  if (!s.retired) {
    const { dLng, dLat } = degreesAround(marker[1], SAME_POINT_M);
    const twin = (await store.sameNamedPlaces(s.kind, s.name, [marker[0] - dLng, marker[1] - dLat, marker[0] + dLng, marker[1] + dLat], id)).find(
      (o) => distanceM(pointMarker(o.state.geometry, o.state.entrance), marker) < SAME_POINT_M,
    );
    if (twin) {
      const d = Math.round(distanceM(pointMarker(twin.state.geometry, twin.state.entrance), marker));
      throw bad('json.name', `「${s.name}」 (${twin.id}) of the same type is ${d} m away: the same point drawn twice? Edit that one, or name this one apart`);
    }
  }
  return { state: { ...s, subdistrictId }, lengthM: lengthOf(s.geometry) };
}

/** Distance from a point to a polygon's outline, 0 inside (metres, local flat projection). */
function distanceToOutline(p: LngLat, g: Geometry): number {
  if (pointInGeometry(p, g)) return 0;
  let best = Infinity;
  for (const q of positions(g)) best = Math.min(best, distanceM(p, q));
  return best;
}

/** The 409 of an edit made on a version someone else has changed since. */
async function stale(store: Store, id: string, readVersion: number | undefined, now: { conflict: PlaceEdit | null; version: number }): Promise<AppError> {
  const name = (await store.placeState(id))?.state.name ?? id;
  const who = now.conflict ? `${now.conflict.actor}` : '?';
  const when = now.conflict ? toCityIso(Date.parse(now.conflict.at)).slice(0, 16).replace('T', ' ') : '?';
  return new AppError(
    409,
    bilingual(
      `点位「${name}」已被 ${who} 于 ${when} 修改（现为第 ${now.version} 版，你打开的是第 ${readVersion} 版）。请重新打开该点位，看过改动后再修改。`,
      `${name} was changed by ${who} at ${when} (now version ${now.version}; you opened version ${readVersion}). Open the point again, look at the change, then edit.`,
    ),
  );
}

async function mustExist(store: Store, id: string): Promise<{ state: PlaceState; version: number }> {
  const cur = await store.placeState(id);
  if (!cur)
    throw new NotFoundError(`There is no point "${id}" in the registry. List the points with GET /api/layers/markets (or communities, back-streets, points).`);
  return cur;
}

async function write(
  store: Store,
  id: string,
  readVersion: number | undefined,
  next: PlaceState,
  lengthM: number | null,
  action: PlaceEdit['action'],
  actor: string,
  nowMs: number,
) {
  const out = await store.writePlace(id, readVersion, next, lengthM, { action, at: new Date(nowMs).toISOString(), actor });
  if (out === null) await mustExist(store, id);
  if (out && 'conflict' in out) throw await stale(store, id, readVersion, out);
}

/** An area redrawn keeps its entrance while that is still at its edge; else the marker is inside it. */
function keptEntrance(entrance: LngLat | null, g: Geometry): LngLat | null {
  if (!entrance || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return null;
  return distanceToOutline(entrance, g) <= ENTRANCE_NEAR_M ? entrance : null;
}

/** A body's optional registry fields over a state: absent keeps, null clears, '' clears. */
function applied(base: PlaceState, b: Partial<PlaceCreateBody>): PlaceState {
  const text = (v: string | null | undefined, old: string | null) => (v === undefined ? old : v === null || v.trim() === '' ? null : v.trim());
  return {
    ...base,
    kind: b.kind ?? base.kind,
    name: b.name ?? base.name,
    geometry: b.geometry ?? base.geometry,
    entrance: b.entrance !== undefined ? b.entrance : b.geometry ? keptEntrance(base.entrance, b.geometry) : base.entrance,
    address: text(b.address, base.address),
    subdistrictId: b.subdistrictId === undefined ? base.subdistrictId : b.subdistrictId,
    unitId: b.unitId === undefined ? base.unitId : b.unitId,
    leaderId: b.leaderId === undefined ? base.leaderId : b.leaderId,
    keeper: text(b.keeper, base.keeper),
    contact: text(b.contact, base.contact),
    phone: text(b.phone, base.phone),
    notes: text(b.notes, base.notes),
    photos: b.photos ?? base.photos,
  };
}

const EMPTY: PlaceState = {
  kind: 'market',
  name: '',
  geometry: { type: 'Point', coordinates: [0, 0] },
  entrance: null,
  address: null,
  subdistrictId: null,
  unitId: null,
  leaderId: null,
  keeper: null,
  contact: null,
  phone: null,
  notes: null,
  photos: [],
  retired: null,
};

/** `POST /api/places`: a new point at version 1; answers its id. */
export async function createPlace(store: Store, base: Catalog, body: PlaceCreateBody, actor: string, nowMs: number, opts: EditOptions = {}): Promise<string> {
  const types = opts.types ?? (await editableTypes(store, base, nowMs));
  const prefix = ID_PREFIX[body.kind] ?? 'pt';
  let id = opts.id && !(await store.placeIdTaken(opts.id)) ? opts.id : '';
  while (!id || (await store.placeIdTaken(id))) id = `${prefix}-${randomUUID().slice(0, 8)}`;
  const { state, lengthM } = await checked(store, types, id, applied(EMPTY, body), body.subdistrictId !== undefined);
  assertInScope(opts.scope, state.subdistrictId);
  await store.insertPlace(id, state, lengthM, new Date(nowMs).toISOString(), actor, opts.action ?? 'create');
  return id;
}

/** `PATCH /api/places/:id`: the changed fields over the version they were read at. */
export async function patchPlace(
  store: Store,
  base: Catalog,
  id: string,
  body: PlacePatchBody,
  actor: string,
  nowMs: number,
  opts: EditOptions = {},
): Promise<void> {
  const cur = await mustExist(store, id);
  if (cur.version !== body.version) throw await stale(store, id, body.version, { conflict: await store.lastPlaceEdit(id), version: cur.version });
  const next = applied(cur.state, body);
  // A point moved is placed anew unless the subdistrict was named with it.
  const rederive = body.subdistrictId === undefined && body.geometry !== undefined;
  const { state, lengthM } = await checked(store, opts.types ?? (await editableTypes(store, base, nowMs)), id, next, !rederive);
  assertInScope(opts.scope, state.subdistrictId);
  await write(store, id, body.version, state, lengthM, opts.action ?? 'update', actor, nowMs);
}

/** `POST /api/places/:id/retire`. */
export async function retirePlace(
  store: Store,
  id: string,
  body: { version?: number; reason: string },
  actor: string,
  nowMs: number,
  opts: Pick<EditOptions, 'action'> = {},
): Promise<void> {
  const cur = await mustExist(store, id);
  if (cur.state.retired) {
    throw new AppError(
      409,
      bilingual(
        `点位「${cur.state.name}」已于 ${cur.state.retired.at.slice(0, 10)} 停用。`,
        `${cur.state.name} is retired already (since ${cur.state.retired.at.slice(0, 10)}).`,
      ),
    );
  }
  const next = { ...cur.state, retired: { at: new Date(nowMs).toISOString(), reason: body.reason.trim() } };
  await write(store, id, body.version ?? cur.version, next, lengthOf(next.geometry), opts.action === 'merge' ? 'merge' : 'retire', actor, nowMs);
}

/** `POST /api/places/:id/restore`: back in use, if no point of its type and name took its place meanwhile. */
export async function restorePlace(
  store: Store,
  base: Catalog,
  id: string,
  body: { version?: number },
  actor: string,
  nowMs: number,
  opts: Pick<EditOptions, 'types'> = {},
): Promise<void> {
  const cur = await mustExist(store, id);
  if (!cur.state.retired)
    throw new AppError(409, bilingual(`点位「${cur.state.name}」正在使用，无需恢复。`, `${cur.state.name} is in use; there is nothing to restore.`));
  const { state, lengthM } = await checked(store, opts.types ?? (await editableTypes(store, base, nowMs)), id, { ...cur.state, retired: null }, true);
  await write(store, id, body.version ?? cur.version, state, lengthM, 'restore', actor, nowMs);
}

/**
 * `POST /api/places/:id/undo`: the fields as they were before the latest edit, as a new version (so an
 * undo is itself in the history, and undoing it redoes). Undoing an addition retires the point.
 */
export async function undoPlace(store: Store, id: string, body: { version: number }, actor: string, nowMs: number): Promise<void> {
  const cur = await mustExist(store, id);
  if (cur.version !== body.version) throw await stale(store, id, body.version, { conflict: await store.lastPlaceEdit(id), version: cur.version });
  const last = await store.lastPlaceEdit(id);
  if (!last)
    throw new AppError(
      409,
      bilingual(`点位「${cur.state.name}」自导入后未被修改，没有可撤销的操作。`, `${cur.state.name} is as imported: there is no edit to undo.`),
    );
  const next: PlaceState = last.before ?? { ...cur.state, retired: { at: new Date(nowMs).toISOString(), reason: '撤销新增 (addition undone)' } };
  await write(store, id, body.version, next, lengthOf(next.geometry), 'undo', actor, nowMs);
}

/** A state's value of one field, as the history shows it. */
function fieldOf(s: PlaceState, f: RegistryField): unknown {
  return f === 'retired' ? (s.retired ? s.retired.reason || true : null) : s[f];
}

/** `GET /api/places/:id/history`: each edit with the fields it changed. */
export async function placeHistory(store: Store, id: string): Promise<PlaceHistory> {
  await mustExist(store, id);
  return {
    id,
    entries: (await store.placeHistory(id)).map((e) => ({
      version: e.version,
      action: e.action,
      at: toCityIso(Date.parse(e.at)),
      by: e.actor,
      changes: REGISTRY_FIELDS.flatMap((field) => {
        const before = e.before ? fieldOf(e.before, field) : null;
        const after = fieldOf(e.after, field);
        return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ field, before, after }];
      }),
    })),
  };
}

/** `GET /api/places`: the registry's points by the list's filters, each at its marker. */
export async function registryList(
  store: Store,
  q: { kind?: string; subdistrict?: string; q?: string; status: 'in-use' | 'retired' | 'all'; leader?: number },
): Promise<RegistryList> {
  return {
    places: (await store.listPlaces(q)).map(({ id, state: s, version }) => ({
      id,
      kind: s.kind,
      name: s.name,
      address: s.address,
      subdistrictId: s.subdistrictId,
      unitId: s.unitId,
      leaderId: s.leaderId,
      keeper: s.keeper,
      at: pointMarker(s.geometry, s.entrance),
      version,
      retiredAt: s.retired ? toCityIso(Date.parse(s.retired.at)) : null,
    })),
  };
}
