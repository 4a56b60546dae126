/**
 * The field page's small map: my position (with a needle the way I face, when known), the next stop
 * and my team's route to it (from the plan).
 * While a report is being made its location is a pin, and a tap on the map moves it (GPS in a narrow
 * street can be 30 m off). Follows me: it centres on my first fix and again whenever the next stop changes.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LngLat, Meta } from '../../api/types';
import { useI18n } from '../../app/use-i18n';
import { buildMapStyle, problemTileUrl } from '../../map/map-style';
import { MapView, type MapFocus } from '../../map/MapView';
import { offsetTowards } from './field-logic';

const HIDDEN = ['problems'] as const;
const PADDING = { top: 16, right: 16, bottom: 16, left: 16 };
const FOLLOW_ZOOM = 16;
/** Length of the heading needle (m): about 30 px at the follow zoom. */
const HEADING_NEEDLE_M = 25;
const noop = () => {};
/** The map section's element id: the report form brings the map into view when it needs a place picked there. */
export const FIELD_MAP_ID = 'field-map';

interface FieldMapProps {
  meta: Meta;
  here: LngLat;
  /** False where the page has no GPS at all (plain HTTP): `here` is then only the city centre, and no dot claims it is me. */
  located: boolean;
  /** Which way I face (degrees clockwise from north), drawn as a needle from my dot; null: unknown, none drawn. */
  heading: number | null;
  live: boolean;
  stop: { id: string; lngLat: LngLat; label: string } | null;
  route: GeoJSON.LineString | null;
  /** Where the report being made goes (drawn as a pin); null while not reporting. */
  pin: LngLat | null;
  /** While set, a tap on the map moves the report's location there. */
  onMapClick: ((at: LngLat) => void) | null;
}

/** The map; tile errors while offline are expected and only counted, not shown as banners. */
export function FieldMap({ meta, here, located, heading, live, stop, route, pin, onMapClick }: FieldMapProps) {
  const { t } = useI18n();
  const origin = window.location.origin;
  const style = useMemo(() => buildMapStyle({ origin, bbox: meta.city.bbox, problemQuery: '', hidden: [...HIDDEN] }), [meta, origin]);
  const [focus, setFocus] = useState<MapFocus | null>(null);
  // Re-centred only when I get a fix or a new stop (the followKey): on every GPS tick it would fight my panning.
  const followKey = `${live}|${stop?.id ?? ''}`;
  const hereRef = useRef(here);
  hereRef.current = here;
  useEffect(() => {
    setFocus((f) => ({ center: hereRef.current, zoom: FOLLOW_ZOOM, key: (f?.key ?? 0) + 1 }));
  }, [followKey]);

  const overlay = useMemo<GeoJSON.FeatureCollection>(() => {
    const features: GeoJSON.Feature[] = [];
    if (route) features.push({ type: 'Feature', geometry: route, properties: { color: '#1d4ed8', width: 4 } });
    if (stop)
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: stop.lngLat },
        properties: { color: '#c62828', label: stop.label, radius: 13 },
      });
    if (heading !== null && live) {
      features.push({
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: [here, offsetTowards(here, heading, HEADING_NEEDLE_M)] },
        properties: { color: '#1a73e8', width: 4, heading: Math.round(heading) },
      });
    }
    if (located)
      features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: here }, properties: { color: live ? '#1a73e8' : '#9e9e9e', radius: 8 } });
    if (pin) features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: pin }, properties: { color: '#f57c00', radius: 10 } });
    return { type: 'FeatureCollection', features };
  }, [route, stop, here, located, heading, live, pin]);

  return (
    <section className="field-map" id={FIELD_MAP_ID} data-testid="field-map" data-heading={heading !== null && live ? Math.round(heading) : undefined}>
      <MapView
        style={style}
        initialView={{ center: here, zoom: FOLLOW_ZOOM }}
        fitBounds={meta.city.bbox}
        fitPadding={PADDING}
        attribution={meta.city.attribution}
        problemTiles={problemTileUrl(origin, '')}
        hidden={HIDDEN}
        selected={null}
        focus={focus}
        ariaLabel={t('app.mapLabel')}
        onError={noop}
        overlay={overlay}
        onMapClick={onMapClick}
      />
    </section>
  );
}
