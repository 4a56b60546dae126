/**
 * 路线测算 — the "route between two points" tool: click a start and an end on the map, see the path
 * along the streets and the time and distance on foot, by e-bike and by car. The map page owns the
 * map; this component owns the tool's state and tells the page what to draw (`onOverlay`) and whether
 * clicks are its own (`onClickHandler`).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { isAbortError } from '../../api/client';
import { getRoute } from '../../api/routing';
import type { LngLat, Profile, RouteFeature } from '../../api/types';
import { useI18n } from '../../app/use-i18n';
import { formatDistance, formatDuration } from '../../lib/format';

const PROFILES: readonly Profile[] = ['walk', 'ebike', 'car'];
const PROFILE_COLOR: Record<Profile, string> = { walk: '#1d4ed8', ebike: '#0f766e', car: '#7c3aed' };
// Snapping farther than this is worth telling: the user probably clicked inside a block, not on a street.
const SNAP_NOTE_M = 30;

type Result = { state: 'loading' } | { state: 'ok'; route: RouteFeature } | { state: 'error'; message: string };

export interface RouteToolProps {
  active: boolean;
  onActiveChange: (active: boolean) => void;
  onOverlay: (overlay: GeoJSON.FeatureCollection | null) => void;
  onClickHandler: (handler: ((lngLat: LngLat) => void) | null) => void;
}

/** The tool's button and card. */
export function RouteTool({ active, onActiveChange, onOverlay, onClickHandler }: RouteToolProps) {
  const { t, lang } = useI18n();
  const [points, setPoints] = useState<LngLat[]>([]);
  const [results, setResults] = useState<Partial<Record<Profile, Result>>>({});
  const [shown, setShown] = useState<Profile>('walk');

  const addPoint = useCallback((p: LngLat) => setPoints((list) => (list.length >= 2 ? [p] : [...list, p])), []);

  useEffect(() => {
    onClickHandler(active ? addPoint : null);
    return () => onClickHandler(null);
  }, [active, addPoint, onClickHandler]);

  useEffect(() => {
    if (points.length < 2) {
      setResults({});
      return;
    }
    const ctl = new AbortController();
    setResults(Object.fromEntries(PROFILES.map((p) => [p, { state: 'loading' }])));
    for (const profile of PROFILES) {
      getRoute(points[0], points[1], profile, ctl.signal).then(
        (route) => setResults((r) => ({ ...r, [profile]: { state: 'ok', route } })),
        (err: unknown) => {
          if (isAbortError(err)) return;
          setResults((r) => ({ ...r, [profile]: { state: 'error', message: err instanceof Error ? err.message : String(err) } }));
        },
      );
    }
    return () => ctl.abort();
  }, [points]);

  const shownResult = results[shown];
  const overlay = useMemo<GeoJSON.FeatureCollection | null>(() => {
    if (!active || points.length === 0) return null;
    const features: GeoJSON.Feature[] = [];
    if (shownResult?.state === 'ok') {
      const { route } = shownResult;
      features.push({ type: 'Feature', geometry: route.geometry, properties: { color: PROFILE_COLOR[shown], width: 6 } });
      // Where a clicked point was moved onto the street, a thin dashed link shows it.
      route.properties.snapped.forEach((s) => {
        if (s.distanceM > 1) {
          features.push({
            type: 'Feature',
            geometry: { type: 'LineString', coordinates: [s.input, s.lngLat] },
            properties: { color: '#475569', dashed: true },
          });
        }
      });
    }
    points.forEach((p, i) => {
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: p },
        properties: { color: i === 0 ? '#15803d' : '#b91c1c', label: t(i === 0 ? 'route.startMark' : 'route.endMark') },
      });
    });
    return { type: 'FeatureCollection', features };
  }, [active, points, shownResult, shown, t]);

  useEffect(() => onOverlay(overlay), [overlay, onOverlay]);

  const close = () => {
    setPoints([]);
    onActiveChange(false);
  };

  if (!active) {
    return (
      <button type="button" className="route-tool-button" onClick={() => onActiveChange(true)} data-testid="route-tool-open">
        <span aria-hidden="true">⤳</span> {t('route.open')}
      </button>
    );
  }

  const snapNotes =
    shownResult?.state === 'ok'
      ? shownResult.route.properties.snapped
          .map((s, i) => (s.distanceM > SNAP_NOTE_M ? t(i === 0 ? 'route.snapStart' : 'route.snapEnd', { m: Math.round(s.distanceM) }) : null))
          .filter((s): s is string => s !== null)
      : [];

  return (
    <section className="route-tool card" aria-labelledby="route-tool-title" data-testid="route-tool">
      <header className="section-header">
        <h2 id="route-tool-title">{t('route.title')}</h2>
        <button type="button" className="ghost" onClick={close}>
          {t('route.close')}
        </button>
      </header>
      <p className="route-tool-hint" role="status">
        {points.length === 0 ? t('route.pickStart') : points.length === 1 ? t('route.pickEnd') : t('route.pickAgain')}
      </p>
      {points.length === 2 && (
        <table className="route-tool-table">
          <thead>
            <tr>
              <th scope="col">{t('route.profile')}</th>
              <th scope="col">{t('route.time')}</th>
              <th scope="col">{t('route.distance')}</th>
            </tr>
          </thead>
          <tbody>
            {PROFILES.map((p) => {
              const r = results[p];
              return (
                <tr key={p} className={p === shown ? 'selected' : ''} onClick={() => setShown(p)} aria-selected={p === shown} data-testid={`route-row-${p}`}>
                  <th scope="row">
                    <span className="route-swatch" style={{ background: PROFILE_COLOR[p] }} aria-hidden="true" />
                    {t(`route.profile.${p}`)}
                  </th>
                  {!r || r.state === 'loading' ? (
                    <td colSpan={2} className="muted">
                      {t('panel.loading')}
                    </td>
                  ) : r.state === 'error' ? (
                    <td colSpan={2} className="route-error" title={r.message}>
                      {t('route.failed')}
                    </td>
                  ) : (
                    <>
                      <td>{formatDuration(r.route.properties.durationS, lang)}</td>
                      <td>{formatDistance(r.route.properties.distanceM, lang)}</td>
                    </>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {shownResult?.state === 'error' && <p className="route-error-text">{shownResult.message}</p>}
      {snapNotes.map((n) => (
        <p key={n} className="muted route-note">
          {n}
        </p>
      ))}
      {points.length > 0 && (
        <button type="button" className="ghost" onClick={() => setPoints([])}>
          {t('route.clear')}
        </button>
      )}
    </section>
  );
}
