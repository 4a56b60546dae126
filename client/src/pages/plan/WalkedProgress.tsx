/**
 * 实走进度 — the open plan walked, per team: the summary line (distance, stops reached, back streets
 * covered), the last fix and the detour, then each stop reached or not and when, a back street with its
 * covered share (back streets are stops walked end to end). Data and refreshes: use-plan-progress.ts;
 * wording: track-progress.ts.
 */
import type { StreetProgress, TeamProgress } from '../../../../server/contract/tracks';
import { cityClock } from '../../../../server/contract/city-time';
import { TRACK_FADE_MS } from '../../../../server/contract/track-rules';
import type { Lang } from '../../app/i18n';
import { useI18n } from '../../app/use-i18n';
import { formatDistance } from '../../lib/format';
import { coverageNote, progressSummary, stopMark, type TeamFix } from './track-progress';
import type { PlanProgressView } from './use-plan-progress';

interface Props {
  view: PlanProgressView;
  /** Today's plan: a silent team's last fix says how long ago it was. */
  live: boolean;
}

/** The plan page's 实走进度 section. */
export function WalkedProgress({ view, live }: Props) {
  const { t, lang } = useI18n();
  const { progress, loading, error } = view;
  const walked = progress?.teams.filter((tm) => tm.fixes > 0) ?? [];
  return (
    <section className="panel-section plan-progress" data-testid="plan-progress" aria-busy={loading}>
      <h3>{t('plan.progress.title')}</h3>
      {loading && (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> {t('plan.progress.loading')}
        </p>
      )}
      {error && (
        <p className="plan-violation" role="alert" data-testid="plan-progress-error">
          {t('plan.progress.failed', { message: error })}{' '}
          <button type="button" className="link" onClick={view.retry}>
            {t('error.retry')}
          </button>
        </p>
      )}
      {progress && walked.length === 0 && (
        <p className="muted" data-testid="plan-progress-empty">
          {t('plan.progress.empty')}
        </p>
      )}
      {walked.length > 0 &&
        progress!.teams
          .filter((tm) => tm.stops.length > 0 || tm.fixes > 0)
          .map((tm) => <TeamBlock key={tm.index} team={tm} fix={view.fixes.find((f) => f.team === tm.index) ?? null} now={view.now} live={live} lang={lang} />)}
    </section>
  );
}

function TeamBlock({ team, fix, now, live, lang }: { team: TeamProgress; fix: (TeamFix & { faded: boolean }) | null; now: number; live: boolean; lang: Lang }) {
  const { t } = useI18n();
  const streets = new Map<string, StreetProgress>(team.backStreets.map((b) => [b.id, b]));
  const meta: string[] = [];
  if (fix) {
    const time = cityClock(fix.atMs);
    meta.push(live && fix.faded ? t('plan.progress.lastFixFaded', { time, min: Math.floor((now - fix.atMs) / 60_000) }) : t('plan.progress.lastFix', { time }));
  }
  if (team.detourM > 0) meta.push(t('plan.progress.detour', { distance: formatDistance(team.detourM, lang) }));
  if (team.phones > 1) meta.push(t('plan.progress.phones', { n: team.phones }));
  return (
    <div className="plan-progress-team" data-testid={`plan-progress-team-${team.index}`}>
      <h4>
        <span className="plan-swatch" style={{ background: team.color }} aria-hidden="true" />
        {team.name}
      </h4>
      {team.fixes === 0 ? (
        <p className="muted">{t('plan.progress.teamEmpty')}</p>
      ) : (
        <>
          <p className="plan-progress-summary" data-testid={`plan-progress-summary-${team.index}`}>
            {progressSummary(team, lang)}
          </p>
          {meta.length > 0 && <p className={`plan-progress-meta${fix?.faded && live ? ' faded' : ''}`}>{meta.join(' · ')}</p>}
          <details open>
            <summary>{t('plan.progress.stops')}</summary>
            <ol className="plan-progress-stops">
              {team.stops.map((s) => {
                const covered = coverageNote(s, streets.get(s.id), lang);
                return (
                  <li key={s.id} className={s.reached ? 'reached' : 'missed'} data-testid={`plan-progress-stop-${s.id}`} data-reached={s.reached}>
                    <span className="plan-progress-mark" aria-hidden="true">
                      {s.reached ? '✓' : '✗'}
                    </span>
                    <span className="plan-progress-name">
                      {s.seq}. {s.name}
                    </span>
                    <span className="plan-progress-when">
                      {stopMark(s, lang)}
                      {covered ? ` · ${covered}` : ''}
                    </span>
                  </li>
                );
              })}
            </ol>
          </details>
        </>
      )}
    </div>
  );
}

/** What the walked lines and dots on the planner's map mean (shown while there are any). */
export function WalkedMapKey() {
  const { t } = useI18n();
  return (
    <div className="plan-walked-key" data-testid="plan-walked-key">
      <span>
        <i className="plan-key-walked" aria-hidden="true" />
        {t('plan.progress.key.walked')}
      </span>
      <span>
        <i className="plan-key-planned" aria-hidden="true" />
        {t('plan.progress.key.planned')}
      </span>
      <span>
        <i className="plan-key-dot" aria-hidden="true" />
        {t('plan.progress.key.position')}
      </span>
      <span>
        <i className="plan-key-dot faded" aria-hidden="true" />
        {t('plan.progress.key.faded', { min: TRACK_FADE_MS / 60_000 })}
      </span>
    </div>
  );
}
