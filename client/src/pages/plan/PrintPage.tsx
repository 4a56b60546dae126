/**
 * 巡查任务单 — the printable A4 task sheet of a plan (`/plan/print?id=…`), one sheet per team with
 * stops: team, date, shift, an overview map of the route (an SVG of the plan's own geometry, so it
 * prints without waiting for tiles), the ordered stops with times and addresses, the catalog's check
 * items for each stop's kind as tick boxes, and room for notes and signatures. Once the team has walked
 * it (GET /api/plans/:id/progress and /tracks), the sheet also says what was walked, draws the walked
 * track on the sketch beside the dashed plan and, per stop, 到达 ✓ with the time or ✗: printed after the
 * walk it is the record for the file.
 */
import { useEffect, useState } from 'react';
import { isAbortError } from '../../api/client';
import { describeError } from '../../app/describe-error';
import type { PageProps } from '../../app/pages';
import { useI18n } from '../../app/use-i18n';
import { kindText } from '../../lib/kinds';
import { fetchPlanSheet, type PlanSheet } from '../../api/plans';
import { fetchPlanProgress, fetchPlanTracks, type PlanProgress, type WalkedTracks } from '../../api/tracks';
import { formatDistance } from '../../lib/format';
import { planText, spot, type PlanTextKey } from '../../lib/plan-text';
import { cityHhmm, coverageNote, progressSummary } from './track-progress';
import './plan-progress.css';

type Team = PlanSheet['plan']['teams'][number];
type TeamWalk = PlanProgress['teams'][number];
type WalkedLine = WalkedTracks['features'][number];
/** The progress as the sheet waits for it: loading, loaded, or failed with the reason (the sheet prints without it). */
type Walk = { state: 'loading' } | { state: 'ok'; progress: PlanProgress; tracks: WalkedTracks } | { state: 'failed'; message: string };
const hhmm = (iso: string) => iso.slice(11, 16);
const MAP_W = 640;
const MAP_H = 260;

/** The print page. */
export function PrintPage({ meta, lang }: PageProps) {
  const { t } = useI18n();
  const p = (key: PlanTextKey, params?: Record<string, string | number>) => planText(lang, key, params);
  const id = new URLSearchParams(window.location.search).get('id');
  const [sheet, setSheet] = useState<PlanSheet | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [walk, setWalk] = useState<Walk>({ state: 'loading' });

  useEffect(() => {
    if (!id) return;
    const ctl = new AbortController();
    fetchPlanSheet(id, ctl.signal).then(setSheet, (err: unknown) => {
      if (!isAbortError(err)) setError(describeError(err as Error, t));
    });
    Promise.all([fetchPlanProgress(id, ctl.signal), fetchPlanTracks(id, ctl.signal)]).then(
      ([progress, tracks]) => setWalk({ state: 'ok', progress, tracks }),
      (err: unknown) => {
        if (!isAbortError(err)) setWalk({ state: 'failed', message: describeError(err as Error, t) });
      },
    );
    return () => ctl.abort();
  }, [id, t]);

  if (!id) return <p className="print-message">{p('sheetNoId')}</p>;
  if (error)
    return (
      <p className="print-message error" role="alert">
        {error}
      </p>
    );
  // The sheet waits for the progress too: one printed in between would lack the 到达 column it should have.
  if (!sheet || walk.state === 'loading') {
    return (
      <p className="print-message" role="status">
        <span className="spinner" aria-hidden="true" /> {p('sheetLoading')}
      </p>
    );
  }
  const { plan, checkItems } = sheet;
  const teams = plan.teams.filter((tm) => tm.stops.length > 0);
  const cityName = lang === 'zh' ? meta.city.name : meta.city.nameEn || meta.city.name;

  return (
    <div className="print-page" data-testid="print-page">
      <div className="print-toolbar">
        <button type="button" className="primary" onClick={() => window.print()}>
          {p('sheetPrint')}
        </button>
        <a href={`/plan?plan=${encodeURIComponent(plan.id)}`}>{p('sheetBack')}</a>
        {walk.state === 'failed' && (
          <span className="sheet-progress-note" role="alert">
            {t('plan.progress.sheetFailed', { message: walk.message })}
          </span>
        )}
      </div>
      {teams.map((tm) => {
        const walked = walk.state === 'ok' ? walk.progress.teams.find((w) => w.index === tm.index && w.fixes > 0) : undefined;
        const walkedLine = walked && walk.state === 'ok' ? walk.tracks.features.find((f) => f.properties.team === tm.index) : undefined;
        return (
          <article key={tm.index} className="sheet" data-testid={`sheet-team-${tm.index}`}>
            <header className="sheet-head">
              <h1>
                {p('sheetTitle')} · {cityName}
              </h1>
              <dl>
                <dt>{p('sheetTeam')}</dt>
                <dd>{tm.name}</dd>
                <dt>{p('sheetDate')}</dt>
                <dd>{plan.date}</dd>
                <dt>{p('sheetShift')}</dt>
                <dd>
                  {hhmm(tm.startAt)}–{hhmm(tm.endAt)}
                </dd>
                <dt>{p('sheetProfile')}</dt>
                <dd>{p(`profile.${plan.profile}` as PlanTextKey)}</dd>
                <dt>{p('start')}</dt>
                <dd data-testid={`sheet-start-${tm.index}`}>{spot(tm.startName, tm.start)}</dd>
                <dt>{p('end')}</dt>
                <dd>{tm.end ? spot(tm.endName, tm.end) : p('noEnd')}</dd>
              </dl>
              <p className="sheet-plan-name">{plan.name}</p>
              {walked && (
                <p className="sheet-progress" data-testid={`sheet-progress-${tm.index}`}>
                  {progressSummary(walked, lang)}
                  {walked.detourM > 0 ? ` · ${t('plan.progress.detour', { distance: formatDistance(walked.detourM, lang) })}` : ''}
                </p>
              )}
            </header>
            <RouteSketch team={tm} walked={walkedLine} />
            {walkedLine && (
              <p className="sheet-sub sheet-sketch-key">
                <span>━ {t('plan.progress.key.walked')}</span>
                <span>┅ {t('plan.progress.key.planned')}</span>
              </p>
            )}
            <table className="sheet-stops">
              <thead>
                <tr>
                  <th>{p('sheetSeq')}</th>
                  <th>{p('sheetTime')}</th>
                  {walked && <th>{t('plan.progress.sheetColumn')}</th>}
                  <th>{p('sheetStop')}</th>
                  <th>{p('sheetChecks')}</th>
                </tr>
              </thead>
              <tbody>
                {tm.stops.map((s) => (
                  <tr key={s.id} data-testid={`sheet-stop-${s.id}`}>
                    <td className="sheet-seq">{s.seq}</td>
                    <td className="sheet-time">
                      {hhmm(s.arrival)}–{hhmm(s.departure)}
                    </td>
                    {walked && <ReachedCell walked={walked} stopId={s.id} />}
                    <td>
                      <strong>{s.name}</strong>
                      <div className="sheet-sub">
                        {kindText(s.kind, lang, (own) => p(`kind.${own}`))}
                        {s.subdistrictName ? ` · ${s.subdistrictName}` : ''}
                        {s.address ? ` · ${s.address}` : ''}
                      </div>
                    </td>
                    <td className="sheet-checks">
                      {(checkItems[s.kind] ?? []).map((c) => (
                        <span key={c.id} className="sheet-check">
                          <span className="box" aria-hidden="true">
                            ☐
                          </span>
                          {lang === 'zh' ? c.zh : c.en}
                        </span>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <section className="sheet-notes">
              <h2>{p('sheetNotes')}</h2>
              <div className="sheet-lines" />
            </section>
            <footer className="sheet-sign">
              <span>{p('sheetSignInspector')}：________________</span>
              <span>{p('sheetSignLeader')}：________________</span>
              <span>{p('sheetSignDate')}：____年__月__日</span>
            </footer>
          </article>
        );
      })}
    </div>
  );
}

/** 到达 ✓ and the time, or ✗; a back street with its covered share. */
function ReachedCell({ walked, stopId }: { walked: TeamWalk; stopId: string }) {
  const { lang } = useI18n();
  const stop = walked.stops.find((s) => s.id === stopId);
  if (!stop) return <td className="sheet-reached" />;
  const covered = coverageNote(
    stop,
    walked.backStreets.find((b) => b.id === stopId),
    lang,
  );
  return (
    <td className={`sheet-reached${stop.reached ? '' : ' missed'}`} data-reached={stop.reached}>
      {stop.reached ? `✓ ${cityHhmm(stop.reachedAt) ?? ''}`.trim() : '✗'}
      {covered && <div className="sheet-sub">{covered}</div>}
    </td>
  );
}

/**
 * The team's route and numbered stops, drawn to fit the sheet (equirectangular, north up); with a walked
 * track, the walk solid and the plan dashed beside it, as on the planner's map.
 */
function RouteSketch({ team, walked }: { team: Team; walked?: WalkedLine }) {
  const pts: [number, number][] = [
    ...(team.geometry?.coordinates ?? []).map((c) => [c[0], c[1]] as [number, number]),
    ...team.stops.map((s) => s.lngLat as [number, number]),
    ...(walked?.geometry.coordinates.flat() ?? []).map((c) => [c[0], c[1]] as [number, number]),
  ];
  if (pts.length === 0) return null;
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of pts) {
    w = Math.min(w, x);
    e = Math.max(e, x);
    s = Math.min(s, y);
    n = Math.max(n, y);
  }
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const spanX = Math.max((e - w) * k, 1e-4);
  const spanY = Math.max(n - s, 1e-4);
  const scale = Math.min((MAP_W - 40) / spanX, (MAP_H - 40) / spanY);
  const ox = (MAP_W - spanX * scale) / 2;
  const oy = (MAP_H - spanY * scale) / 2;
  const xy = (c: readonly number[]) => [ox + (c[0] - w) * k * scale, MAP_H - oy - (c[1] - s) * scale] as const;
  const line = (team.geometry?.coordinates ?? []).map((c) => xy(c).join(',')).join(' ');
  const start = xy(team.start);
  return (
    <svg className="sheet-map" viewBox={`0 0 ${MAP_W} ${MAP_H}`} role="img" aria-label={team.name}>
      <rect width={MAP_W} height={MAP_H} fill="#f8fafc" stroke="#cbd5e1" />
      {line &&
        (walked ? (
          <polyline points={line} fill="none" stroke={team.color} strokeWidth={1.5} strokeDasharray="6 4" strokeLinejoin="round" />
        ) : (
          <polyline points={line} fill="none" stroke={team.color} strokeWidth={3} strokeLinejoin="round" />
        ))}
      {walked?.geometry.coordinates.map((part, i) => (
        <polyline key={i} points={part.map((c) => xy(c).join(',')).join(' ')} fill="none" stroke={team.color} strokeWidth={3.5} strokeLinejoin="round" />
      ))}
      <circle cx={start[0]} cy={start[1]} r={8} fill="#15803d" />
      {team.stops.map((st) => {
        const [x, y] = xy(st.lngLat);
        return (
          <g key={st.id}>
            <circle cx={x} cy={y} r={8} fill={team.color} stroke="#fff" strokeWidth={1.5} />
            <text x={x} y={y + 3.5} textAnchor="middle" fontSize={10} fill="#fff" fontWeight="bold">
              {st.seq}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
