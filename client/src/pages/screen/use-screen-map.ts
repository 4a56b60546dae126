/** The big screen map's hooks: data refreshed on a key, a settled value, a slow clock, the time, the areas' shapes, the pulses. */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LayerCollection } from '../../../../server/contract/layers';
import { isAbortError } from '../../api/client';
import { getLayer } from '../../api/layers';
import { bboxOf, type Shape } from './map/screen-data';

/** Pulse ring animation step. */
const PULSE_FRAME_MS = 120;

/** A new report pulsing on the map. */
export interface ScreenPulse {
  id: string;
  lngLat: [number, number];
  at: number;
}

/**
 * What `load` answers, fetched again whenever `key` changes while `enabled` (null while disabled or until
 * the first answer). A failed fetch keeps the last answer (a wall never blanks over a server restart) and
 * says so on the console; the next key tries again. `key` names everything `load` reads.
 */
export function useRefreshed<T>(what: string, load: (signal: AbortSignal) => Promise<T>, enabled: boolean, key: string): T | null {
  const [value, setValue] = useState<T | null>(null);
  // The fetch follows `key`, not each render's new closure; the closure of the latest render runs.
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    if (!enabled) return;
    const ctl = new AbortController();
    loadRef.current(ctl.signal).then(setValue, (err: unknown) => {
      if (!isAbortError(err)) console.warn(`screen map: ${what} not refreshed: ${err instanceof Error ? err.message : String(err)}`);
    });
    return () => ctl.abort();
  }, [key, enabled, what]);
  return enabled ? value : null;
}

/** `value`, once it has not changed for `ms` (the first value at once). */
export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (Object.is(value, settled)) return;
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, settled, ms]);
  return settled;
}

/** A number bumped every `ms`. */
export function useTick(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return tick;
}

/**
 * The names and boxes of a layer's areas (the subdistricts, the districts) by id: undefined while
 * loading, null when they cannot be loaded or are not wanted (the map then frames what it can: the
 * city at worst). A one-district city may have no districts layer at all (an empty map).
 */
export function useShapes(layer: 'subdistricts' | 'districts', enabled = true): Map<string, Shape> | null | undefined {
  const [shapes, setShapes] = useState<Map<string, Shape> | null | undefined>(undefined);
  useEffect(() => {
    if (!enabled) return;
    const ctl = new AbortController();
    getLayer(layer, null, ctl.signal).then(
      (fc: LayerCollection) => {
        const out = new Map<string, Shape>();
        for (const f of fc.features) {
          const id = String(f.id ?? f.properties?.id ?? '');
          const name = typeof f.properties?.name === 'string' ? f.properties.name : id;
          if (id) out.set(id, { name, bbox: bboxOf(f.geometry as GeoJSON.Geometry) });
        }
        setShapes(out);
      },
      (err: unknown) => {
        if (!isAbortError(err)) setShapes(null);
      },
    );
    return () => ctl.abort();
  }, [layer, enabled]);
  return enabled ? shapes : null;
}

/**
 * The pulses as overlay points whose ring grows and fades every second: one small setData a frame on
 * the overlay source (overlay.ts), only while something pulses; null when nothing does.
 */
export function usePulseOverlay(pulses: readonly ScreenPulse[]): GeoJSON.FeatureCollection | null {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    if (!pulses.length) return;
    const timer = setInterval(() => setFrame((f) => f + 1), PULSE_FRAME_MS);
    return () => clearInterval(timer);
  }, [pulses.length]);
  return useMemo(() => {
    if (!pulses.length) return null;
    const phase = ((frame * PULSE_FRAME_MS) % 1000) / 1000;
    return {
      type: 'FeatureCollection',
      features: pulses.flatMap((p): GeoJSON.Feature[] => [
        {
          type: 'Feature',
          id: `${p.id}-ring`,
          geometry: { type: 'Point', coordinates: p.lngLat },
          properties: { id: p.id, color: 'rgba(255, 59, 48, 0.35)', radius: 12 + 28 * phase },
        },
        { type: 'Feature', id: p.id, geometry: { type: 'Point', coordinates: p.lngLat }, properties: { id: p.id, color: '#ff3b30', radius: 10 } },
      ]),
    };
  }, [pulses, frame]);
}
