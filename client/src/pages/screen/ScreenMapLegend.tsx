/** The big screen map's legend and the tour's caption. */
import type { Lang } from '../../app/i18n';
import { useI18n } from '../../app/use-i18n';
import { HEAT_COLORS } from '../../map/deck/layers';
import type { LegendClass } from './map/screen-data';
import { legendColor } from './map/screen-layers';
import type { TripsDay } from './map/trips';
import type { TourStop } from './tour';

/** The heat ramp for the period, the hot-cell classes present, and today's teams when routes are drawn. */
export function ScreenMapLegend({ period: label, classes, trips }: { period: string; classes: readonly LegendClass[]; trips: TripsDay | null }) {
  const { t } = useI18n();
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
      {trips && trips.trips.length > 0 && (
        <div className="screen-map-legend-row" data-testid="screen-map-routes">
          <span className="screen-map-legend-head">{t('screen.map.routes')}</span>
          {trips.trips.map((tr, i) => (
            <span key={`${tr.name}-${i}`} className="screen-map-key">
              <i className="screen-map-key-line" style={{ background: `rgb(${tr.color.join(',')})` }} />
              {tr.name}
            </span>
          ))}
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
