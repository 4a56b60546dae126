/**
 * The latest reports as a ticker: a fixed number of rows (the server sends at most 12, so nothing grows
 * over a night), scrolling slowly upwards in a loop when they do not fit the panel — a CSS animation of
 * two copies of the list, paused under prefers-reduced-motion — and still when they fit.
 */
import { useEffect, useRef, useState } from 'react';
import type { ScreenSummary } from '../../../../server/contract/screen';
import { withScreenToken } from '../../api/client';
import { useI18n } from '../../app/use-i18n';
import { formatDay, formatWhen } from './screen-time';

/** Seconds each row takes to scroll past: slow enough to read a row from across the room. */
const SECONDS_PER_ROW = 4;
/** A row's height in design pixels (screen.css `.screen-latest li`): the ticker steps one of them at a time. */
const ROW_U = 42;

type Report = ScreenSummary['latest'][number];

/** The ticker of `summary.latest`; rows in `freshIds` flash (they just arrived). */
export function LatestTicker({ summary, freshIds }: { summary: ScreenSummary; freshIds: ReadonlySet<string> }) {
  const { t } = useI18n();
  if (!summary.latest.length) return <div className="screen-muted">{t('screen.none')}</div>;
  return <Ticker summary={summary} freshIds={freshIds} />;
}

function Ticker({ summary, freshIds }: { summary: ScreenSummary; freshIds: ReadonlySet<string> }) {
  const { lang } = useI18n();
  const viewport = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLOListElement>(null);
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const check = () => setOverflows(list.current!.offsetHeight > viewport.current!.clientHeight + 1);
    const observer = new ResizeObserver(check);
    observer.observe(viewport.current!);
    observer.observe(list.current!);
    return () => observer.disconnect();
  }, []);

  const categories = new Map(summary.categories.map((c) => [c.id, c]));
  const today = formatDay(Date.parse(summary.now));
  const rows = (copy: boolean) =>
    summary.latest.map((p) => (
      <Row key={p.id} report={p} copy={copy} fresh={freshIds.has(p.id)} today={today} category={categories.get(p.category)} lang={lang} />
    ));
  return (
    <div className="screen-ticker" ref={viewport}>
      <div
        className={`screen-ticker-track${overflows ? ' screen-ticker-scrolling' : ''}`}
        data-testid="screen-ticker"
        style={{ '--ticker-s': `${summary.latest.length * SECONDS_PER_ROW}s`, '--ticker-steps': summary.latest.length * ROW_U } as React.CSSProperties}
      >
        <ol className="screen-latest" data-testid="screen-latest" ref={list}>
          {rows(false)}
        </ol>
        {/* The second copy makes the loop seamless; screen readers and tests read the first only. */}
        {overflows && (
          <ol className="screen-latest" aria-hidden="true">
            {rows(true)}
          </ol>
        )}
      </div>
    </div>
  );
}

function Row({
  report: p,
  copy,
  fresh,
  today,
  category,
  lang,
}: {
  report: Report;
  copy: boolean;
  fresh: boolean;
  today: string;
  category: ScreenSummary['categories'][number] | undefined;
  lang: 'zh' | 'en';
}) {
  return (
    <li className={fresh ? 'screen-fresh' : undefined} data-id={copy ? undefined : p.id}>
      {/* Without a photo (imported problems) the thumbnail is the category's colour, as in the bars. */}
      <span className="screen-latest-thumb" style={{ background: category?.color }}>
        {p.thumbUrl && <img src={withScreenToken(p.thumbUrl)} alt="" />}
      </span>
      <span className="screen-latest-time">{formatWhen(Date.parse(p.reportedAt), today)}</span>
      <span className="screen-latest-cat">{category ? (lang === 'zh' ? category.zh : category.en) : p.category}</span>
      <span className="screen-latest-where">{p.subdistrictName ?? ''}</span>
      <span className="screen-latest-desc" title={p.description}>
        {p.description}
      </span>
    </li>
  );
}
