/**
 * A team's start or end picked by name: the unit offices (街道办事处, 城管中队 …) and the registry's points
 * whose name has what the clerk types, so a team sets off from 古楼街道办事处, not from "115.9800, 36.4500".
 * Clicking the map stays the other way (PlanPage names the spot by what is there).
 */
import { useEffect, useRef, useState } from 'react';
import { getLayer } from '../../api/layers';
import { listRegistry } from '../../api/places';
import { pointMarker, type LngLat } from '../../../../server/contract/geo';
import type { Geometry } from '../../../../server/contract/geojson';
import { planText } from '../../lib/plan-text';
import { useI18n } from '../../app/use-i18n';

export interface Spot {
  name: string;
  at: LngLat;
  /** What it is, shown beside the name (单位 or the point type). */
  what: string;
}

/** Results listed; typing more narrows them. */
const SHOWN = 8;
const TYPING_PAUSE_MS = 250;

export function SpotPicker({
  label,
  kindName,
  onPick,
  testId,
}: {
  label: string;
  kindName: (kind: string) => string;
  onPick: (s: Spot) => void;
  testId: string;
}) {
  const { lang } = useI18n();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Spot[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [open, setOpen] = useState(false);
  const units = useRef<Spot[] | null>(null);
  // Read when the answer comes: a new function each render of the form must not restart the search.
  const kindNameRef = useRef(kindName);
  kindNameRef.current = kindName;

  useEffect(() => {
    const text = q.trim();
    if (!text) {
      setFound(null);
      return;
    }
    const ac = new AbortController();
    const timer = setTimeout(() => {
      void (async () => {
        try {
          units.current ??= (await getLayer('units', null, ac.signal)).features.map((f) => ({
            name: String(f.properties.name),
            at: pointMarker(f.geometry as Geometry, null),
            what: planText(lang, 'spotUnit'),
          }));
          const places = await listRegistry({ q: text, status: 'in-use' }, ac.signal);
          const offices = units.current.filter((u) => u.name.includes(text));
          const points = places.places.map((p) => ({ name: p.name, at: p.at, what: kindNameRef.current(p.kind) }));
          setFound([...offices, ...points].slice(0, SHOWN));
          setFailed(false);
        } catch (err) {
          if (!ac.signal.aborted) {
            setFailed(true);
            console.warn('place search failed', err);
          }
        }
      })();
    }, TYPING_PAUSE_MS);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [q, lang]);

  return (
    <div
      className="spot-picker"
      // Closed when the clerk goes on elsewhere; opened again when he comes back to it.
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget)) setOpen(false);
      }}
      onFocus={() => setOpen(true)}
      onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
    >
      <input
        type="search"
        value={q}
        placeholder={label}
        aria-label={label}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
        }}
        data-testid={testId}
      />
      {open && found && (
        <ul className="spot-results" aria-label={label}>
          {found.length === 0 && <li className="muted">{planText(lang, failed ? 'spotFailed' : 'spotNone')}</li>}
          {found.map((s, i) => (
            <li key={`${s.name}-${i}`}>
              <button
                type="button"
                className="link"
                onClick={() => {
                  onPick(s);
                  setQ('');
                }}
              >
                {s.name} <span className="muted">{s.what}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
