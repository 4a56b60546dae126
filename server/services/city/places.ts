import { NotFoundError } from '../../errors';
import type { PlaceDetail } from '../../contract/places';
import type { Store } from '../../store/index';
import { toCityIso } from '../../contract/city-time';

/** A market, community or back street with names resolved and its problem counts at `nowMs`. */
export function placeDetail(store: Store, id: string, nowMs: number): PlaceDetail {
  const place = store.getPlace(id);
  if (!place) {
    throw new NotFoundError(`There is no place "${id}". Place ids look like mk…, cm… or bs…; list them with GET /api/layers/markets.`);
  }
  const p = place.properties;
  const { state, version } = store.placeState(id)!;
  return {
    type: 'Feature',
    id: place.id,
    geometry: place.geometry,
    properties: {
      ...(p as PlaceDetail['properties']),
      subdistrictName: store.subdistrictName(p.subdistrictId),
      unitName: store.unitName(p.unitId),
      leaderId: state.leaderId,
      leaderName: state.leaderId === null ? null : (store.userById(state.leaderId)?.displayName ?? null),
      keeper: state.keeper,
      contact: state.contact,
      phone: state.phone,
      notes: state.notes,
      version,
      retiredAt: state.retired ? toCityIso(Date.parse(state.retired.at)) : null,
      retiredReason: state.retired?.reason ?? null,
      problemCounts: store.placeProblemCounts(place.id, nowMs),
    },
  };
}
