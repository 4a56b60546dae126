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
import { fetchPlan, fetchPlanSheet, listPlans, type PlanSheet } from '../../api/plans';
import type { QueuedRecord } from '../../lib/sync-queue';
import { compressPhoto } from './compress-photo';
import { FieldMap } from './FieldMap';
import {
  bboxAround,
  bboxOf,
  bufferBbox,
  byDistance,
  cityToday,
  commonFirst,
  distanceM,
  headingOf,
  LOOK_BACK_RADIUS_M,
  nearestWithin,
  nextStop,
  walkMinutes,
  type FieldPoint,
} from './field-logic';
import { getLookBacksIn, type LookBackDue } from '../../api/field';
import { ConflictNotices, FieldRecords } from './FieldRecords';
import { LookBackCard } from './LookBackCard';
import { fieldQueue } from './queue';
import { useCompass, useTilePrefetch } from './use-field-device';

const TEAM_KEY = 'xuncha.field.team';
const USES_KEY = 'xuncha.field.categoryUses';
const doneKey = (planId: string) => `xuncha.field.done.${planId}`;
const checksKey = (planId: string, stopId: string) => `xuncha.field.checks.${planId}.${stopId}`;
/** The UUIDs of the reports raised from a stop's failed items, linked from its check record. */
const stopReportsKey = (planId: string, stopId: string) => `xuncha.field.stopReports.${planId}.${stopId}`;
/** The look-backs due in my area, kept for when the page opens offline. */
const LOOK_BACKS_KEY = 'xuncha.field.lookBacks';
/** The plan area is buffered by this much for its offline tiles (m): the streets around the stops. */
const PLAN_AREA_BUFFER_M = 300;
/** How far around me the nearby points are looked for (m). */
const NEARBY_M = 1500;
/** How often the queue looks for due records (ms); each record's own backoff decides if it is sent. */
const SYNC_TICK_MS = 2000;

interface Fix {
  at: LngLat;
  accuracyM: number | null;
  heading: number | null;
  speedMps: number | null;
}

function useGeolocation(fallback: LngLat): { fix: Fix; live: boolean; error: string | null } {
  const [fix, setFix] = useState<Fix>({ at: fallback, accuracyM: null, heading: null, speedMps: null });
  const [live, setLive] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!navigator.geolocation) return setError('no geolocation');
    const id = navigator.geolocation.watchPosition(
      (p) => {
        setFix({ at: [p.coords.longitude, p.coords.latitude], accuracyM: p.coords.accuracy, heading: p.coords.heading, speedMps: p.coords.speed });
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

/** A ~100 m grid cell of a position: requests around me are re-made only when I change cell. */
const cell0 = (at: LngLat) => `${at[0].toFixed(3)},${at[1].toFixed(3)}`;

/** The field page. */
export function FieldPage({ meta, me }: PageProps) {
  const { t, lang } = useI18n();
  const { fix, live, error: gpsError } = useGeolocation(meta.city.center);
  const owner = me.user?.username ?? me.role;
  const { records, online } = useQueue(owner);
  const compass = useCompass();
  const heading = headingOf(fix, compass);

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

  const markDone = async (s: NonNullable<typeof stop>) => {
    if (!planId) return;
    // The stop's check results go into the queue (after the reports raised from them, which they name).
    const results = JSON.parse(localStorage.getItem(checksKey(planId, s.id)) ?? '{}') as Record<string, 'pass' | 'fail' | 'na'>;
    const items = Object.entries(results).map(([itemId, result]) => ({ itemId, result }));
    if (items.length > 0) {
      const problemIds = JSON.parse(localStorage.getItem(stopReportsKey(planId, s.id)) ?? '[]') as string[];
      await fieldQueue().add(
        'check',
        { planId, pointId: s.id, pointName: s.name, items, at: new Date().toISOString(), lngLat: live ? fix.at : null, problemIds },
        owner,
      );
      localStorage.removeItem(checksKey(planId, s.id));
      localStorage.removeItem(stopReportsKey(planId, s.id));
      if (navigator.onLine) void fieldQueue().sync(owner);
    }
    const next = new Set(done).add(s.id);
    localStorage.setItem(doneKey(planId), JSON.stringify([...next]));
    setDone(next);
  };

  // The plan area (every stop, buffered) for the offline tiles and the look-backs.
  const planArea = useMemo(() => {
    // Stops and the routes to them (from the team's start): the streets walked today.
    const b = plan.data
      ? bboxOf(plan.data.teams.flatMap((tm) => [...tm.stops.map((st) => st.lngLat), ...((tm.geometry?.coordinates ?? []) as LngLat[])]))
      : null;
    return b ? bufferBbox(b, PLAN_AREA_BUFFER_M) : null;
  }, [plan.data]);
  const tiles = useTilePrefetch(planId, planArea, online);

  // Look-backs due: in the plan area and around me; kept on the phone for an offline start.
  const [lookBacks, setLookBacks] = useState<LookBackDue[]>(() => JSON.parse(localStorage.getItem(LOOK_BACKS_KEY) ?? '[]') as LookBackDue[]);
  // Around me: from the ~100 m cell I am in, so a GPS tick inside it asks nothing again.
  const myCell = cell0(fix.at);
  const lookBackArea = useMemo(() => {
    if (!plans.data) return null;
    const mine = bboxAround(myCell.split(',').map(Number) as LngLat, NEARBY_M);
    return planArea
      ? bboxOf([
          [planArea[0], planArea[1]],
          [planArea[2], planArea[3]],
          [mine[0], mine[1]],
          [mine[2], mine[3]],
        ])
      : mine;
  }, [planArea, plans.data, myCell]);
  const dueReq = useRequest(online && lookBackArea ? (signal) => getLookBacksIn(lookBackArea, signal) : null, [online, lookBackArea?.join(',')]);
  useEffect(() => {
    if (!dueReq.data) return;
    localStorage.setItem(LOOK_BACKS_KEY, JSON.stringify(dueReq.data));
    setLookBacks(dueReq.data);
  }, [dueReq.data]);
  const queuedSteps = useMemo(() => new Set(records.flatMap((r) => (r.kind === 'transition' ? [r.payload.problemId] : []))), [records]);
  const [answered, setAnswered] = useState<Set<string>>(new Set());
  const nearLookBack = useMemo(
    () =>
      nearestWithin(
        lookBacks.filter((l) => !queuedSteps.has(l.id) && !answered.has(l.id)),
        fix.at,
        LOOK_BACK_RADIUS_M,
      ),
    [lookBacks, queuedSteps, answered, fix.at],
  );

  // Nearby points, only when there is no plan for today; re-asked when I have moved ~200 m.
  const cell = cell0(fix.at);
  const nearby = useRequest(
    plans.data && plans.data.length === 0
      ? async (signal) => {
          const bbox = bboxAround(fix.at, NEARBY_M).join(',');
          const layers = await Promise.all(
            (['markets', 'back-streets', 'communities'] as const).map((l) =>
              callJson<GeoJSON.FeatureCollection>('GET', `/api/layers/${l}?bbox=${bbox}`, undefined, signal),
            ),
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

  const pending = records.filter((r) => r.state === 'waiting' || r.state === 'sending' || r.state === 'failed').length;
  const kindName = (k: string) => (k === 'market' || k === 'community' || k === 'back-street' || k === 'problem' ? t(`kind.${k as 'market'}`) : k);

  return (
    <main className="field-page" data-testid="field-page">
      <p className={`field-status ${online ? '' : 'offline'}`} data-testid="field-status">
        {online ? t('field.online') : t('field.offline')} · {t('field.pending', { n: pending })} ·{' '}
        {live ? t('report.gpsAccuracy', { m: Math.round(fix.accuracyM ?? 0) }) : gpsError ? `${t('report.gpsUnavailable')} (${gpsError})` : t('field.locating')}
      </p>

      <ConflictNotices
        records={records}
        onReportAt={(r) => setPreset((p) => ({ category: r.payload.category, at: r.payload.lngLat, note: r.payload.label, n: (p?.n ?? 0) + 1, link: null }))}
      />

      {tiles && (
        <p className="field-status" data-testid="field-tiles" data-done={tiles.done} data-total={tiles.total}>
          {tiles.done < tiles.total ? t('field.tiles', { done: tiles.done, total: tiles.total }) : t('field.tilesDone', { total: tiles.total })}
          {tiles.cappedAt !== null && t('field.tilesCapped', { z: tiles.cappedAt })}
          {heading !== null && ` · ${t('field.heading', { deg: Math.round(heading) })}`}
        </p>
      )}

      <FieldMap
        meta={meta}
        here={fix.at}
        heading={heading}
        live={live}
        stop={
          stop
            ? { id: stop.id, lngLat: stop.lngLat, label: String(stop.seq) }
            : sortedNearby[0]
              ? { id: sortedNearby[0].id, lngLat: sortedNearby[0].lngLat, label: '' }
              : null
        }
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
                  onFail={(item) =>
                    setPreset((p) => ({
                      category: item.category!,
                      at: stop.lngLat,
                      note: `${stop.name}：${item[lang]}`,
                      n: (p?.n ?? 0) + 1,
                      link: { planId, stopId: stop.id },
                    }))
                  }
                />
              )}
              <button type="button" className="primary" onClick={() => void markDone(stop)} data-testid="field-stop-done">
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
                {p.name}{' '}
                <small>
                  {kindName(p.kind)} · {Math.round(p.distanceM)} m
                </small>
              </li>
            ))}
          </ol>
          {nearby.error && <small>{t('field.nearbyUnavailable')}</small>}
        </section>
      )}

      {nearLookBack && (
        <LookBackCard key={nearLookBack.id} meta={meta} due={nearLookBack} owner={owner} onQueued={(id) => setAnswered((a) => new Set(a).add(id))} />
      )}

      <QuickReport
        meta={meta}
        gpsAt={fix.at}
        fixedAt={fixedAt}
        onFixedAt={setFixedAt}
        onReporting={setReporting}
        preset={preset}
        owner={owner}
        reporter={me.user?.displayName || me.user?.username || me.role}
        lang={lang}
      />

      <FieldRecords records={records} owner={owner} meta={meta} />
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
  const key = checksKey(planId, stopId);
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
              <button
                key={r}
                type="button"
                aria-pressed={results[item.id] === r}
                className={results[item.id] === r ? `chosen ${r}` : ''}
                onClick={() => set(item, r)}
                data-result={r}
              >
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
  /** The stop whose failed item this report comes from: its check record will name the report. */
  link: { planId: string; stopId: string } | null;
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
  // The stop the report being made belongs to (a failed check item), until saved or another category is picked.
  const linkRef = useRef<ReportPreset['link']>(null);
  useEffect(() => {
    if (!preset) return;
    linkRef.current = preset.link;
    setCategory(preset.category);
    setNote(preset.note);
    setFixedAt(preset.at);
    sectionRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [preset, setFixedAt]);
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
      const id = fieldQueue().makeId();
      const link = linkRef.current;
      if (link) {
        // Linked before it is queued, so the stop's check record names it even if the page closes now.
        const k = stopReportsKey(link.planId, link.stopId);
        localStorage.setItem(k, JSON.stringify([...(JSON.parse(localStorage.getItem(k) ?? '[]') as string[]), id]));
        linkRef.current = null;
      }
      await fieldQueue().add(
        'report',
        {
          category,
          lng: at[0],
          lat: at[1],
          // The server wants a description; a three-tap report is described by its category.
          description: note.trim() || (cat ? cat[lang] : category),
          reporter,
          source: 'inspection',
          photos,
        },
        owner,
        id,
      );
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
              linkRef.current = null;
            }}
            style={{ borderColor: c.color }}
            data-category={c.id}
          >
            {c[lang]}
          </button>
        ))}
      </div>
      {category && (
        <>
          <label className="field-photo">
            <span>{photos.length ? t('field.photosTaken', { n: photos.length }) : t('field.takePhoto')}</span>
            <input
              type="file"
              accept="image/jpeg,image/png,image/webp"
              capture="environment"
              multiple
              onChange={(e) => void choosePhotos(e.target.files)}
              data-testid="field-photo"
            />
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
