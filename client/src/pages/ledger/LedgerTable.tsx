/**
 * The ledger table, virtualised: only the rows in view (plus a margin) are in the DOM, positioned in a
 * spacer as tall as all rows, so 100,000 rows scroll like 30. Rows come page by page from useLedgerRows.
 */
import { useEffect, useRef, useState } from 'react';
import type { LedgerRow } from '../../../../server/contract';
import type { MessageKey } from '../../app/i18n';
import { useI18n } from '../../app/use-i18n';
import { formatCityTime } from '../../lib/format';
import { STATUS_COLORS } from '../../map/map-style';
import { type LedgerSort, type LedgerSortKey, pagesFor, visibleRange } from './ledger-query';
import { LEDGER_PAGE_SIZE, type LedgerRows } from './use-ledger-rows';

/** Row height in px (app.css `.ledger-row` uses the same). */
export const ROW_H = 36;

interface Column {
  key: string;
  label: MessageKey;
  sort?: LedgerSortKey;
  cell: (r: LedgerRow) => React.ReactNode;
}

interface LedgerTableProps {
  rows: LedgerRows;
  sort: LedgerSort;
  onSort: (key: LedgerSortKey) => void;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** A 所属区县 column before 所属街道: only a city of several districts has one worth a column. */
  showDistrict: boolean;
}

export function LedgerTable({ rows, sort, onSort, selectedId, onSelect, showDistrict }: LedgerTableProps) {
  const { t, lang } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const head = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportH, setViewportH] = useState(600);
  const total = rows.total ?? 0;

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setViewportH(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // A new query starts at the top.
  useEffect(() => {
    if (rows.total === null && scroller.current) {
      scroller.current.scrollTop = 0;
      setScrollTop(0);
    }
  }, [rows.total]);

  const { first, last } = visibleRange(scrollTop, viewportH, ROW_H, total);
  const wanted = pagesFor(first, last, LEDGER_PAGE_SIZE).join(',');
  useEffect(() => {
    if (wanted) rows.want(wanted.split(',').map(Number));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `rows` changes identity every render; the pages wanted are what matters
  }, [wanted, rows.total]);

  const time = (s: string | null) => formatCityTime(s) ?? '';
  const columns: Column[] = [
    { key: 'id', label: 'ledger.col.id', sort: 'id', cell: (r) => r.id },
    {
      key: 'category',
      label: 'ledger.col.category',
      sort: 'category',
      cell: (r) => r.categoryName[lang] || r.categoryName.zh,
    },
    { key: 'location', label: 'ledger.col.location', cell: (r) => <span title={r.description}>{r.location}</span> },
    ...(showDistrict
      ? [
          {
            key: 'district',
            label: 'ledger.col.district',
            cell: (r: LedgerRow) => <span title={r.districtName ?? undefined}>{r.districtName ?? ''}</span>,
          } satisfies Column,
        ]
      : []),
    { key: 'subdistrict', label: 'ledger.col.subdistrict', sort: 'subdistrict', cell: (r) => r.subdistrictName ?? '' },
    { key: 'unit', label: 'ledger.col.unit', sort: 'unit', cell: (r) => r.unitName ?? '' },
    { key: 'reportedAt', label: 'ledger.col.reportedAt', sort: 'reportedAt', cell: (r) => time(r.reportedAt) },
    { key: 'deadline', label: 'ledger.col.deadline', sort: 'deadline', cell: (r) => <span className={r.overdue ? 'late' : ''}>{time(r.deadline)}</span> },
    {
      key: 'status',
      label: 'ledger.col.status',
      sort: 'status',
      cell: (r) => (
        <span className="status-cell">
          <span className="dot" style={{ background: STATUS_COLORS[r.overdue ? 'overdue' : r.status] }} aria-hidden="true" />
          {t(`status.${r.status}`)}
          {r.overdue && <strong className="late"> · {t('status.overdue')}</strong>}
        </span>
      ),
    },
    { key: 'rectifiedAt', label: 'ledger.col.rectifiedAt', sort: 'rectifiedAt', cell: (r) => time(r.rectifiedAt) },
    { key: 'lookBack', label: 'ledger.col.lookBack', cell: (r) => (r.lookBack ? t(`ledger.lookBack.${r.lookBack}`) : '') },
    { key: 'recurrence', label: 'ledger.col.recurrence', cell: (r) => (r.recurrence ? <strong className="late">{t('ledger.yes')}</strong> : t('ledger.no')) },
  ];

  const visible: number[] = [];
  for (let i = first; i <= last; i++) visible.push(i);

  return (
    <div
      className={`ledger-table${showDistrict ? ' with-district' : ''}`}
      role="table"
      aria-rowcount={total + 1}
      aria-label={t('nav.ledger')}
      data-testid="ledger-table"
    >
      <div className="ledger-row ledger-head" role="row" aria-rowindex={1} ref={head}>
        {columns.map((c) => (
          <div
            key={c.key}
            role="columnheader"
            className={`ledger-cell col-${c.key}`}
            aria-sort={c.sort && sort.key === c.sort ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined}
          >
            {c.sort ? (
              <button type="button" className="sort" onClick={() => onSort(c.sort!)} data-testid={`sort-${c.key}`}>
                {t(c.label)}
                <span aria-hidden="true">{sort.key === c.sort ? (sort.order === 'asc' ? ' ▲' : ' ▼') : ''}</span>
              </button>
            ) : (
              t(c.label)
            )}
          </div>
        ))}
      </div>
      <div
        className="ledger-scroll"
        ref={scroller}
        onScroll={(e) => {
          setScrollTop(e.currentTarget.scrollTop);
          // The header is outside the scroller (it stays on top): it follows a sideways scroll (a phone, many columns) by hand.
          if (head.current) head.current.style.transform = `translateX(${-e.currentTarget.scrollLeft}px)`;
        }}
        data-testid="ledger-scroll"
      >
        <div className="ledger-spacer" style={{ height: total * ROW_H }}>
          {visible.map((i) => {
            const r = rows.row(i);
            return (
              <div
                key={i}
                role="row"
                aria-rowindex={i + 2}
                className={`ledger-row${r && r.id === selectedId ? ' selected' : ''}${r ? '' : ' loading'}`}
                style={{ transform: `translateY(${i * ROW_H}px)` }}
                onClick={() => r && onSelect(r.id)}
                onKeyDown={(e) => {
                  if (r && (e.key === 'Enter' || e.key === ' ')) {
                    e.preventDefault();
                    onSelect(r.id);
                  }
                }}
                tabIndex={r ? 0 : -1}
                data-testid={r ? `ledger-row-${r.id}` : undefined}
              >
                {columns.map((c) => (
                  <div key={c.key} role="cell" className={`ledger-cell col-${c.key}`}>
                    {r ? c.cell(r) : i === first ? '…' : ''}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
