/** The ranked lists of the hotspot page: the hottest cells, the most recurring sites, and the planner link. */
import type { HotspotCollection, RecurringCollection } from '../../../../server/contract/hotspots';
import type { LngLat, Meta } from '../../api/types';
import { useI18n } from '../../app/use-i18n';
import { formatCount } from '../../lib/format';

export type Cell = HotspotCollection['features'][number];
export type Site = RecurringCollection['features'][number];

/** The names the lists and the detail card show for a site. */
export function useSiteNames(meta: Meta) {
  const { t, lang } = useI18n();
  const unitName = (id: string | null) => meta.units.find((u) => u.id === id)?.name ?? t('common.none');
  const categoryName = (id: string) => {
    const c = meta.categories.find((x) => x.id === id);
    return c ? (lang === 'zh' ? c.zh : c.en) : id;
  };
  return { unitName, categoryName };
}

/** Inspection visits per place in the analysed period (GET /api/visits); undefined while loading. */
type Visits = ReadonlyMap<string, number> | null | undefined;

/**
 * The site's reports beside the visits at its place — "检查 4 次 · 每次检查发现 1.5" — so a place walked
 * more often does not look worse for it; nothing for a site at no registered place.
 */
function SiteVisits({ site, visits }: { site: Site; visits: Visits }) {
  const { t } = useI18n();
  const id = site.properties.placeId;
  if (!id || !visits) return null;
  const n = visits.get(id) ?? 0;
  return (
    <span className="muted" data-testid="site-visits" data-visits={n}>
      {n > 0 ? t('hot.siteVisits', { n, r: (site.properties.reports / n).toFixed(1) }) : t('hot.siteNoVisits')}
    </span>
  );
}

export interface HotspotListsProps {
  meta: Meta;
  visits: Visits;
  hotCells: Cell[];
  topSites: Site[];
  cellsLoading: boolean;
  sitesLoading: boolean;
  selectedCell: string | null;
  selectedSite: string | null;
  onCell: (cell: Cell) => void;
  onSite: (site: Site) => void;
}

/** Top cells and top sites; a click selects and flies there. */
export function HotspotLists(p: HotspotListsProps) {
  const { t, lang } = useI18n();
  const { unitName, categoryName } = useSiteNames(p.meta);
  const stops = [...new Set(p.topSites.map((s) => s.properties.placeId ?? s.properties.latestProblemId))];
  return (
    <>
      <section className="panel-section hot-list" aria-labelledby="hot-cells-title">
        <h2 id="hot-cells-title">{t('hot.topCells')}</h2>
        {p.cellsLoading && <p className="muted">{t('hot.loadingCells')}</p>}
        {!p.cellsLoading && p.hotCells.length === 0 && <p className="muted">{t('hot.noHotCells')}</p>}
        <ol data-testid="hot-cells">
          {p.hotCells.map((f) => (
            <li key={f.id}>
              <button type="button" className={`link${f.id === p.selectedCell ? ' selected' : ''}`} onClick={() => p.onCell(f)}>
                <strong>{f.properties.class === 'no-pattern' ? t('hot.periodHot') : t(`class.${f.properties.class}`)}</strong>
                <span>{t('hot.cellLine', { n: formatCount(f.properties.count, lang), z: f.properties.z.toFixed(1) })}</span>
              </button>
            </li>
          ))}
        </ol>
      </section>
      <section className="panel-section hot-list" aria-labelledby="hot-sites-title">
        <h2 id="hot-sites-title">{t('hot.topSites')}</h2>
        {p.sitesLoading && <p className="muted">{t('hot.loadingCells')}</p>}
        {!p.sitesLoading && p.topSites.length === 0 && <p className="muted">{t('hot.noSites')}</p>}
        <ol data-testid="hot-sites">
          {p.topSites.map((s) => (
            <li key={s.id}>
              <button type="button" className={`link${s.id === p.selectedSite ? ' selected' : ''}`} onClick={() => p.onSite(s)}>
                <strong>
                  {categoryName(s.properties.category)} · {unitName(s.properties.unitId)}
                </strong>
                <span>{t('hot.siteLine', { n: s.properties.recurrences, d: Math.round(s.properties.meanReturnDays) })}</span>
                <SiteVisits site={s} visits={p.visits} />
              </button>
            </li>
          ))}
        </ol>
        {stops.length > 0 && (
          <a className="button hot-plan" href={`/plan?stops=${stops.map(encodeURIComponent).join(',')}`} data-testid="hot-plan">
            {t('hot.plan', { n: stops.length })}
          </a>
        )}
      </section>
    </>
  );
}

/** The card over the map for the selected cell or site. */
export function HotspotDetail({
  meta,
  cell,
  site,
  visits,
  onClose,
}: {
  meta: Meta;
  cell: Cell | null;
  site: Site | null;
  visits: Visits;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const { unitName, categoryName } = useSiteNames(meta);
  if (!cell && !site) return null;
  return (
    <div className="hot-detail" data-testid="hot-detail">
      <button type="button" className="ghost hot-detail-close" onClick={onClose}>
        {t('hot.clearSelection')}
      </button>
      {cell && !site && (
        <>
          <strong>{t(`class.${cell.properties.class}`)}</strong>
          <span>{t('hot.cellLine', { n: formatCount(cell.properties.count, lang), z: cell.properties.z.toFixed(2) })}</span>
          <span className="muted">{t(cell.properties.class.endsWith('-cold') ? 'classHint.cold' : `classHint.${cell.properties.class as 'new-hot'}`)}</span>
        </>
      )}
      {site && (
        <>
          <strong>
            {categoryName(site.properties.category)} · {unitName(site.properties.unitId)}
          </strong>
          <span>{t('hot.siteLine', { n: site.properties.recurrences, d: Math.round(site.properties.meanReturnDays) })}</span>
          <SiteVisits site={site} visits={visits} />
          <span className="muted">{site.properties.recurrenceDates.join(' · ')}</span>
          <a
            className="button hot-plan"
            href={`/plan?stops=${encodeURIComponent(site.properties.placeId ?? site.properties.latestProblemId)}`}
            data-testid="hot-site-plan"
          >
            {t('hot.planOne')}
          </a>
        </>
      )}
    </div>
  );
}

/** Where a site is. */
export const siteLngLat = (s: Site): LngLat => s.geometry.coordinates as LngLat;
