/** My position from the phone's GPS (watchPosition), with its accuracy, course and speed. */
import { useEffect, useState } from 'react';
import type { LngLat } from '../../api/types';

export interface Fix {
  at: LngLat;
  accuracyM: number | null;
  heading: number | null;
  speedMps: number | null;
  /**
   * When the page received it (the page's clock, epoch ms), null for the fallback. Not
   * `position.timestamp`: some browsers stamp it with the GPS clock or another epoch, and the track's
   * times must be on the clock the server compares with.
   */
  atMs: number | null;
}

/**
 * The latest GPS fix, `fallback` (the city centre) until the first one; `live` once one arrived;
 * `error` the browser's sentence while there is none (refused, no signal). Not `enabled` (an insecure
 * page, where the browser refuses every request with an English sentence): nothing is asked.
 */
export function useGps(fallback: LngLat, enabled = true): { fix: Fix; live: boolean; error: string | null } {
  const [fix, setFix] = useState<Fix>({ at: fallback, accuracyM: null, heading: null, speedMps: null, atMs: null });
  const [live, setLive] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!enabled) return;
    if (!navigator.geolocation) return setError('no geolocation');
    const id = navigator.geolocation.watchPosition(
      (p) => {
        setFix({
          at: [p.coords.longitude, p.coords.latitude],
          accuracyM: p.coords.accuracy,
          heading: p.coords.heading,
          speedMps: p.coords.speed,
          atMs: Date.now(),
        });
        setLive(true);
        setError(null);
      },
      (e) => setError(e.message),
      { enableHighAccuracy: true, maximumAge: 10_000, timeout: 30_000 },
    );
    return () => navigator.geolocation.clearWatch(id);
  }, [enabled]);
  return { fix, live, error };
}
