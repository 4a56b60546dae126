/** The big screen map's legend and the tour's caption. */
import { cityClock } from '../../../../server/contract/city-time';
import { TRACK_FADE_MS } from '../../../../server/contract/track-rules';
import type { Lang } from '../../app/i18n';
import { useI18n } from '../../app/use-i18n';
import { HEAT_COLORS } from '../../map/deck/layers';
import type { LegendClass } from './map/screen-data';
import type { TeamMarker } from './map/positions';
import { legendColor } from './map/screen-layers';
import type { TripsDay } from './map/trips';
import type { TourStop } from './tour';

interface LegendProps {
  period: string;
  classes: readonly LegendClass[];
  trips: TripsDay | null;
  markers: readonly TeamMarker[];
}

/** A team as the legend lists it: its route's colour, whether it walked, its latest position. */
interface TeamEntry {
  key: string;
  name: string;
  color: readonly number[];
  walked: boolean;
  marker: TeamMarker | null;
}

/**
 * The heat ramp for the period, the hot-cell classes present, and today's teams when routes are drawn:
 * each with its route's line (full once it walked) and, once seen today, its position's dot (grey once
 * faded) and the time of its last fix; then what the line and the dots mean. Two rows, not one a team:
 * the legend lies over the map's top corner, where a team's marker may be.
 */
export function ScreenMapLegend({ period: label, classes, trips, markers }: LegendProps) {
  const { t } = useI18n();
  const walked = new Set((trips?.trips ?? []).filter((tr) => tr.walked).map((tr) => tr.key));
  const byKey = new Map(markers.map((m) => [m.key, m]));
  const planned = trips?.planned ?? [];
  const teams: TeamEntry[] = [
    ...planned.map((tr) => ({ key: tr.key, name: tr.name, color: tr.color, walked: walked.has(tr.key), marker: byKey.get(tr.key) ?? null })),
    // Seen without a planned line (a team whose route could not be drawn): its dot only.
    ...markers
      .filter((m) => !planned.some((tr) => tr.key === m.key))
      .map((m) => ({ key: m.key, name: m.name, color: m.color, walked: walked.has(m.key), marker: m })),
  ];
  const anyFaded = markers.some((m) => m.faded);
  return (
    <div className="screen-map-legend" data-testid="screen-map-legend">
      <div className="screen-map-legend-title">{t('screen.map.heat', { period: label })}</div>
      <div className="screen-map-ramp">
        <span>{t('screen.map.fewer')}</span>
        <span className="screen-map-ramp-bar" style={{ background: `linear-gradient(90deg, ${HEAT_COLORS.map((c) => `rgb(${c.join(',')})`).join(', ')})` }} />
        <span>{t('screen.map.more')}</span>
      </div>
      {classes.length > 0 && (
        <div className="screen-map-legend-row">
          <span className="screen-map-legend-head">{t('screen.map.hotCells')}</span>
          {classes.map((c) => (
            <span key={c} className="screen-map-key">
              <i style={{ borderColor: `rgb(${legendColor(c).join(',')})` }} />
              {t(`screen.map.class.${c}`)}
            </span>
          ))}
        </div>
      )}
      {teams.length > 0 && (
        <div className="screen-map-legend-row" data-testid="screen-map-routes">
          <span className="screen-map-legend-head">{t('screen.map.routes')}</span>
          {teams.map((tm) => {
            const rgb = `rgb(${tm.color.join(',')})`;
            return (
              <span
                key={tm.key}
                className={`screen-map-key${tm.marker?.faded ? ' faded' : ''}`}
                data-team={tm.key}
                data-walked={tm.walked}
                data-faded={tm.marker ? tm.marker.faded : undefined}
              >
                <i className={`screen-map-key-line${tm.walked ? ' walked' : ''}`} style={{ background: rgb }} />
                {tm.name}
                {tm.marker && (
                  <span className="screen-map-key-seen">
                    <i className="screen-map-key-dot" style={{ background: tm.marker.faded ? undefined : rgb }} />
                    {cityClock(tm.marker.atMs)}
                  </span>
                )}
              </span>
            );
          })}
        </div>
      )}
      {(walked.size > 0 || markers.length > 0) && (
        <div className="screen-map-legend-row screen-map-legend-keys" data-testid="screen-map-teams-key">
          {walked.size > 0 && (
            <span className="screen-map-key">
              <i className="screen-map-key-line walked" />
              {t('screen.teams.walked')}
            </span>
          )}
          {markers.length > 0 && (
            <span className="screen-map-key">
              <i className="screen-map-key-dot" />
              {t('screen.teams.positions')}
            </span>
          )}
          {anyFaded && (
            <span className="screen-map-key faded">
              <i className="screen-map-key-dot" />
              {t('screen.teams.faded', { min: TRACK_FADE_MS / 60_000 })}
            </span>
          )}
        </div>
      )}
    </div>
  );
}

/** The tour stop's caption: its title, its place in the cycle, and why it is shown. */
export function TourCaption({ stop, step, total, lang }: { stop: TourStop; step: number; total: number; lang: Lang }) {
  const { t } = useI18n();
  return (
    <div className="screen-map-caption" data-testid="screen-tour-caption" data-stop={stop.key} aria-live="polite">
      <div className="screen-map-caption-head">
        <span className="screen-map-caption-title">{stop.title[lang]}</span>
        <span className="screen-map-caption-step">{t('screen.tour.step', { n: step, total })}</span>
      </div>
      <div className="screen-map-caption-why">
        {/* Lines break between the parts, never inside one ("19 | 起" reads badly from across a room). */}
        {stop.caption[lang].split(' · ').map((part, i) => (
          <span key={i}>
            {i > 0 && ' · '}
            <span className="screen-map-caption-part">{part}</span>
          </span>
        ))}
      </div>
    </div>
  );
}
