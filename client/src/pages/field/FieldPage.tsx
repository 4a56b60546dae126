/**
 * 现场巡查 — the field page, phone-first. Today's plan for my team (the next stop as a big card with
 * distance and walking time), else the points near me by distance; a problem is reported in three taps
 * (category, photo, send: the location comes from the GPS) and goes into the offline record queue
 * first, so it is kept through a lost signal or a reload and arrives exactly once.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { callJson } from '../../api/client';
import type { LngLat } from '../../api/types';
import type { PageProps } from '../../app/pages';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { geometryCenter } from '../../lib/geometry';
import { fetchPlan, fetchPlanSheet, listPlans, type PlanSheet } from '../../lib/plan-api';
import type { QueuedRecord } from '../../lib/sync-queue';
import { compressPhoto } from './compress-photo';
import { FieldMap } from './FieldMap';
import { bboxAround, byDistance, cityToday, commonFirst, distanceM, nextStop, walkMinutes, type FieldPoint } from './field-logic';
import { fieldQueue } from './queue';

const TEAM_KEY = 'xuncha.field.team';
const USES_KEY = 'xuncha.field.categoryUses';
const doneKey = (planId: string) => `xuncha.field.done.${planId}`;
/** How far around me the nearby points are looked for (m). */
const NEARBY_M = 1500;
/** How often the queue looks for due records (ms); each record's own backoff decides if it is sent. */
const SYNC_TICK_MS = 2000;

interface Fix {
  at: LngLat;
  accuracyM: number | null;
  heading: number | null;
}

function useGeolocation(fallback: LngLat): { fix: Fix; live: boolean; error: string | null } {
  const [fix, setFix] = useState<Fix>({ at: fallback, accuracyM: null, heading: null });
  const [live, setLive] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!navigator.geolocation) return setError('no geolocation');
    const id = navigator.geolocation.watchPosition(
      (p) => {
        setFix({ at: [p.coords.longitude, p.coords.latitude], accuracyM: p.coords.accuracy, heading: p.coords.heading });
        setLive(true);
        setError(null);
      },
      (e) => setError(e.message),
      { enableHighAccuracy: true, maximumAge: 10_000, timeout: 30_000 },
    );
    return () => navigator.geolocation.clearWatch(id);
  }, []);
  return { fix, live, error };
}

function useQueue(owner: string): { records: QueuedRecord[]; online: boolean } {
  const [records, setRecords] = useState<QueuedRecord[]>([]);
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const q = fieldQueue();
    let alive = true;
    const refresh = () => void q.list(owner).then((r) => alive && setRecords(r));
    const off = q.onChange(refresh);
    const tick = () => {
      if (navigator.onLine) void q.sync(owner);
    };
    const onOnline = () => {
      setOnline(true);
      tick();
    };
    const onOffline = () => setOnline(false);
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    const timer = window.setInterval(tick, SYNC_TICK_MS);
    refresh();
    tick();
    return () => {
      alive = false;
      off();
      window.clearInterval(timer);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
    };
  }, [owner]);
  return { records, online };
}

/** The field page. */
export function FieldPage({ meta, me }: PageProps) {
  const { t, lang } = useI18n();
  const { fix, live, error: gpsError } = useGeolocation(meta.city.center);
  const owner = me.user?.username ?? me.role;
  const { records, online } = useQueue(owner);

  // Only a page that is meant to work offline installs the service worker.
  useEffect(() => {
    if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/sw.js').catch(() => undefined);
    // The manifest makes the field page installable (home screen, full screen); other pages do not offer it.
    if (!document.querySelector('link[rel="manifest"]')) {
      const link = document.createElement('link');
      link.rel = 'manifest';
      link.href = '/field.webmanifest';
      document.head.append(link);
    }
  }, []);

  const plans = useRequest((signal) => listPlans(cityToday(), signal), []);
  const planId = plans.data?.[0]?.id ?? null;
  const plan = useRequest(planId ? (signal) => fetchPlan(planId, signal) : null, [planId]);
  const [teamIndex, setTeamIndex] = useState(() => Number(localStorage.getItem(TEAM_KEY) ?? 0) || 0);
  const [done, setDone] = useState<Set<string>>(new Set());
  useEffect(() => {
    if (planId) setDone(new Set(JSON.parse(localStorage.getItem(doneKey(planId)) ?? '[]') as string[]));
  }, [planId]);
  const sheet = useRequest(planId ? (signal) => fetchPlanSheet(planId, signal) : null, [planId]);
  // A failed check item opens the report with its category, the stop's point and a note filled in.
  const [preset, setPreset] = useState<ReportPreset | null>(null);
  // Where the report being made goes when not at my GPS fix: a stop's point, or a tap on the map.
  const [fixedAt, setFixedAt] = useState<LngLat | null>(null);
  const [reporting, setReporting] = useState(false);
  const team = plan.data?.teams[teamIndex] ?? plan.data?.teams[0] ?? null;
  const stop = team ? nextStop(team.stops, done) : null;

  const markDone = (id: string) => {
    if (!planId) return;
    const next = new Set(done).add(id);
    localStorage.setItem(doneKey(planId), JSON.stringify([...next]));
    setDone(next);
  };

  // Nearby points, only when there is no plan for today; re-asked when I have moved ~200 m.
  const cell = `${fix.at[0].toFixed(3)},${fix.at[1].toFixed(3)}`;
  const nearby = useRequest(
    plans.data && plans.data.length === 0
      ? async (signal) => {
          const bbox = bboxAround(fix.at, NEARBY_M).join(',');
          const layers = await Promise.all(
            (['markets', 'back-streets', 'communities'] as const).map((l) => callJson<GeoJSON.FeatureCollection>('GET', `/api/layers/${l}?bbox=${bbox}`, undefined, signal)),
          );
          const kinds = ['market', 'back-street', 'community'];
          const points: FieldPoint[] = layers.flatMap((fc, i) =>
            fc.features.flatMap((f) => {
              const c = geometryCenter(f.geometry);
              return c ? [{ id: String(f.id), name: String(f.properties?.name ?? f.id), kind: kinds[i], lngLat: c }] : [];
            }),
          );
          return points;
        }
      : null,
    [plans.data?.length, cell],
  );
  const sortedNearby = useMemo(() => (nearby.data ? byDistance(nearby.data, fix.at).slice(0, 8) : []), [nearby.data, fix.at]);

  const pending = records.filter((r) => r.state !== 'sent').length;
  const kindName = (k: string) => (k === 'market' || k === 'community' || k === 'back-street' || k === 'problem' ? t(`kind.${k as 'market'}`) : k);

  return (
    <main className="field-page" data-testid="field-page">
      <p className={`field-status ${online ? '' : 'offline'}`} data-testid="field-status">
        {online ? t('field.online') : t('field.offline')} · {t('field.pending', { n: pending })} ·{' '}
        {live ? t('report.gpsAccuracy', { m: Math.round(fix.accuracyM ?? 0) }) : gpsError ? `${t('report.gpsUnavailable')} (${gpsError})` : t('field.locating')}
      </p>

      <FieldMap
        meta={meta}
        here={fix.at}
        live={live}
        stop={stop ? { id: stop.id, lngLat: stop.lngLat, label: String(stop.seq) } : sortedNearby[0] ? { id: sortedNearby[0].id, lngLat: sortedNearby[0].lngLat, label: '' } : null}
        route={team?.geometry ?? null}
        pin={reporting ? (fixedAt ?? fix.at) : null}
        onMapClick={reporting ? setFixedAt : null}
      />

      {plan.data && team && (
        <section className="field-plan">
          {plan.data.teams.length > 1 && (
            <label className="form-field">
              <span>{t('field.myTeam')}</span>
              <select
                value={team.index}
                onChange={(e) => {
                  setTeamIndex(Number(e.target.value));
                  localStorage.setItem(TEAM_KEY, e.target.value);
                }}
              >
                {plan.data.teams.map((tm, i) => (
                  <option key={tm.index} value={i}>
                    {tm.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          {stop ? (
            <article className="field-card" data-testid="field-next-stop">
              <small>
                {t('field.nextStop')} {stop.seq}/{team.stops.length} · {kindName(stop.kind)}
              </small>
              <h2>{stop.name}</h2>
              <p className="field-distance">
                {t('field.distance', { m: Math.round(distanceM(fix.at, stop.lngLat)), min: walkMinutes(distanceM(fix.at, stop.lngLat)) })}
              </p>
              {planId && sheet.data && (
                <StopChecks
                  key={stop.id}
                  planId={planId}
                  stopId={stop.id}
                  items={sheet.data.checkItems[stop.kind] ?? []}
                  onFail={(item) => setPreset((p) => ({ category: item.category!, at: stop.lngLat, note: `${stop.name}：${item[lang]}`, n: (p?.n ?? 0) + 1 }))}
                />
              )}
              <button type="button" className="primary" onClick={() => markDone(stop.id)}>
                {t('field.stopDone')}
              </button>
            </article>
          ) : (
            <p className="field-card">{t('field.routeDone')}</p>
          )}
        </section>
      )}

      {plans.data && plans.data.length === 0 && (
        <section className="field-nearby" data-testid="field-nearby">
          <h2>{t('field.nearby')}</h2>
          {sortedNearby[0] && (
            <article className="field-card" data-testid="field-next-stop">
              <small>{kindName(sortedNearby[0].kind)}</small>
              <h2>{sortedNearby[0].name}</h2>
              <p className="field-distance">{t('field.distance', { m: Math.round(sortedNearby[0].distanceM), min: walkMinutes(sortedNearby[0].distanceM) })}</p>
            </article>
          )}
          <ol className="field-list">
            {sortedNearby.slice(1).map((p) => (
              <li key={p.id}>
                {p.name} <small>{kindName(p.kind)} · {Math.round(p.distanceM)} m</small>
              </li>
            ))}
          </ol>
          {nearby.error && <small>{t('field.nearbyUnavailable')}</small>}
        </section>
      )}

      <QuickReport meta={meta} gpsAt={fix.at} fixedAt={fixedAt} onFixedAt={setFixedAt} onReporting={setReporting} preset={preset} owner={owner} reporter={me.user?.displayName || me.user?.username || me.role} lang={lang} />

      <section className="field-queue" data-testid="field-queue">
        <h2>{t('field.records')}</h2>
        {records.length === 0 && <small>{t('field.noRecords')}</small>}
        <ol>
          {[...records].reverse().map((r) => (
            <li key={r.id} data-testid="field-record" data-state={r.state}>
              <span className={`field-state ${r.state}`}>{t(`field.state.${r.state}`)}</span> {meta.categories.find((c) => c.id === r.payload.category)?.[lang] ?? r.payload.category}
              {r.resultId && <small> · {r.resultId}</small>}
              {r.reason && r.state !== 'sent' && <small className="late"> · {r.reason}</small>}
              {r.state === 'failed' && (
                <button type="button" onClick={() => void fieldQueue().retry(r.id).then(() => fieldQueue().sync(owner))}>
                  {t('field.retry')}
                </button>
              )}
            </li>
          ))}
        </ol>
      </section>
    </main>
  );
}

type CheckResult = 'pass' | 'fail' | 'na';
type CheckItem = PlanSheet['checkItems'][string][number];

/**
 * The check items of a stop's kind: pass / fail / not applicable. Results are kept on the phone per
 * plan and stop; a failed item that maps to a problem category opens the report for it.
 */
function StopChecks({ planId, stopId, items, onFail }: { planId: string; stopId: string; items: readonly CheckItem[]; onFail: (item: CheckItem) => void }) {
  const { t, lang } = useI18n();
  const key = `xuncha.field.checks.${planId}.${stopId}`;
  const [results, setResults] = useState<Record<string, CheckResult>>(() => JSON.parse(localStorage.getItem(key) ?? '{}') as Record<string, CheckResult>);
  const set = (item: CheckItem, r: CheckResult) => {
    const next = { ...results, [item.id]: r };
    localStorage.setItem(key, JSON.stringify(next));
    setResults(next);
    if (r === 'fail' && item.category) onFail(item);
  };
  if (items.length === 0) return null;
  return (
    <ul className="field-checks" data-testid="field-checks">
      {items.map((item) => (
        <li key={item.id} data-item={item.id}>
          <span>{item[lang]}</span>
          <span className="field-check-buttons">
            {(['pass', 'fail', 'na'] as const).map((r) => (
              <button key={r} type="button" aria-pressed={results[item.id] === r} className={results[item.id] === r ? `chosen ${r}` : ''} onClick={() => set(item, r)} data-result={r}>
                {t(`field.check.${r}`)}
              </button>
            ))}
          </span>
        </li>
      ))}
    </ul>
  );
}

interface ReportPreset {
  category: string;
  at: LngLat;
  note: string;
  /** Changes with every preset, so the same item failed twice opens the report twice. */
  n: number;
}

/** Three taps: a category, a photo (the camera), send (here, from the GPS; a stop's point for a failed check). */
interface QuickReportProps {
  meta: PageProps['meta'];
  gpsAt: LngLat;
  /** The corrected point (a stop, a tap on the map); null: my GPS fix. */
  fixedAt: LngLat | null;
  onFixedAt: (at: LngLat | null) => void;
  /** Tells the page a report is being made (the map then takes taps as its location). */
  onReporting: (on: boolean) => void;
  preset: ReportPreset | null;
  owner: string;
  reporter: string;
  lang: 'zh' | 'en';
}

function QuickReport({ meta, gpsAt, fixedAt, onFixedAt: setFixedAt, onReporting, preset, owner, reporter, lang }: QuickReportProps) {
  const { t } = useI18n();
  const [category, setCategory] = useState<string | null>(null);
  const [photos, setPhotos] = useState<Blob[]>([]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const at = fixedAt ?? gpsAt;
  useEffect(() => onReporting(category !== null), [category, onReporting]);
  const sectionRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!preset) return;
    setCategory(preset.category);
    setNote(preset.note);
    setFixedAt(preset.at);
    sectionRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [preset]);
  const [uses, setUses] = useState<Record<string, number>>(() => JSON.parse(localStorage.getItem(USES_KEY) ?? '{}') as Record<string, number>);
  // Ordered once per page visit: buttons must not jump under the thumb right after a report.
  const categories = useMemo(() => commonFirst(meta.categories, uses), [meta.categories]); // eslint-disable-line react-hooks/exhaustive-deps

  const choosePhotos = useCallback(async (files: FileList | null) => {
    setBusy(true);
    try {
      setPhotos(await Promise.all([...(files ?? [])].map((f) => compressPhoto(f))));
    } finally {
      setBusy(false);
    }
  }, []);

  const save = async () => {
    if (!category || photos.length === 0) return;
    setBusy(true);
    setError(null);
    try {
      const cat = meta.categories.find((c) => c.id === category);
      await fieldQueue().addReport({
        category,
        lng: at[0],
        lat: at[1],
        // The server wants a description; a three-tap report is described by its category.
        description: note.trim() || (cat ? cat[lang] : category),
        reporter,
        source: 'inspection',
        photos,
      }, owner);
      const nextUses = { ...uses, [category]: (uses[category] ?? 0) + 1 };
      localStorage.setItem(USES_KEY, JSON.stringify(nextUses));
      setUses(nextUses);
      setCategory(null);
      setFixedAt(null);
      setPhotos([]);
      setNote('');
      if (navigator.onLine) void fieldQueue().sync(owner);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="field-report" data-testid="field-report" ref={sectionRef}>
      <h2>{t('report.title')}</h2>
      <div className="field-categories">
        {categories.map((c) => (
          <button
            key={c.id}
            type="button"
            className={category === c.id ? 'primary' : ''}
            aria-pressed={category === c.id}
            onClick={() => {
              setCategory(c.id);
              setFixedAt(null);
            }} style={{ borderColor: c.color }} data-category={c.id}>
            {c[lang]}
          </button>
        ))}
      </div>
      {category && (
        <>
          <label className="field-photo">
            <span>{photos.length ? t('field.photosTaken', { n: photos.length }) : t('field.takePhoto')}</span>
            <input type="file" accept="image/jpeg,image/png,image/webp" capture="environment" multiple onChange={(e) => void choosePhotos(e.target.files)} data-testid="field-photo" />
          </label>
          <input type="text" placeholder={t('field.note')} value={note} onChange={(e) => setNote(e.target.value)} />
          <button type="button" className="primary field-save" disabled={busy || photos.length === 0} onClick={() => void save()} data-testid="field-save">
            {t('field.saveHere', { lng: at[0].toFixed(5), lat: at[1].toFixed(5) })}
          </button>
          <small className="muted">{fixedAt ? t('field.pinMoved') : t('field.pinHint')}</small>
          {fixedAt && (
            <button type="button" onClick={() => setFixedAt(null)}>
              {t('report.gps')}
            </button>
          )}
        </>
      )}
      {error && (
        <p className="detail-warning" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
