/**
 * 路线规划 — the route planner: date, teams (start and end clicked on the map, shift, budget), the
 * stop selection tools (a drawn area on the map too), Optimise → routes in team colours with
 * numbered stops, per-team lists with ETAs, totals and dropped stops; drag-and-drop editing with
 * locks, re-time or re-optimise (both save), exports (GPX, GeoJSON, printable task sheets).
 * `?stops=a,b` preselects stops (the hotspots page links here); `?plan=id` reopens a saved plan.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { isAbortError } from '../../api/client';
import type { LngLat } from '../../api/types';
import { describeError } from '../../app/describe-error';
import { ErrorBanner } from '../../app/ErrorBanner';
import type { PageProps } from '../../app/pages';
import { useI18n } from '../../app/use-i18n';
import { buildMapStyle, problemTileUrl } from '../../map/map-style';
import { MapView, type MapHit } from '../../map/MapView';
import { createPlan, fetchPlan, listPlans, optimisePlan, planExportUrl, removePlan, savePlanEdit, type Plan, type PlanSummary } from '../../api/plans';
import { TEAM_COLORS } from '../../../../server/contract/team-colors';
import { draftOf, editBody, isDirty, planOverlay, teamsChanged, withTeamParams, type Draft } from '../../lib/plan-edit';
import { cityToday, formToRequest, stopsFromSearch, type FormState } from '../../lib/plan-request';
import { planText, type PlanTextKey } from '../../lib/plan-text';
import { newTeam, PlanForm, type ClickMode } from './PlanForm';
import { PlanResult } from './PlanResult';

const FIT_PADDING = { top: 24, right: 24, bottom: 24, left: 24 };
const HIDDEN_LAYERS = ['problems'] as const;

type Status = { state: 'idle' } | { state: 'busy'; what: PlanTextKey } | { state: 'error'; message: string };

/** The planner page. */
export function PlanPage({ meta, lang }: PageProps) {
  const { t } = useI18n();
  const p = useCallback((key: PlanTextKey, params?: Record<string, string | number>) => planText(lang, key, params), [lang]);
  const [form, setForm] = useState<FormState>(() => {
    const ids = stopsFromSearch(window.location.search);
    return {
      date: cityToday(),
      profile: 'walk',
      teams: [newTeam(0, meta.city.center, lang), newTeam(1, meta.city.center, lang)],
      ids,
      // With preselected stops, plan exactly those; otherwise start from a small 暗访 sample of markets.
      kinds: ids.length ? [] : ['market'],
      subdistricts: [],
      openProblems: 'none',
      hotspots: 0,
      sampleN: ids.length ? 0 : 12,
      sampleSeed: 1,
      polygon: null,
      marketWindow: false,
      dwellMin: { market: 15, community: 20, problem: 5 },
      balance: false,
    };
  });
  const [clickMode, setClickMode] = useState<ClickMode>(null);
  const [drawing, setDrawing] = useState<LngLat[]>([]);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [status, setStatus] = useState<Status>({ state: 'idle' });
  const [saved, setSaved] = useState<PlanSummary[]>([]);
  const [mapErrors, setMapErrors] = useState<string[]>([]);
  const [name, setName] = useState('');
  const abortRef = useRef<AbortController | null>(null);

  const origin = window.location.origin;
  const style = useMemo(() => buildMapStyle({ origin, bbox: meta.city.bbox, problemQuery: '', hidden: [...HIDDEN_LAYERS] }), [meta, origin]);

  const show = useCallback((next: Plan) => {
    setPlan(next);
    setDraft(draftOf(next));
    setName(next.name);
    // The form shows the plan's teams, so changing a start or a budget and re-timing edits this plan.
    setForm((f) => ({
      ...f,
      date: next.date,
      profile: next.profile,
      teams: next.teams.map((t) => ({ name: t.name, start: t.start, end: t.end, shiftStart: t.shiftStart, budgetH: t.budgetS / 3600 })),
    }));
    const url = new URL(window.location.href);
    url.searchParams.set('plan', next.id);
    url.searchParams.delete('stops');
    window.history.replaceState(null, '', url);
  }, []);

  // Reopen ?plan=id.
  useEffect(() => {
    const id = new URLSearchParams(window.location.search).get('plan');
    if (!id) return;
    const ctl = new AbortController();
    setStatus({ state: 'busy', what: 'opening' });
    fetchPlan(id, ctl.signal).then(
      (pl) => {
        show(pl);
        setForm((f) => ({ ...f, date: pl.date, profile: pl.profile }));
        setStatus({ state: 'idle' });
      },
      (err: unknown) => !isAbortError(err) && setStatus({ state: 'error', message: describeError(err as Error, t) }),
    );
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // The day's saved plans.
  useEffect(() => {
    const ctl = new AbortController();
    listPlans(form.date, ctl.signal).then(setSaved, (err: unknown) => {
      if (!isAbortError(err)) setSaved([]);
    });
    return () => ctl.abort();
  }, [form.date, plan?.id, plan?.updatedAt]);

  const run = useCallback(
    async (what: PlanTextKey, call: (signal: AbortSignal) => Promise<Plan>) => {
      abortRef.current?.abort();
      const ctl = new AbortController();
      abortRef.current = ctl;
      setStatus({ state: 'busy', what });
      try {
        show(await call(ctl.signal));
        setStatus({ state: 'idle' });
      } catch (err) {
        if (isAbortError(err)) return;
        setStatus({ state: 'error', message: describeError(err instanceof Error ? err : new Error(String(err)), t) });
      }
    },
    [show, t],
  );

  const onOptimise = () => {
    setClickMode(null);
    void run('solving', (signal) => createPlan(formToRequest(form), signal));
  };
  const editOf = (pl: Plan, d: Draft) => withTeamParams(editBody(pl, d, name.trim() || undefined), formToRequest(form).teams);
  const onRetime = () => plan && draft && void run('solving', (signal) => savePlanEdit(plan.id, editOf(plan, draft), signal));
  const onReoptimise = () =>
    plan &&
    draft &&
    void run('solving', async (signal) => {
      // Save the draft's order and locks first: the server re-optimises the saved plan.
      if (dirty) await savePlanEdit(plan.id, editOf(plan, draft), signal);
      return optimisePlan(plan.id, signal);
    });
  const onDelete = (id: string) => {
    removePlan(id).then(
      () => {
        setSaved((list) => list.filter((x) => x.id !== id));
        if (plan?.id === id) {
          setPlan(null);
          setDraft(null);
          const url = new URL(window.location.href);
          url.searchParams.delete('plan');
          window.history.replaceState(null, '', url);
        }
      },
      (err: unknown) => setStatus({ state: 'error', message: describeError(err instanceof Error ? err : new Error(String(err)), t) }),
    );
  };
  const onOpenSaved = (id: string) => void run('opening', (signal) => fetchPlan(id, signal));

  const onMapClick = useCallback(
    (ll: LngLat) => {
      if (!clickMode) return;
      if (clickMode.kind === 'polygon') {
        setDrawing((d) => [...d, ll]);
        return;
      }
      setForm((f) => ({ ...f, teams: f.teams.map((tm, i) => (i === clickMode.team ? { ...tm, [clickMode.kind]: ll } : tm)) }));
      setClickMode(null);
    },
    [clickMode],
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
  const onHit = useCallback((hit: MapHit) => {
    if (hit.kind !== 'place') return;
    setForm((f) => ({ ...f, ids: f.ids.includes(hit.id) ? f.ids.filter((x) => x !== hit.id) : [...f.ids, hit.id] }));
  }, []);

  const overlay = useMemo<GeoJSON.FeatureCollection>(() => {
    const base: GeoJSON.FeatureCollection = plan ? planOverlay(plan, t('route.startMark'), t('route.endMark')) : { type: 'FeatureCollection', features: [] };
    const features = [...base.features];
    if (!plan) {
      form.teams.forEach((tm, i) => {
        const color = TEAM_COLORS[i % TEAM_COLORS.length];
        features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: tm.start }, properties: { color, label: t('route.startMark'), radius: 10 } });
        if (tm.end)
          features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: tm.end }, properties: { color, label: t('route.endMark'), radius: 10 } });
      });
    }
    const ring = clickMode?.kind === 'polygon' ? drawing : form.polygon;
    if (ring && ring.length > 0) {
      const closed = clickMode?.kind === 'polygon' ? ring : [...ring, ring[0]];
      if (closed.length >= 2)
        features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: closed }, properties: { color: '#1d3b64', dashed: true } });
      for (const c of ring) features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: c }, properties: { color: '#1d3b64', radius: 4 } });
    }
    return { type: 'FeatureCollection', features };
  }, [plan, form.teams, form.polygon, drawing, clickMode, t]);

  const busy = status.state === 'busy';
  const dirty = plan && draft ? isDirty(plan, draft) || name.trim() !== plan.name || teamsChanged(plan, formToRequest(form).teams) : false;
  const clickHint =
    clickMode && clickMode.kind !== 'polygon'
      ? p('clickMap', { what: p(clickMode.kind), team: form.teams[clickMode.team]?.name ?? '' })
      : clickMode?.kind === 'polygon'
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
            <ErrorBanner messages={[p('failed', { message: status.message })]} onDismiss={() => setStatus({ state: 'idle' })} />
          </div>
        )}
        {saved.length > 0 && (
          <section className="panel-section">
            <h3>{p('savedPlans')}</h3>
            <ul className="plan-saved">
              {saved.map((s) => (
                <li key={s.id}>
                  <button type="button" className="link" onClick={() => onOpenSaved(s.id)} aria-current={s.id === plan?.id ? 'true' : undefined}>
                    {s.name}
                  </button>{' '}
                  <small className="muted">
                    {s.served} · {s.updatedAt.slice(11, 16)}
                  </small>{' '}
                  <button type="button" className="link" aria-label={`${p('delete')} ${s.name}`} title={p('delete')} onClick={() => onDelete(s.id)}>
                    ×
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
        {plan && draft ? (
          <>
            <section className="panel-section plan-actions">
              <input
                className="plan-name"
                aria-label={p('planName')}
                value={name}
                maxLength={80}
                onChange={(e) => setName(e.target.value)}
                data-testid="plan-name"
              />
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
            <PlanResult plan={plan} draft={draft} onDraft={setDraft} />
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
          focus={null}
          ariaLabel={t('app.mapLabel')}
          onViewChange={noop}
          onHit={onHit}
          onError={(m) => setMapErrors((l) => (l.includes(m) ? l : [...l, m]))}
          overlay={overlay}
          onMapClick={clickMode ? onMapClick : null}
        />
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

function noop(): void {}
