/** The inspection points near me (markets, back streets, communities and the other types), nearest first: what the page offers without a plan. */
import { useMemo } from 'react';
import { getLayer } from '../../api/layers';
import type { LngLat } from '../../api/types';
import { useRequest } from '../../app/use-request';
import { geometryCenter } from '../../lib/geometry';
import { bboxAround, byDistance, type FieldPoint } from './field-logic';
import { cellOf, NEARBY_M } from './use-look-backs';

const LAYERS = ['markets', 'back-streets', 'communities', 'points'] as const;
/** Points listed: the nearest as a card, the rest as a list. */
const SHOWN = 8;

/** Asked only while `enabled` (no plan today); re-asked when I have moved to another ~100 m cell. */
export function useNearbyPoints(here: LngLat, enabled: boolean) {
  const cell = cellOf(here);
  const nearby = useRequest(
    enabled
      ? async (signal) => {
          const bbox = bboxAround(here, NEARBY_M);
          const layers = await Promise.all(LAYERS.map((l) => getLayer(l, bbox, signal)));
          const points: FieldPoint[] = layers.flatMap((fc, i) =>
            fc.features.flatMap((f) => {
              const c = geometryCenter(f.geometry);
              return c
                ? [
                    {
                      id: String(f.id),
                      name: String(f.properties?.name ?? f.id),
                      kind: String((f.properties as { kind?: string }).kind ?? LAYERS[i]),
                      lngLat: c,
                    },
                  ]
                : [];
            }),
          );
          return points;
        }
      : null,
    [enabled, cell],
  );
  const sorted = useMemo(() => (nearby.data ? byDistance(nearby.data, here).slice(0, SHOWN) : []), [nearby.data, here]);
  return { points: sorted, error: nearby.error };
}
