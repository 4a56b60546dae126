import { NotFoundError } from '../../errors';
import type { BBox } from '../../contract/geo';
import { distanceM, pointMarker, type LngLat } from '../../contract/geo';
import type { PlaceDetail, SpotName } from '../../contract/places';
import { distanceToGeometryM } from '../../geo/geometry';
import { degreesAround } from '../../workflow/nearby';
import type { Store } from '../../store/index';
import { toCityIso } from '../../contract/city-time';
import { mediaUrls } from '../media/media';

/** A market, community or back street with names resolved and its problem counts at `nowMs`. */
export async function placeDetail(store: Store, id: string, nowMs: number): Promise<PlaceDetail> {
  const place = await store.getPlace(id);
  if (!place) {
    throw new NotFoundError(`There is no place "${id}". Place ids look like mk…, cm… or bs…; list them with GET /api/layers/markets.`);
  }
  const p = place.properties;
  const { state, version } = (await store.placeState(id))!;
  return {
    type: 'Feature',
    id: place.id,
    geometry: place.geometry,
    properties: {
      ...(p as PlaceDetail['properties']),
      subdistrictName: await store.subdistrictName(p.subdistrictId),
      unitName: await store.unitName(p.unitId),
      leaderId: state.leaderId,
      leaderName: state.leaderId === null ? null : ((await store.userById(state.leaderId))?.displayName ?? null),
      keeper: state.keeper,
      contact: state.contact,
      phone: state.phone,
      notes: state.notes,
      photos: await Promise.all(state.photos.map(async (hash) => ({ hash, ...mediaUrls(hash), takenAt: (await store.getMedia(hash))?.takenAt ?? null }))),
      version,
      retiredAt: state.retired ? toCityIso(Date.parse(state.retired.at)) : null,
      retiredReason: state.retired?.reason ?? null,
      problemCounts: await store.placeProblemCounts(place.id, nowMs),
    },
  };
}

/** A unit office or inspection point this close names a spot (metres): the team sets off from it. */
const SPOT_PLACE_M = 60;
/** Else a named street this close: "振兴大道附近" (metres). */
const SPOT_STREET_M = 150;

/**
 * A name for a spot clicked on the map, as a clerk would say where a team sets off: the unit office or
 * inspection point at it, else the street it is by ("振兴大道附近"), else null (far from anything named).
 */
export async function spotName(store: Store, at: LngLat): Promise<SpotName> {
  const { dLng, dLat } = degreesAround(at[1], SPOT_STREET_M);
  const box: BBox = [at[0] - dLng, at[1] - dLat, at[0] + dLng, at[1] + dLat];
  let best: SpotName = { name: null, source: null };
  let bestM = SPOT_PLACE_M;
  for (const layer of ['units', 'markets', 'communities', 'points'] as const) {
    for (const f of await store.layerFeatures(layer, box)) {
      const p = f.properties as { name?: string | null; entrance?: LngLat | null };
      if (!p.name) continue;
      const d = distanceM(pointMarker(f.geometry, p.entrance ?? null), at);
      if (d < bestM) [best, bestM] = [{ name: p.name, source: layer === 'units' ? 'unit' : 'place' }, d];
    }
  }
  if (best.name) return best;
  bestM = SPOT_STREET_M;
  for (const f of await store.layerFeatures('roads', box)) {
    const name = (f.properties as { name?: string | null }).name;
    if (!name) continue;
    const d = distanceToGeometryM(at, f.geometry);
    if (d < bestM) [best, bestM] = [{ name: `${name}附近`, source: 'street' }, d];
  }
  return best;
}
