import { useI18n } from '../../app/use-i18n';
import { STATUS_FILTERS } from '../../lib/filters';
import { COLORS, STATUS_COLORS } from '../../map/map-style';

/** What the colours and symbols on the map mean. */
export function Legend() {
  const { t } = useI18n();
  return (
    <section className="panel-section legend" aria-labelledby="legend-title">
      <header className="section-header">
        <h2 id="legend-title">{t('legend.title')}</h2>
      </header>
      <h3>{t('legend.statuses')}</h3>
      <ul className="legend-list legend-statuses">
        {STATUS_FILTERS.map((s) => (
          <li key={s}>
            <svg width="16" height="16" aria-hidden="true">
              <circle cx="8" cy="8" r="5.5" fill={STATUS_COLORS[s]} stroke="#fff" strokeWidth="1.5" />
            </svg>
            {t(`status.${s}`)}
          </li>
        ))}
      </ul>
      <h3>{t('legend.points')}</h3>
      <ul className="legend-list">
        <li>
          <svg width="16" height="16" viewBox="0 0 28 28" aria-hidden="true">
            <rect x="2" y="2" width="24" height="24" rx="6" fill={COLORS.market} stroke="#fff" strokeWidth="2" />
            <rect x="7" y="8" width="14" height="3" fill="#fff" />
            <rect x="8" y="14.5" width="12" height="6.5" fill="#fff" />
          </svg>
          {t('kind.market')}
        </li>
        <li>
          <svg width="16" height="16" aria-hidden="true">
            <rect x="1.5" y="3.5" width="13" height="9" fill={COLORS.communityFill} stroke={COLORS.communityLine} />
          </svg>
          {t('kind.community')}
        </li>
        <li>
          <svg width="16" height="16" aria-hidden="true">
            <path d="M1 11 Q8 3 15 8" fill="none" stroke={COLORS.backStreetCasing} strokeWidth="5" strokeLinecap="round" />
            <path d="M1 11 Q8 3 15 8" fill="none" stroke={COLORS.backStreet} strokeWidth="2.2" strokeLinecap="round" />
          </svg>
          {t('kind.back-street')}
        </li>
        <li>
          <svg width="16" height="16" aria-hidden="true">
            <path d="M1 8 H15" stroke={COLORS.subdistrictLine} strokeWidth="1.6" strokeDasharray="4 2" />
          </svg>
          {t('legend.subdistrict')}
        </li>
      </ul>
      <h3>{t('legend.cluster')}</h3>
      <div className="legend-cluster">
        <svg width="30" height="30" aria-hidden="true">
          <circle cx="15" cy="15" r="12" fill={COLORS.cluster} stroke={STATUS_COLORS.overdue} strokeWidth="2.5" />
          <text x="15" y="19" textAnchor="middle" fontSize="11" fontWeight="700" fill="#fff">
            28
          </text>
        </svg>
        <p>{t('legend.clusterHint')}</p>
      </div>
    </section>
  );
}
