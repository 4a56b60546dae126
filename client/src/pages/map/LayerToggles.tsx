import { useI18n } from '../../app/use-i18n';
import { LAYER_TOGGLES, toggleValueOf, type LayerToggle } from '../../lib/layer-toggles';

/** Switches for the map's thematic layers. */
export function LayerToggles({ hidden, onChange }: { hidden: LayerToggle[]; onChange: (hidden: LayerToggle[]) => void }) {
  const { t } = useI18n();
  return (
    <section className="panel-section" aria-labelledby="layers-title">
      <header className="section-header">
        <h2 id="layers-title">{t('layers.title')}</h2>
      </header>
      <ul className="toggles">
        {LAYER_TOGGLES.map((layer) => (
          <li key={layer}>
            <label className="toggle">
              <input type="checkbox" name={`layer-${layer}`} checked={!hidden.includes(layer)} onChange={() => onChange(toggleValueOf(hidden, layer))} />
              <span className="switch" aria-hidden="true" />
              <span>{t(`layer.${layer}`)}</span>
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}
