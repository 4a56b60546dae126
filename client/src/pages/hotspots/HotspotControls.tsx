/** What the hotspot map shows: the layers, the heat's weight, the cells' colouring and resolution. */
import { useI18n } from '../../app/use-i18n';
import type { HeatWeight } from '../../map/deck/points-bin';

const RESOLUTIONS = [8, 9, 10] as const;
const MEASURES: HeatWeight[] = ['count', 'recurrences', 'lateDays'];

/** The map's display options, held together (one state). */
export interface HotspotOptions {
  measure: HeatWeight;
  show: { heat: boolean; hex: boolean; sites: boolean };
  extruded: boolean;
  colorBy: 'class' | 'count';
  res: number;
}

export const DEFAULT_OPTIONS: HotspotOptions = { measure: 'count', show: { heat: true, hex: true, sites: true }, extruded: false, colorBy: 'class', res: 9 };

/** The "show" section of the sidebar. */
export function HotspotControls({ options, onChange }: { options: HotspotOptions; onChange: (next: HotspotOptions) => void }) {
  const { t } = useI18n();
  const set = <K extends keyof HotspotOptions>(key: K, value: HotspotOptions[K]) => onChange({ ...options, [key]: value });
  return (
    <section className="panel-section hot-controls" aria-label={t('hot.show')}>
      <h2>{t('hot.show')}</h2>
      <div className="hot-toggles">
        {(['heat', 'hex', 'sites'] as const).map((k) => (
          <label key={k}>
            <input
              type="checkbox"
              checked={options.show[k]}
              onChange={(e) => set('show', { ...options.show, [k]: e.target.checked })}
              data-testid={`hot-show-${k}`}
            />
            {t(`hot.${k}`)}
          </label>
        ))}
        <label>
          <input type="checkbox" checked={options.extruded} onChange={(e) => set('extruded', e.target.checked)} />
          {t('hot.extrude')}
        </label>
      </div>
      <label className="hot-field">
        {t('hot.measure')}
        <select value={options.measure} onChange={(e) => set('measure', MEASURES.find((m) => m === e.target.value) ?? 'count')} data-testid="hot-measure">
          {MEASURES.map((m) => (
            <option key={m} value={m}>
              {t(`hot.measure.${m}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="hot-field">
        {t('hot.colorBy')}
        <select value={options.colorBy} onChange={(e) => set('colorBy', e.target.value === 'count' ? 'count' : 'class')}>
          <option value="class">{t('hot.colorBy.class')}</option>
          <option value="count">{t('hot.colorBy.count')}</option>
        </select>
      </label>
      <label className="hot-field">
        {t('hot.res')}
        <select value={options.res} onChange={(e) => set('res', Number(e.target.value))} data-testid="hot-res">
          {RESOLUTIONS.map((r) => (
            <option key={r} value={r}>
              {t(`hot.res.${r}`)}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}
