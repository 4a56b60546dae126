/** Today's plan on the field page: my team, and the next stop as a big card with its check items. */
import type { LngLat } from '../../api/types';
import { useI18n } from '../../app/use-i18n';
import type { PlanSheet } from '../../api/plans';
import { distanceM, walkMinutes } from './field-logic';
import { StopChecks, type CheckItem } from './StopChecks';
import type { FieldStop, FieldTeam } from './use-field-plan';

interface FieldPlanCardProps {
  planId: string | null;
  teams: readonly FieldTeam[];
  team: FieldTeam;
  /** While the track is recorded for this team, the team cannot be changed (the track would change hands). */
  teamLocked: boolean;
  stop: FieldStop | null;
  sheet: PlanSheet | null;
  /** Null without any GPS (plain HTTP): no distance is shown rather than one from the city centre. */
  here: LngLat | null;
  kindName: (kind: string) => string;
  onTeam: (value: string) => void;
  onFail: (stop: FieldStop, item: CheckItem) => void;
  onDone: (stop: FieldStop) => void;
}

export function FieldPlanCard({ planId, teams, team, teamLocked, stop, sheet, here, kindName, onTeam, onFail, onDone }: FieldPlanCardProps) {
  const { t } = useI18n();
  return (
    <section className="field-plan">
      {teams.length > 1 && (
        <label className="form-field">
          <span>{t('field.myTeam')}</span>
          <select value={team.index} onChange={(e) => onTeam(e.target.value)} disabled={teamLocked} title={teamLocked ? t('field.track.locked') : undefined}>
            {teams.map((tm, i) => (
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
          {here && (
            <p className="field-distance">
              {t('field.distance', { m: Math.round(distanceM(here, stop.lngLat)), min: walkMinutes(distanceM(here, stop.lngLat)) })}
            </p>
          )}
          {planId && sheet && (
            <StopChecks key={stop.id} planId={planId} stopId={stop.id} items={sheet.checkItems[stop.kind] ?? []} onFail={(item) => onFail(stop, item)} />
          )}
          <button type="button" className="primary" onClick={() => onDone(stop)} data-testid="field-stop-done">
            {t('field.stopDone')}
          </button>
        </article>
      ) : (
        <p className="field-card">{t('field.routeDone')}</p>
      )}
    </section>
  );
}
