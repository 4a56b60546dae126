import { useState } from 'react';
import { useI18n } from '../../app/use-i18n';
import { STATUS_FILTERS } from '../../lib/filters';
import { COLORS, STATUS_COLORS } from '../../map/map-style';

/**
 * What the colours and symbols on the map mean. `strip`: a compact, foldable card over the map
 * (desktop); otherwise a section of the side drawer (phone).
 */
export function Legend({ strip = false, districts = false }: { strip?: boolean; districts?: boolean }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(true);
  if (strip && !open) {
    return (
      <button type="button" className="legend-fab" aria-expanded={false} onClick={() => setOpen(true)}>
        {t('legend.title')}
      </button>
    );
  }
  return (
    <section className={strip ? 'legend legend-strip' : 'panel-section legend'} aria-labelledby="legend-title" data-testid="legend">
      <header className="section-header">
        <h2 id="legend-title">{t('legend.title')}</h2>
        {strip && (
          <button
            type="button"
            className="ghost legend-close"
            aria-expanded={true}
            aria-label={t('legend.hide')}
            title={t('legend.hide')}
            onClick={() => setOpen(false)}
          >
            ×
          </button>
        )}
      </header>
      <div className="legend-group">
        <h3>{t('legend.statuses')}</h3>
        <ul className="legend-list">
          {STATUS_FILTERS.map((s) => (
            <li key={s}>
              <svg width="14" height="14" aria-hidden="true">
                <circle cx="7" cy="7" r="5" fill={STATUS_COLORS[s]} stroke="#fff" strokeWidth="1.5" />
              </svg>
              {t(`status.${s}`)}
            </li>
          ))}
        </ul>
      </div>
      <div className="legend-group">
        <h3>{t('legend.points')}</h3>
        <ul className="legend-list">
          <li>
            <svg width="15" height="15" viewBox="0 0 28 28" aria-hidden="true">
              <rect x="2" y="2" width="24" height="24" rx="6" fill={COLORS.market} stroke="#fff" strokeWidth="2" />
              <rect x="7" y="8" width="14" height="3" fill="#fff" />
              <rect x="8" y="14.5" width="12" height="6.5" fill="#fff" />
            </svg>
            {t('kind.market')}
          </li>
          <li>
            <svg width="16" height="14" aria-hidden="true">
              <rect x="1.5" y="2.5" width="13" height="9" fill={COLORS.communityFill} stroke={COLORS.communityLine} />
            </svg>
            {t('kind.community')}
          </li>
          <li>
            <svg width="18" height="14" aria-hidden="true">
              <path d="M1 10 Q9 2 17 7" fill="none" stroke={COLORS.backStreetCasing} strokeWidth="5" strokeLinecap="round" />
              <path d="M1 10 Q9 2 17 7" fill="none" stroke={COLORS.backStreet} strokeWidth="2.2" strokeLinecap="round" />
            </svg>
            {t('kind.back-street')}
          </li>
          <li>
            <svg width="18" height="14" aria-hidden="true">
              <path d="M1 7 H17" stroke={COLORS.subdistrictLine} strokeWidth="1.6" strokeDasharray="4 2" />
            </svg>
            {t('legend.subdistrict')}
          </li>
          {districts && (
            <li>
              <svg width="18" height="14" aria-hidden="true">
                <path d="M1 7 H17" stroke={COLORS.subdistrictLabel} strokeWidth="3" />
              </svg>
              {t('legend.district')}
            </li>
          )}
        </ul>
      </div>
      <div className="legend-group">
        <h3>{t('legend.cluster')}</h3>
        <div className="legend-cluster">
          <svg width="24" height="24" aria-hidden="true">
            <circle cx="12" cy="12" r="10" fill={COLORS.cluster} stroke={STATUS_COLORS.overdue} strokeWidth="2.2" />
            <text x="12" y="15.5" textAnchor="middle" fontSize="10" fontWeight="700" fill="#fff">
              28
            </text>
          </svg>
          <p>{t('legend.clusterHint')}</p>
        </div>
      </div>
    </section>
  );
}
