/**
 * 问题台账 — the ledger page: the map's filters plus full-text search, a virtualised table of every
 * matching problem (sortable), the same detail panel as the map (with the photo timeline, history and
 * next steps), XLSX / CSV export of exactly the filtered set, and the 红黑榜 tab. Live: new problems and
 * transitions from GET /api/events refresh the rows in place. The 待审批申请 tab lists the 延期, 申诉 and 退单
 * requests waiting for the 创文办, with their count on the tab; 目标考核 the units' deduction ledgers.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { getProblemCount } from '../../api/problems';
import { getLedgerIds, postBulkAssign, weeklyBriefingUrl } from '../../api/ledger';
import { describeError } from '../../app/describe-error';
import { ErrorBanner } from '../../app/ErrorBanner';
import type { PageProps } from '../../app/pages';
import { useI18n } from '../../app/use-i18n';
import { useProblemsVersion } from '../../app/use-problems-version';
import { useRequest } from '../../app/use-request';
import { useUrlSync } from '../../app/use-url-state';
import { filtersToParams, filtersToQuery, hasValidDateRange, knownIds, sanitizeFilters, type ProblemFilters } from '../../lib/filters';
import { formatCount } from '../../lib/format';
import { DetailPanel, type Selection } from '../../components/DetailPanel';
import { FilterPanel } from '../../components/FilterPanel';
import { DEFAULT_SORT, ledgerParams, nextSort, type LedgerSort } from './ledger-query';
import { LedgerExport } from './LedgerExport';
import { LedgerTable } from './LedgerTable';
import { RankingList } from './RankingList';
import { RequestList } from './RequestList';
import { ConsequenceList } from './ConsequenceList';
import { getRequests } from '../../api/requests';
import { ReportForm } from './ReportForm';
import { useLedgerRows } from './use-ledger-rows';
import { reelHrefFromFilters } from '../reel/reel-url';
import { PAGE_ROLES } from '../../../../server/contract/roles';

/** Live events are gathered this long before the rows reload (a bulk assignment sends hundreds). */
const LIVE_REFRESH_MS = 800;
const SEARCH_DELAY_MS = 300;
/** The bulk assignment API takes at most this many problems at a time. */
const BULK_MAX = 5000;

export function LedgerPage({ meta, me, initial, lang }: PageProps) {
  const { t } = useI18n();
  const [filters, setFilters] = useState<ProblemFilters>(() => sanitizeFilters(initial.filters, knownIds(meta)));
  const [searchText, setSearchText] = useState('');
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<LedgerSort>(DEFAULT_SORT);
  const [tab, setTab] = useState<'ledger' | 'rankings' | 'requests' | 'consequences'>('ledger');
  const [selection, setSelection] = useState<Selection | null>(null);
  const [version, bumpVersion] = useProblemsVersion(LIVE_REFRESH_MS);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [reporting, setReporting] = useState(false);
  const [bulk, setBulk] = useState<{ busy: boolean; message: string | null }>({ busy: false, message: null });

  useUrlSync({ view: null, filters, lang, hidden: [] });

  useEffect(() => {
    const timer = setTimeout(() => setSearch(searchText), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [searchText]);

  const lastValid = useRef(filters);
  const datesValid = hasValidDateRange(filters);
  if (datesValid) lastValid.current = filters;
  const validFilters = lastValid.current;
  const query = useMemo(() => ledgerParams(validFilters, search, sort), [validFilters, search, sort]);
  const rows = useLedgerRows(query, version);
  const count = useRequest(datesValid ? (signal) => getProblemCount(filtersToParams(validFilters), signal) : null, [
    filtersToQuery(validFilters),
    datesValid,
    version,
  ]);

  // The tab shows how many requests wait; the list itself loads when opened.
  const openRequests = useRequest((signal) => getRequests('open', signal), [version]);
  const waiting = openRequests.data
    ? openRequests.data.counts.extension + openRequests.data.counts.appeal + openRequests.data.counts.return + openRequests.data.reviews.length
    : 0;

  const exportQuery = useMemo(() => ({ ...query, lang }), [query, lang]);
  // Last week's 通报 of the one subdistrict, else the one district, the ledger is filtered to.
  const briefingOf =
    filters.subdistricts.length === 1 ? { subdistrict: filters.subdistricts[0] } : filters.districts.length === 1 ? { district: filters.districts[0] } : null;
  // The reel is city-wide analysis (PAGE_ROLES): a unit account's ledger offers none.
  const mayPlayReel = (PAGE_ROLES['/screen/reel'] as readonly string[]).includes(me.role);
  const onOpenPlace = useCallback((place: { id: string; kind: string }) => setSelection({ kind: 'place', placeKind: place.kind, id: place.id }), []);
  const noop = useCallback(() => {}, []);

  // Only reported problems can be assigned: the button shows when the filter holds exactly those.
  const canBulkAssign =
    lastValid.current.statuses.length === 1 && lastValid.current.statuses[0] === 'reported' && (rows.total ?? 0) > 0 && (rows.total ?? 0) <= BULK_MAX;
  const bulkAssign = async () => {
    if (!rows.total || !window.confirm(t('ledger.bulkConfirm', { n: formatCount(rows.total, lang) }))) return;
    setBulk({ busy: true, message: null });
    try {
      const ids = await getLedgerIds(query, rows.total, new AbortController().signal);
      const out = await postBulkAssign(ids);
      setBulk({ busy: false, message: t('ledger.bulkDone', { n: formatCount(out.assigned.length, lang) }) });
      bumpVersion();
    } catch (err) {
      setBulk({ busy: false, message: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <div className={`map-page ledger-page${selection ? ' has-detail' : ''}`} data-testid="ledger-page">
      <aside className={`sidebar${drawerOpen ? ' open' : ''}`} aria-label={t('drawer.open')}>
        <div className="sidebar-handle">
          <strong>{t('drawer.open')}</strong>
          <button type="button" className="ghost" onClick={() => setDrawerOpen(false)}>
            {t('drawer.close')}
          </button>
        </div>
        <section className="panel-section">
          <label className="search-field">
            <span>{t('ledger.search')}</span>
            <input
              type="search"
              name="q"
              value={searchText}
              placeholder={t('ledger.searchHint')}
              onChange={(e) => setSearchText(e.target.value)}
              data-testid="ledger-search"
            />
          </label>
        </section>
        <FilterPanel meta={meta} filters={filters} onChange={setFilters} count={count} datesValid={datesValid} />
      </aside>
      <section className="ledger-main">
        <header className="ledger-toolbar">
          <div className="tabs" role="tablist">
            <button type="button" role="tab" aria-selected={tab === 'ledger'} onClick={() => setTab('ledger')}>
              {t('nav.ledger')}
            </button>
            <button type="button" role="tab" aria-selected={tab === 'rankings'} onClick={() => setTab('rankings')} data-testid="tab-rankings">
              {t('rankings.title')}
            </button>
            <button type="button" role="tab" aria-selected={tab === 'requests'} onClick={() => setTab('requests')} data-testid="tab-requests">
              {t('requests.tab')}
              {waiting > 0 && (
                <span className="tab-count" data-testid="requests-waiting">
                  {formatCount(waiting, lang)}
                </span>
              )}
            </button>
            <button type="button" role="tab" aria-selected={tab === 'consequences'} onClick={() => setTab('consequences')} data-testid="tab-consequences">
              {t('consequences.tab')}
            </button>
          </div>
          <button type="button" className="primary" onClick={() => setReporting(true)} data-testid="report-open">
            {t('report.open')}
          </button>
          {tab === 'ledger' && (
            <>
              <span className="ledger-total" aria-live="polite" data-testid="ledger-total">
                {rows.total === null ? t('filters.counting') : t('filters.count', { n: formatCount(rows.total, lang) })}
              </span>
              <LedgerExport query={exportQuery} />
              {canBulkAssign && (
                <button type="button" className="primary" onClick={bulkAssign} disabled={bulk.busy} data-testid="bulk-assign">
                  {bulk.busy ? t('panel.loading') : t('ledger.bulkAssign', { n: formatCount(rows.total ?? 0, lang) })}
                </button>
              )}
              {bulk.message && (
                <span className="ledger-total" role="status">
                  {bulk.message}
                </span>
              )}
              {briefingOf && (
                <a className="button" href={weeklyBriefingUrl(briefingOf)} target="_blank" rel="noreferrer" data-testid="ledger-briefing">
                  {t('ledger.briefing')}
                </a>
              )}
              {mayPlayReel && (
                <a
                  className="button"
                  href={reelHrefFromFilters(validFilters, lang)}
                  target="_blank"
                  rel="noopener"
                  title={t('reel.linkTitle')}
                  data-testid="ledger-reel"
                >
                  {t('reel.link')}
                </a>
              )}
            </>
          )}
          <button type="button" className="drawer-toggle ledger-drawer-toggle" onClick={() => setDrawerOpen(true)} aria-expanded={drawerOpen}>
            <span aria-hidden="true">☰</span> {t('drawer.open')}
          </button>
        </header>
        {rows.error && <ErrorBanner messages={[describeError(rows.error, t)]} onRetry={rows.retry} />}
        {tab === 'ledger' ? (
          <LedgerTable
            rows={rows}
            sort={sort}
            onSort={(k) => setSort((s) => nextSort(s, k))}
            selectedId={selection?.kind === 'problem' ? selection.id : null}
            onSelect={(id) => setSelection({ kind: 'problem', id })}
            showDistrict={meta.districts.length > 1}
          />
        ) : tab === 'rankings' ? (
          <RankingList meta={meta} me={me} filters={lastValid.current} />
        ) : tab === 'consequences' ? (
          <ConsequenceList me={me} version={version} onSelectProblem={(id) => setSelection({ kind: 'problem', id })} />
        ) : (
          <RequestList
            meta={meta}
            mayDecide={me.role !== 'unit'}
            version={version}
            onSelect={(id) => setSelection({ kind: 'problem', id })}
            onDecided={bumpVersion}
          />
        )}
        {rows.total === 0 && tab === 'ledger' && (
          <div className="map-notice" role="status">
            {t('filters.empty')}
          </div>
        )}
        {reporting && (
          <aside className="detail-panel report-panel" aria-label={t('report.title')}>
            <ReportForm
              meta={meta}
              onCancel={() => setReporting(false)}
              onDone={(out) => {
                setReporting(false);
                setBulk({ busy: false, message: t(out.mergedInto ? 'report.merged' : 'report.done', { id: out.problem.id }) });
                setSelection({ kind: 'problem', id: out.problem.id });
                bumpVersion();
              }}
            />
          </aside>
        )}
        {selection && !reporting && (
          <DetailPanel
            key={`${selection.kind}:${selection.id}`}
            selection={selection}
            onClose={() => setSelection(null)}
            onOpenPlace={onOpenPlace}
            onFocus={noop}
          />
        )}
      </section>
    </div>
  );
}
