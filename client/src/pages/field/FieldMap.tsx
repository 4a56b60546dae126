/**
 * The field page's small map: my position (with a needle the way I face, when known), the next stop,
 * my team's route to it (from the plan) and the track I have walked so far, in my team's colour.
 * While a report is being made its location is a pin, and a tap on the map moves it (GPS in a narrow
 * street can be 30 m off). Follows me: it centres on my first fix and again whenever the next stop changes,
 * and while the track is recorded also once I have walked FOLLOW_AGAIN_M from where it last centred.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LngLat, Meta } from '../../api/types';
import { useI18n } from '../../app/use-i18n';
import { buildMapStyle, problemTileUrl } from '../../map/map-style';
import { MapView, type MapFocus } from '../../map/MapView';
import { distanceM, offsetTowards } from './field-logic';

const HIDDEN = ['problems'] as const;
const PADDING = { top: 16, right: 16, bottom: 16, left: 16 };
const FOLLOW_ZOOM = 16;
/** Length of the heading needle (m): about 30 px at the follow zoom. */
const HEADING_NEEDLE_M = 25;
/** While recording, walked this far from the map's last centre (m; about a third of the map at the follow zoom), it centres on me again. */
const FOLLOW_AGAIN_M = 200;
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
  /** The walked track, in parts (broken where recording paused), drawn in `color`; null: none. */
  walked: { parts: readonly (readonly LngLat[])[]; color: string } | null;
  /** Re-centre on me as I walk on (recording a track, not placing a report). */
  follow: boolean;
  /** Where the report being made goes (drawn as a pin); null while not reporting. */
  pin: LngLat | null;
  /** While set, a tap on the map moves the report's location there. */
  onMapClick: ((at: LngLat) => void) | null;
}

/** The map; tile errors while offline are expected and only counted, not shown as banners. */
export function FieldMap({ meta, here, located, heading, live, stop, route, walked, follow, pin, onMapClick }: FieldMapProps) {
  const { t } = useI18n();
  const origin = window.location.origin;
  const style = useMemo(() => buildMapStyle({ origin, bbox: meta.city.bbox, problemQuery: '', hidden: [...HIDDEN] }), [meta, origin]);
  const [focus, setFocus] = useState<MapFocus | null>(null);
  // Re-centred only when I get a fix or a new stop (the followKey): on every GPS tick it would fight my panning.
  const followKey = `${live}|${stop?.id ?? ''}`;
  const hereRef = useRef(here);
  hereRef.current = here;
  const centredAt = useRef<LngLat | null>(null);
  useEffect(() => {
    centredAt.current = hereRef.current;
    setFocus((f) => ({ center: hereRef.current, zoom: FOLLOW_ZOOM, key: (f?.key ?? 0) + 1 }));
  }, [followKey]);
  // Not on every fix (that would fight my panning): only once I have walked out of the middle of the map.
  useEffect(() => {
    const c = centredAt.current;
    if (!follow || !live || (c && distanceM(here, c) <= FOLLOW_AGAIN_M)) return;
    centredAt.current = here;
    // No zoom: the one I chose stays.
    setFocus((f) => ({ center: here, key: (f?.key ?? 0) + 1 }));
  }, [follow, live, here]);

  const overlay = useMemo<GeoJSON.FeatureCollection>(() => {
    const features: GeoJSON.Feature[] = [];
    if (route) features.push({ type: 'Feature', geometry: route, properties: { color: '#1d4ed8', width: 4 } });
    // Over the planned route: where the two part, the walked line is what happened. Single fixes draw nothing yet.
    if (walked) {
      for (const part of walked.parts) {
        if (part.length > 1)
          features.push({
            type: 'Feature',
            geometry: { type: 'LineString', coordinates: [...part] },
            properties: { color: walked.color, width: 5, walked: true },
          });
      }
    }
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
  }, [route, walked, stop, here, located, heading, live, pin]);

  return (
    <section
      className="field-map"
      id={FIELD_MAP_ID}
      data-testid="field-map"
      data-heading={heading !== null && live ? Math.round(heading) : undefined}
      data-walked={walked ? walked.parts.reduce((n, p) => n + p.length, 0) : 0}
    >
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
