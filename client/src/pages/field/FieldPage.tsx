/**
 * 现场巡查 — the field page, phone-first. Today's plan for my team (the next stop as a big card with
 * distance and walking time), else the points near me by distance; a problem is reported in three taps
 * (category, photo, send: the location comes from the GPS) and goes into the offline record queue
 * first, so it is kept through a lost signal or a reload and arrives exactly once. The parts live
 * beside it: the GPS, the queue, the service worker, the plan and the look-backs as hooks; the
 * plan card, the nearby list and the quick report as components. Over plain HTTP (not a secure
 * context) there is no GPS and no service worker: the page says so, and a report is placed on the map.
 * While a plan is walked the page records my team's track (use-track.ts), queued with the other records.
 */
import { useMemo, useState } from 'react';
import type { LngLat } from '../../api/types';
import type { PageProps } from '../../app/pages';
import { useI18n } from '../../app/use-i18n';
import { kindText } from '../../lib/kinds';
import { FieldMap } from './FieldMap';
import { FieldNearby } from './FieldNearby';
import { FieldPlanCard } from './FieldPlanCard';
import { FieldTrack } from './FieldTrack';
import { headingOf } from './field-logic';
import { InsecureNotice, isSecurePage } from './InsecureNotice';
import { ConflictNotices, FieldRecords } from './FieldRecords';
import { LookBackCard } from './LookBackCard';
import { QuickReport, type ReportPreset } from './QuickReport';
import { useCompass, useTilePrefetch } from './use-field-device';
import { useFieldPlan } from './use-field-plan';
import { useGps } from './use-gps';
import { useLookBacks } from './use-look-backs';
import { useNearbyPoints } from './use-nearby-points';
import { useServiceWorker } from './use-service-worker';
import { useSyncQueue } from './use-sync-queue';
import { useTrack } from './use-track';

/** The field page. */
export function FieldPage({ meta, me }: PageProps) {
  const { t, lang } = useI18n();
  const [secure] = useState(isSecurePage);
  const { fix, live, error: gpsError } = useGps(meta.city.center, secure);
  const owner = me.user?.username ?? me.role;
  const { records, online } = useSyncQueue(owner);
  const compass = useCompass();
  const heading = headingOf(fix, compass);
  // Only a page that is meant to work offline installs the service worker.
  useServiceWorker();

  const { plans, planId, plan, sheet, team, stop, chooseTeam, markDone, planArea } = useFieldPlan();
  // Today's plan once the plans are known: only then is a recording taken up again after a reload.
  const { track, wakeLock, start, stop: stopTrack } = useTrack(owner, plans.data === null ? undefined : planId, fix);
  // Where the browser gives a position at all: a track without one would be empty.
  const canTrack = secure && 'geolocation' in navigator;
  // The team being recorded (the team choice is locked meanwhile, but a reload takes up the recording's own team).
  const trackTeam = (track.recording && plan.data?.teams.find((tm) => tm.index === track.team)) || team;
  const trackColor = trackTeam?.color ?? null;
  const walked = useMemo(() => (track.parts.length > 0 && trackColor ? { parts: track.parts, color: trackColor } : null), [track.parts, trackColor]);
  const waitingBatches = records.filter((r) => r.kind === 'track' && r.state !== 'sent').length;
  // A failed check item opens the report with its category, the stop's point and a note filled in.
  const [preset, setPreset] = useState<ReportPreset | null>(null);
  // Where the report being made goes when not at my GPS fix: a stop's point, or a tap on the map.
  const [fixedAt, setFixedAt] = useState<LngLat | null>(null);
  const [reporting, setReporting] = useState(false);
  const tiles = useTilePrefetch(planId, planArea, online);
  // Look-backs due: in the plan area and around me; kept on the phone for an offline start.
  const lookBacks = useLookBacks({ here: fix.at, planArea, plansKnown: plans.data !== null, online, records });
  // Nearby points, only when there is no plan for today.
  const noPlanToday = plans.data !== null && plans.data.length === 0;
  const nearby = useNearbyPoints(fix.at, noPlanToday);
  const sortedNearby = nearby.points;

  const pending = records.filter((r) => r.state === 'waiting' || r.state === 'sending' || r.state === 'failed').length;
  const kindName = (k: string) => kindText(k, lang, (own) => t(`kind.${own}`));

  return (
    // A div, not a second main: the shell's <main> holds every page. The h1 names the page for screen readers; the phone's screen is kept for the work.
    <div className="field-page" data-testid="field-page">
      <h1 className="visually-hidden">{t('nav.field')}</h1>
      <p className={`field-status ${online ? '' : 'offline'}`} data-testid="field-status">
        {online ? t('field.online') : t('field.offline')} · {t('field.pending', { n: pending })} ·{' '}
        {!secure
          ? t('field.gpsInsecure')
          : live
            ? t('report.gpsAccuracy', { m: Math.round(fix.accuracyM ?? 0) })
            : gpsError
              ? `${t('report.gpsUnavailable')} (${gpsError})`
              : t('field.locating')}
      </p>

      {!secure && <InsecureNotice />}

      {canTrack && planId && team && trackTeam && (
        <FieldTrack
          track={track}
          wakeLock={wakeLock}
          teamName={trackTeam.name}
          teamColor={trackTeam.color}
          live={live}
          waitingBatches={waitingBatches}
          onStart={() => start(planId, team.index)}
          onStop={stopTrack}
        />
      )}

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
        located={secure}
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
        walked={walked}
        follow={track.recording && !reporting}
        pin={reporting ? (fixedAt ?? (secure ? fix.at : null)) : null}
        onMapClick={reporting ? setFixedAt : null}
      />

      {plan.data && team && (
        <FieldPlanCard
          planId={planId}
          teams={plan.data.teams}
          team={team}
          teamLocked={track.recording}
          stop={stop}
          sheet={sheet.data}
          here={secure ? fix.at : null}
          kindName={kindName}
          onTeam={chooseTeam}
          onFail={(s, item) =>
            setPreset((p) => ({
              category: item.category!,
              at: s.lngLat,
              note: `${s.name}：${item[lang]}`,
              n: (p?.n ?? 0) + 1,
              link: planId ? { planId, stopId: s.id } : null,
            }))
          }
          onDone={(s) => void markDone(s, { owner, at: live ? fix.at : null })}
        />
      )}

      {noPlanToday && <FieldNearby points={sortedNearby} failed={nearby.error !== null} measured={secure} kindName={kindName} />}

      {/* "Within 100 m of me" needs a me: without any GPS it would be measured from the city centre. */}
      {secure && lookBacks.near && <LookBackCard key={lookBacks.near.id} meta={meta} due={lookBacks.near} owner={owner} onQueued={lookBacks.markAnswered} />}

      <QuickReport
        meta={meta}
        gpsAt={secure ? fix.at : null}
        fixedAt={fixedAt}
        onFixedAt={setFixedAt}
        onReporting={setReporting}
        preset={preset}
        owner={owner}
        reporter={me.user?.displayName || me.user?.username || me.role}
        lang={lang}
      />

      <FieldRecords records={records} owner={owner} meta={meta} />
    </div>
  );
}
