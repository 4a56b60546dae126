/** The legend: heat colours with their fixed domain, and every hotspot class in plain words. */
import { HOTSPOT_CLASS_NAMES } from '../../../../server/contract/hotspot-classes';
import { useI18n } from '../../app/use-i18n';
import { CLASS_COLORS, HEAT_COLORS } from '../../map/deck/layers';
import type { HeatWeight } from '../../map/deck/points-bin';

type ClassName = (typeof HOTSPOT_CLASS_NAMES)[number];
const HOT_CLASSES = HOTSPOT_CLASS_NAMES.filter((c): c is Extract<ClassName, `${string}-hot`> => c.endsWith('-hot'));
const COLD_CLASSES = HOTSPOT_CLASS_NAMES.filter((c): c is Extract<ClassName, `${string}-cold`> => c.endsWith('-cold'));

const rgb = (c: readonly number[]) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

/** Legend card for the hotspot map. */
export function HotspotLegend({ measure, showHeat, showHex }: { measure: HeatWeight; showHeat: boolean; showHex: boolean }) {
  const { t } = useI18n();
  return (
    <section className="panel-section hot-legend" aria-labelledby="hot-legend-title" data-testid="hot-legend">
      <h2 id="hot-legend-title">{t('legend.title')}</h2>
      {showHeat && (
        <div className="hot-legend-heat">
          <div className="hot-legend-caption">{t('hot.legendHeat', { measure: t(`hot.measure.${measure}`) })}</div>
          <div className="hot-legend-ramp" style={{ background: `linear-gradient(to right, ${HEAT_COLORS.map(rgb).join(', ')})` }} />
          <div className="hot-legend-ends">
            <span>{t('hot.legendLow')}</span>
            <span>{t('hot.legendHigh')}</span>
          </div>
        </div>
      )}
      {showHex && (
        <>
          <div className="hot-legend-caption">{t('hot.legendClasses')}</div>
          <ul className="hot-legend-classes">
            {HOT_CLASSES.map((c) => (
              <li key={c}>
                <span className="swatch" style={{ background: rgb(CLASS_COLORS[c]) }} />
                <span>
                  <strong>{t(`class.${c}`)}</strong> {t(`classHint.${c}`)}
                </span>
              </li>
            ))}
            <li>
              <span className="swatch-group">
                {COLD_CLASSES.map((c) => (
                  <span key={c} className="swatch small" title={t(`class.${c}`)} style={{ background: rgb(CLASS_COLORS[c]) }} />
                ))}
              </span>
              <span>{t('classHint.cold')}</span>
            </li>
            <li>
              <span className="swatch" style={{ background: rgb(CLASS_COLORS['no-pattern']) }} />
              <span>
                <strong>{t('class.no-pattern')}</strong> {t('classHint.no-pattern')}
              </span>
            </li>
          </ul>
          <p className="hot-legend-note">{t('hot.legendNote')}</p>
        </>
      )}
    </section>
  );
}
