/**
 * The field page's device hooks: the compass (DeviceOrientationEvent) for the heading, and the
 * service worker's pre-fetch of the plan area's base tiles with its progress.
 */
import { useEffect, useState } from 'react';
import { compassOf, tilesForBbox } from './field-logic';

/**
 * The compass heading (degrees clockwise from north) where the browser gives an absolute one, else
 * null. iOS asks permission on a tap (`DeviceOrientationEvent.requestPermission`); we do not prompt,
 * so there it stays null unless already granted, and the GPS course is used while walking.
 */
export function useCompass(): number | null {
  const [deg, setDeg] = useState<number | null>(null);
  useEffect(() => {
    if (typeof window.DeviceOrientationEvent === 'undefined') return;
    const on = (e: DeviceOrientationEvent) => setDeg(compassOf(e as DeviceOrientationEvent & { webkitCompassHeading?: number }));
    // Chrome's absolute event is tied to north; the plain one is relative except on iOS (webkitCompassHeading).
    const absolute = 'ondeviceorientationabsolute' in window;
    const type = absolute ? 'deviceorientationabsolute' : 'deviceorientation';
    window.addEventListener(type as 'deviceorientation', on);
    return () => window.removeEventListener(type as 'deviceorientation', on);
  }, []);
  return deg;
}

export interface TilePrefetch {
  done: number;
  failed: number;
  total: number;
  /** Set when the area was too large for every zoom: the highest zoom kept. */
  cappedAt: number | null;
}

/**
 * Asks the service worker to keep the base tiles of `bbox` (the plan area, already buffered) for
 * offline use, once per `key` (the plan) and page load; returns the progress, or null before the
 * worker answers (or where there is none).
 */
export function useTilePrefetch(key: string | null, bbox: [number, number, number, number] | null, online: boolean): TilePrefetch | null {
  const [progress, setProgress] = useState<TilePrefetch | null>(null);
  const box = bbox?.map((v) => v.toFixed(5)).join(',') ?? null;
  useEffect(() => {
    if (!key || !bbox || !online || !('serviceWorker' in navigator)) return;
    const { tiles, cappedAt } = tilesForBbox(bbox);
    const urls = tiles.map(([z, x, y]) => `${window.location.origin}/tiles/base/${z}/${x}/${y}.pbf`);
    const onMessage = (e: MessageEvent) => {
      const m = e.data as { type?: string; key?: string; done: number; failed: number; total: number } | null;
      if (m?.type === 'prefetch-progress' && m.key === key) setProgress({ done: m.done, failed: m.failed, total: m.total, cappedAt });
    };
    navigator.serviceWorker.addEventListener('message', onMessage);
    let alive = true;
    void navigator.serviceWorker.ready.then((reg) => {
      if (!alive || !reg.active) return;
      setProgress({ done: 0, failed: 0, total: urls.length, cappedAt });
      reg.active.postMessage({ type: 'prefetch-tiles', key, urls });
    });
    return () => {
      alive = false;
      navigator.serviceWorker.removeEventListener('message', onMessage);
    };
  }, [key, box, online]); // eslint-disable-line react-hooks/exhaustive-deps -- bbox is compared by value (box): the same area again must not fetch again
  return progress;
}
