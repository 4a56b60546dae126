/** Without a plan for today: the points near me, the nearest as a card. */
import { useI18n } from '../../app/use-i18n';
import type { FieldPoint } from './field-logic';
import { walkMinutes } from './field-logic';

export function FieldNearby({
  points,
  failed,
  measured,
  kindName,
}: {
  points: readonly (FieldPoint & { distanceM: number })[];
  failed: boolean;
  /** False without any GPS (plain HTTP): the distances would be from the city centre, not from me, so none are shown. */
  measured: boolean;
  kindName: (kind: string) => string;
}) {
  const { t } = useI18n();
  const [first, ...rest] = points;
  return (
    <section className="field-nearby" data-testid="field-nearby">
      <h2>{t('field.nearby')}</h2>
      {first && (
        <article className="field-card" data-testid="field-next-stop">
          <small>{kindName(first.kind)}</small>
          <h2>{first.name}</h2>
          {measured && <p className="field-distance">{t('field.distance', { m: Math.round(first.distanceM), min: walkMinutes(first.distanceM) })}</p>}
        </article>
      )}
      <ol className="field-list">
        {rest.map((p) => (
          <li key={p.id}>
            {p.name}{' '}
            <small>
              {kindName(p.kind)}
              {measured && ` · ${Math.round(p.distanceM)} m`}
            </small>
          </li>
        ))}
      </ol>
      {failed && <small>{t('field.nearbyUnavailable')}</small>}
    </section>
  );
}
