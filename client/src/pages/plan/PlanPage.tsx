/**
 * 路线规划 — the route planner: date, teams (start and end clicked on the map, shift, budget), the
 * stop selection tools (a drawn area on the map too), Optimise → routes in team colours with
 * numbered stops, per-team lists with ETAs, totals and dropped stops; drag-and-drop editing with
 * locks, re-time or re-optimise (both save), exports (GPX, GeoJSON, printable task sheets).
 * `?stops=a,b` preselects stops (the hotspots page links here); `?plan=id` reopens a saved plan.
 * Once a team walks the plan, its 实走进度 (WalkedProgress.tsx) and its walked track and latest
 * position on the map beside the planned route (use-plan-progress.ts).
 * State lives in use-plan.ts; the map draws plan-overlay.ts.
 */
import { useCallback, useMemo, useState } from 'react';
import { planExportUrl, type Plan, type PlanSummary } from '../../api/plans';
import { getSpotName } from '../../api/places';
import type { LngLat } from '../../api/types';
import type { Lang } from '../../app/i18n';
import { ErrorBanner } from '../../app/ErrorBanner';
import type { PageProps } from '../../app/pages';
import { useI18n } from '../../app/use-i18n';
import { buildMapStyle, problemTileUrl } from '../../map/map-style';
import { MapView, type MapHit } from '../../map/MapView';
import { cityToday } from '../../lib/plan-request';
import { planText, type PlanTextKey } from '../../lib/plan-text';
import { PlanForm, type ClickMode } from './PlanForm';
import { planMapOverlay } from './plan-overlay';
import { PlanResult } from './PlanResult';
import { usePlan, useSavedPlans } from './use-plan';
import { usePlanProgress } from './use-plan-progress';
import { WalkedMapKey, WalkedProgress } from './WalkedProgress';
import './plan-progress.css';

const FIT_PADDING = { top: 24, right: 24, bottom: 24, left: 24 };
const HIDDEN_LAYERS = ['problems'] as const;

type PlanT = (key: PlanTextKey, params?: Record<string, string | number>) => string;

/** The planner page. */
export function PlanPage({ meta, lang }: PageProps) {
  const { t } = useI18n();
  const p = useCallback<PlanT>((key, params) => planText(lang, key, params), [lang]);
  const pl = usePlan(meta, lang);
  const { form, setForm, plan, draft, status } = pl;
  const { saved, drop } = useSavedPlans(form.date, plan);
  const [clickMode, setClickMode] = useState<ClickMode>(null);
  const [drawing, setDrawing] = useState<LngLat[]>([]);
  const [mapErrors, setMapErrors] = useState<string[]>([]);
  // The page's day: a plan of today is being walked (polled, its silent teams' dots fade).
  const [today] = useState(cityToday);
  const live = plan?.date === today;
  const walk = usePlanProgress(plan?.id ?? null, live, plan?.updatedAt);

  const origin = window.location.origin;
  const style = useMemo(() => buildMapStyle({ origin, bbox: meta.city.bbox, problemQuery: '', hidden: [...HIDDEN_LAYERS] }), [meta, origin]);

  const onOptimise = () => {
    setClickMode(null);
    pl.optimise();
  };
  const onDelete = (id: string) => void pl.remove(id).then((done) => done && drop(id));

  const onMapClick = useCallback(
    (ll: LngLat) => {
      if (!clickMode) return;
      if (clickMode.kind === 'polygon') {
        setDrawing((d) => [...d, ll]);
        return;
      }
      const { kind, team } = clickMode;
      const nameKey = kind === 'start' ? 'startName' : 'endName';
      setForm((f) => ({ ...f, teams: f.teams.map((tm, i) => (i === team ? { ...tm, [kind]: ll, [nameKey]: null } : tm)) }));
      setClickMode(null);
      // Named by what is there (an office, a market, the street); the coordinates stay until it answers, and if it cannot.
      void getSpotName(ll)
        .then(({ name }) =>
          setForm((f) => ({
            ...f,
            teams: f.teams.map((tm, i) => (i === team && tm[kind] === ll ? { ...tm, [nameKey]: name } : tm)),
          })),
        )
        .catch((err: unknown) => console.warn('spot name failed', err));
    },
    [clickMode, setForm],
  );
  const onFinishPolygon = () => {
    if (drawing.length >= 3) setForm((f) => ({ ...f, polygon: drawing }));
    setDrawing([]);
    setClickMode(null);
  };
  const onClickModeChange = (mode: ClickMode) => {
    setDrawing([]);
    setClickMode(mode);
  };
  // Clicking a market, community or back street adds it to (or takes it out of) the preselected stops.
  const onHit = useCallback(
    (hit: MapHit) => {
      if (hit.kind !== 'place') return;
      setForm((f) => ({ ...f, ids: f.ids.includes(hit.id) ? f.ids.filter((x) => x !== hit.id) : [...f.ids, hit.id] }));
    },
    [setForm],
  );
  const onMapError = useCallback((m: string) => setMapErrors((l) => (l.includes(m) ? l : [...l, m])), []);

  const drawingArea = clickMode?.kind === 'polygon';
  const overlay = useMemo(
    () =>
      planMapOverlay({
        plan,
        teams: form.teams,
        polygon: form.polygon,
        drawing: drawingArea ? drawing : null,
        startMark: t('route.startMark'),
        endMark: t('route.endMark'),
        walked: walk.tracks,
        positions: walk.fixes,
      }),
    [plan, form.teams, form.polygon, drawing, drawingArea, t, walk.tracks, walk.fixes],
  );
  const walkedOnMap = plan !== null && ((walk.tracks?.features.length ?? 0) > 0 || walk.fixes.length > 0);

  const busy = status.state === 'busy';
  const clickHint =
    clickMode && clickMode.kind !== 'polygon'
      ? p('clickMap', { what: p(clickMode.kind), team: form.teams[clickMode.team]?.name ?? '' })
      : drawingArea
        ? p('polygonHint', { n: drawing.length })
        : null;

  return (
    <div className="plan-page" data-testid="plan-page">
      <aside className="plan-side" aria-label={p('title')}>
        <PlanForm
          meta={meta}
          form={form}
          onChange={setForm}
          clickMode={clickMode}
          onClickMode={onClickModeChange}
          drawing={drawing}
          onFinishPolygon={onFinishPolygon}
        />
        <section className="panel-section plan-actions">
          <button type="button" className="primary" onClick={onOptimise} disabled={busy} data-testid="plan-optimise">
            {p('optimise')}
          </button>
          {busy && (
            <span className="plan-busy" role="status" data-testid="plan-busy">
              <span className="spinner" aria-hidden="true" /> {p(status.what)}
            </span>
          )}
        </section>
        {status.state === 'error' && (
          <div className="panel-section">
            <ErrorBanner messages={[p('failed', { message: status.message })]} onDismiss={() => pl.setStatus({ state: 'idle' })} />
          </div>
        )}
        <SavedPlans saved={saved} openId={plan?.id ?? null} p={p} onOpen={pl.open} onDelete={onDelete} />
        {plan && draft ? (
          <>
            <PlanActions
              plan={plan}
              lang={lang}
              p={p}
              name={pl.name}
              onName={pl.setName}
              dirty={pl.dirty}
              busy={busy}
              onRetime={pl.retime}
              onReoptimise={pl.reoptimise}
            />
            <WalkedProgress view={walk} live={live} />
            <PlanResult plan={plan} draft={draft} onDraft={pl.setDraft} readOnly={plan.mayChange === false} />
          </>
        ) : (
          !busy && (
            <p className="panel-section muted" data-testid="plan-empty">
              {p('empty')}
            </p>
          )
        )}
      </aside>
      <section className="plan-map map-area">
        <MapView
          style={style}
          initialView={null}
          fitBounds={meta.city.bbox}
          fitPadding={FIT_PADDING}
          attribution={meta.city.attribution}
          problemTiles={problemTileUrl(origin, '')}
          hidden={HIDDEN_LAYERS}
          selected={null}
          ariaLabel={t('app.mapLabel')}
          onHit={onHit}
          onError={onMapError}
          overlay={overlay}
          onMapClick={clickMode ? onMapClick : null}
        />
        {walkedOnMap && <WalkedMapKey />}
        {clickHint && (
          <div className="map-notice" role="status" data-testid="plan-click-hint">
            {clickHint}
          </div>
        )}
        {mapErrors.length > 0 && (
          <div className="map-banners">
            <ErrorBanner messages={mapErrors.map((m) => t('error.map', { message: m }))} onDismiss={() => setMapErrors([])} />
          </div>
        )}
        {busy && (
          <div className="map-loading" role="status">
            <span className="spinner" aria-hidden="true" /> {p(status.what)}
          </div>
        )}
      </section>
    </div>
  );
}

/** The day's saved plans: open one, or delete it. */
function SavedPlans(props: { saved: PlanSummary[]; openId: string | null; p: PlanT; onOpen: (id: string) => void; onDelete: (id: string) => void }) {
  const { saved, openId, p, onOpen, onDelete } = props;
  if (saved.length === 0) return null;
  return (
    <section className="panel-section">
      <h3>{p('savedPlans')}</h3>
      <ul className="plan-saved">
        {saved.map((s) => (
          <li key={s.id}>
            <button type="button" className="link" onClick={() => onOpen(s.id)} aria-current={s.id === openId ? 'true' : undefined}>
              {s.name}
            </button>{' '}
            <small className="muted">
              {s.served} · {s.updatedAt.slice(11, 16)}
            </small>{' '}
            {s.mayChange && (
              <button type="button" className="link" aria-label={`${p('delete')} ${s.name}`} title={p('delete')} onClick={() => onDelete(s.id)}>
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

interface PlanActionsProps {
  plan: Plan;
  lang: Lang;
  p: PlanT;
  name: string;
  onName: (name: string) => void;
  dirty: boolean;
  busy: boolean;
  onRetime: () => void;
  onReoptimise: () => void;
}

/** The open plan's name, save state, re-time / re-optimise, and its exports. */
function PlanActions({ plan, lang, p, name, onName, dirty, busy, onRetime, onReoptimise }: PlanActionsProps) {
  if (plan.mayChange === false)
    return (
      <>
        <p className="panel-section muted" data-testid="plan-read-only">
          <strong>{plan.name}</strong> · {p('readOnly')}
        </p>
        <PlanExports plan={plan} lang={lang} p={p} />
      </>
    );
  return (
    <>
      <section className="panel-section plan-actions">
        <input className="plan-name" aria-label={p('planName')} value={name} maxLength={80} onChange={(e) => onName(e.target.value)} data-testid="plan-name" />
        <button type="button" onClick={onRetime} disabled={busy} className={dirty ? 'primary' : ''} data-testid="plan-retime">
          {p('retime')}
        </button>
        <button type="button" onClick={onReoptimise} disabled={busy} data-testid="plan-reoptimise">
          {p('reoptimise')}
        </button>
        <span className={dirty ? 'plan-dirty' : 'muted'} data-testid="plan-save-state">
          {dirty ? p('unsaved') : p('saved')}
        </span>
      </section>
      <PlanExports plan={plan} lang={lang} p={p} />
    </>
  );
}

/** The open plan's exports: GPX, GeoJSON and the printable task sheets. */
function PlanExports({ plan, lang, p }: { plan: Plan; lang: Lang; p: PlanT }) {
  return (
    <>
      <section className="panel-section plan-actions">
        <a href={planExportUrl(plan.id, 'gpx')} download data-testid="plan-gpx">
          {p('exportGpx')}
        </a>
        <a href={planExportUrl(plan.id, 'geojson')} download>
          {p('exportGeojson')}
        </a>
        <a href={`/plan/print?id=${encodeURIComponent(plan.id)}&lang=${lang}`} target="_blank" rel="noopener" data-testid="plan-print">
          {p('print')}
        </a>
      </section>
    </>
  );
}
