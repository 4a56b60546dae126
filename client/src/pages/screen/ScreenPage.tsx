/**
 * The big screen (大屏, issue 7): a full-screen, self-running view for a meeting-room wall. One call
 * (GET /api/screen/summary) feeds every panel; the event stream triggers a refetch in place (the map keeps
 * its position) and a pulse on the map where a new problem was reported; a 30 s poll covers a stream that
 * is down (every 3 s while the server does not answer, reopening the stream once it does), and a "stale"
 * mark appears when the figures are older than a minute. `?district=` pins the
 * figures and the map to one district (区/县) or subdistrict, `?period=` the period of the categories, the
 * latest reports and the 红黑榜 (screen-url.ts), `?lang=` the language (the shell reads it). A city wall
 * of a city of several districts alternates the districts' and the subdistricts' 红黑榜 in one panel. The header counts down to the
 * assessment window the administrator set (系统管理 → 大屏令牌), which comes with the summary. The feed
 * itself (fetches, stream, poll, pulses) is use-screen-feed.ts; this file lays the panels out.
 */
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { ScreenSummary } from '../../../../server/contract/screen';
import type { PageProps } from '../../app/pages';
import { useI18n } from '../../app/use-i18n';
import { useNow } from '../../app/use-now';
import type { MessageKey } from '../../app/i18n';
import { reelHrefFromScreen } from '../reel/reel-url';
import { LatestTicker } from './LatestTicker';
import { readScreenParams, type ScreenPeriod } from './screen-url';
import { formatDate, formatTime } from './screen-time';
import { useScreenFeed } from './use-screen-feed';
import { useScreenAssessment, type ScreenAssessment } from './use-screen-assessment';
import './screen.css';
import { formatRate } from '../../lib/format';

/**
 * The map (MapLibre, deck.gl: about 1.5 MB of script) in a chunk of its own, so the page's first render
 * and its summary request do not wait for it to load and compile; both go on side by side.
 */
const ScreenMap = lazy(() => import('./ScreenMap').then((m) => ({ default: m.ScreenMap })));
/**
 * The charts (ECharts, about 500 KB) likewise: the summary is asked for before they have compiled. Their
 * chunk is asked for right after the summary (loadCharts in an effect), not when the summary renders them.
 */
let charts: Promise<typeof import('./charts')> | null = null;
const loadCharts = () => (charts ??= import('./charts'));
const CategoryBars = lazy(() => loadCharts().then((m) => ({ default: m.CategoryBars })));
const TrendChart = lazy(() => loadCharts().then((m) => ({ default: m.TrendChart })));

/** Figures older than this get the stale mark (the issue's "older than a minute"). */
const STALE_MS = 60_000;
/** How long each of the districts' and the subdistricts' 红黑榜 stays up: long enough to read ten rows. */
const RANK_TURN_MS = 15_000;

/** The `/screen` page. */
export function ScreenPage({ meta, lang }: PageProps) {
  const { t } = useI18n();
  // The URL is the saved screen; only the period is read again (on every refresh): `30d` moves on at midnight.
  // `?district=` is checked against meta first: one naming nothing shows the city (and says so), not a 404.
  const params = useMemo(() => readScreenParams(window.location.search, meta), [meta]);
  const district = params.district;
  const { period, summary, updatedAt, error, version, pulses, freshIds, teamEvents } = useScreenFeed(district?.id ?? null, params.period);
  const assessment = useScreenAssessment(district);
  // After the feed's effect (which sends the summary request): the charts load while it is answered.
  useEffect(() => void loadCharts(), []);

  const periodName = periodLabel(period, t);
  const cityName = lang === 'zh' ? meta.city.name : meta.city.nameEn || meta.city.name;
  // From meta, so the title is right before the first summary arrives.
  const title = district ? `${cityName} · ${district.name}` : cityName;

  return (
    <div className="screen" data-testid="screen">
      <header className="screen-header" data-box="header">
        <div className="screen-brand">
          <div className="screen-city">{title}</div>
          {summary?.assessment && <Countdown assessment={summary.assessment} />}
        </div>
        <h1 className="screen-title">{t('screen.title')}</h1>
        <Clock updatedAt={updatedAt} error={error}>
          {/* The 暗访片 of the same district and period, for the meeting; the wall comes back to this view. */}
          <a className="screen-reel-link" href={reelHrefFromScreen(window.location.search)} title={t('reel.screenLinkTitle')} data-testid="screen-reel-link">
            {t('reel.link')}
          </a>
        </Clock>
      </header>
      {params.problems.length > 0 && (
        // For whoever set the wall up: the bookmark has a typo, and the screen says what it shows instead.
        <div className="screen-url-note" role="note" data-testid="screen-url-note">
          {params.problems.map((p) => p.split(' / ')[lang === 'zh' ? 0 : 1] ?? p).join('；')}
        </div>
      )}
      {/* The map needs no figures: it starts with the page, so its chunk, style and tiles load while the
          summary is on its way instead of after it (the first paint waited for both in a row). */}
      <section className="screen-left">
        {summary ? (
          <>
            <Kpis summary={summary} assessment={assessment} />
            <Panel title={t('screen.categories', { period: periodName })} box="categories" grow>
              <Suspense fallback={null}>
                <CategoryBars categories={summary.categories} />
              </Suspense>
            </Panel>
          </>
        ) : (
          <div className="screen-loading" role="status">
            {error ?? t('screen.loading')}
          </div>
        )}
      </section>
      <section className="screen-centre">
        <div className="screen-map" data-box="map">
          <Suspense fallback={null}>
            <ScreenMap
              meta={meta}
              lang={lang}
              district={district}
              period={period}
              tour={params.tour}
              interval={params.interval}
              pulses={pulses}
              teamEvents={teamEvents}
              version={version}
            />
          </Suspense>
        </div>
        <Panel title={t('screen.latest', { period: periodName })} box="latest">
          {summary && <LatestTicker summary={summary} freshIds={freshIds} />}
        </Panel>
      </section>
      {summary && (
        <section className="screen-right">
          <AreaRanking rankings={summary.rankings} periodName={periodName} />
          <Panel title={t('screen.rank.units', { period: periodName })} box="rank-units">
            <RedBlack rows={summary.rankings.units} />
          </Panel>
          <Panel title={t('screen.trend')} box="trend" grow>
            <Suspense fallback={null}>
              <TrendChart trend={summary.trend} />
            </Suspense>
          </Panel>
        </section>
      )}
    </div>
  );
}

/**
 * Date, clock and the live/stale mark: the only part redrawn every second (the panels and the map
 * re-render only when data arrives).
 */
function Clock({ updatedAt, error, children }: { updatedAt: number | null; error: string | null; children?: React.ReactNode }) {
  const { lang, t } = useI18n();
  const now = useNow(1000);
  const stale = updatedAt !== null && now - updatedAt > STALE_MS;
  return (
    <div className="screen-clock">
      {children}
      <span className="screen-date">{formatDate(now, lang)}</span>
      <span className="screen-time" data-testid="screen-clock">
        {formatTime(now)}
      </span>
      {stale ? (
        <span className="screen-stale" data-testid="screen-stale" title={error ?? undefined}>
          {error ? t('screen.offline') : t('screen.stale', { min: Math.floor((now - updatedAt) / 60_000) })}
        </span>
      ) : (
        <span className="screen-live">{t('screen.live')}</span>
      )}
    </div>
  );
}

function Panel({
  title,
  box,
  grow,
  showing,
  children,
}: {
  title: React.ReactNode;
  box: string;
  grow?: boolean;
  /** What a panel that alternates its content shows now (`data-showing`). */
  showing?: string;
  children: React.ReactNode;
}) {
  return (
    <section className={`screen-panel${grow ? ' screen-panel-grow' : ''}`} data-box={box} data-showing={showing}>
      <h2 className="screen-panel-title">{title}</h2>
      <div className="screen-panel-body">{children}</div>
    </section>
  );
}

/**
 * The areas' 红黑榜: the subdistricts'; on the city wall of a city of several districts, the districts'
 * and the subdistricts' by turns in the same panel (a third panel would squeeze the trend chart below
 * legibility at the column's height), the districts' first, the title's two tabs saying which is up.
 */
function AreaRanking({ rankings, periodName }: { rankings: ScreenSummary['rankings']; periodName: string }) {
  const { t } = useI18n();
  const turn = useTurn(rankings.districts ? 2 : 1, RANK_TURN_MS);
  if (!rankings.districts) {
    return (
      <Panel title={t('screen.rank.subdistricts', { period: periodName })} box="rank-subdistricts" showing="subdistricts">
        <RedBlack rows={rankings.subdistricts} />
      </Panel>
    );
  }
  const showing = turn === 0 ? 'districts' : 'subdistricts';
  const tab = (which: typeof showing) => (
    <span className={`screen-panel-tab${which === showing ? ' screen-panel-tab-on' : ''}`} aria-current={which === showing ? 'true' : undefined}>
      {t(which === 'districts' ? 'screen.rank.tab.districts' : 'screen.rank.tab.subdistricts')}
    </span>
  );
  return (
    <Panel
      title={
        <>
          {tab('districts')}
          {tab('subdistricts')}
          {t('screen.rank.tabbed', { period: periodName })}
        </>
      }
      box="rank-subdistricts"
      showing={showing}
    >
      <RedBlack rows={showing === 'districts' ? rankings.districts : rankings.subdistricts} />
    </Panel>
  );
}

/** 0, 1, … n − 1, 0, … moving on every `ms` (always 0 when n is 1). */
function useTurn(n: number, ms: number): number {
  const [turn, setTurn] = useState(0);
  useEffect(() => {
    if (n < 2) return;
    const timer = setInterval(() => setTurn((i) => (i + 1) % n), ms);
    return () => clearInterval(timer);
  }, [n, ms]);
  return turn % n;
}

/** Below nine in ten a rate is what the assessors would mark down: red; above, green. */
const toneOf = (rate: number | null): 'bad' | 'good' | undefined => (rate === null ? undefined : rate < 0.9 ? 'bad' : 'good');

function Kpis({ summary, assessment: a }: { summary: ScreenSummary; assessment: ScreenAssessment | null }) {
  const { t } = useI18n();
  const k = summary.kpi;
  const delta = k.thisWeek - k.lastWeek;
  const tiles: { key: string; label: string; value: string; note: string; tone?: 'bad' | 'good' }[] = [
    {
      key: 'this-week',
      label: t('screen.kpi.thisWeek'),
      value: String(k.thisWeek),
      note: t('screen.kpi.vsLastWeek', { delta: `${delta > 0 ? '▲' : delta < 0 ? '▼' : '＝'}${Math.abs(delta)}` }),
      tone: delta > 0 ? 'bad' : 'good',
    },
    { key: 'open', label: t('screen.kpi.open'), value: String(k.open), note: t('screen.kpi.now') },
    { key: 'overdue', label: t('screen.kpi.overdue'), value: String(k.overdue), note: t('screen.kpi.now'), tone: k.overdue > 0 ? 'bad' : 'good' },
    { key: 'on-time', label: t('screen.kpi.onTime'), value: formatRate(k.onTimeRate), note: t('screen.kpi.last30') },
    { key: 'recurrence', label: t('screen.kpi.recurrence'), value: formatRate(k.recurrenceRate), note: t('screen.kpi.last30') },
    { key: 'look-backs', label: t('screen.kpi.lookBacks'), value: String(k.lookBacksDue), note: t('screen.kpi.now') },
    // What the assessors would find: the checks' 得分率 and the points 迎检达标, by the countdown's side.
    {
      key: 'score-rate',
      label: t('screen.kpi.scoreRate'),
      value: formatRate(a?.scoreRate ?? null),
      note: t('screen.kpi.last30'),
      tone: toneOf(a?.scoreRate ?? null),
    },
    {
      key: 'ready',
      label: t('screen.kpi.ready'),
      value: formatRate(a?.readyRate ?? null),
      note: a ? t('screen.kpi.readyOf', { ready: a.ready, total: a.total }) : t('screen.kpi.now'),
      tone: toneOf(a?.readyRate ?? null),
    },
  ];
  return (
    <div className="screen-kpis">
      {tiles.map((tile) => (
        <div key={tile.key} className="screen-kpi" data-box={`kpi-${tile.key}`} data-testid={`kpi-${tile.key}`}>
          <div className="screen-kpi-label">{tile.label}</div>
          <div className="screen-kpi-value">{tile.value}</div>
          <div className={`screen-kpi-note${tile.tone ? ` screen-${tile.tone}` : ''}`}>{tile.note}</div>
        </div>
      ))}
    </div>
  );
}

type RankRows = ScreenSummary['rankings']['subdistricts'];

/**
 * Red list and black list side by side; a table short enough to come whole in the red list (the
 * server's black list then is empty: three districts, a district's four subdistricts) as one list,
 * its first row marked red and its last black, rather than every row under 红榜.
 */
function RedBlack({ rows }: { rows: RankRows }) {
  const { t } = useI18n();
  const items = (list: RankRows['top'], marks: boolean) => (
    <ol>
      {list.map((r, i) => (
        <li
          key={r.id}
          className={marks && list.length > 1 ? (i === 0 ? 'screen-rank-first' : i === list.length - 1 ? 'screen-rank-last' : undefined) : undefined}
        >
          <span className="screen-rank-no">{r.rank}</span>
          <span className="screen-rank-name" title={r.name}>
            {r.name}
          </span>
          <span className="screen-rank-score">{t('screen.rank.score', { score: r.score })}</span>
          <span className={`screen-rank-move${r.move > 0 ? ' screen-up' : r.move < 0 ? ' screen-down' : ''}`} title={t('screen.rank.move')}>
            {r.move > 0 ? `▲${r.move}` : r.move < 0 ? `▼${-r.move}` : '–'}
          </span>
        </li>
      ))}
    </ol>
  );
  if (rows.bottom.length === 0 && rows.top.length > 0) {
    return (
      <div className="screen-redblack screen-redblack-whole" data-testid="screen-rank-whole">
        <div className="screen-rank screen-rank-all">
          <div className="screen-rank-head">{t('screen.rank.whole', { n: rows.top.length })}</div>
          {items(rows.top, true)}
        </div>
      </div>
    );
  }
  const list = (kind: 'red' | 'black') => {
    const shown = kind === 'red' ? rows.top : rows.bottom;
    return (
      <div className={`screen-rank screen-rank-${kind}`}>
        <div className="screen-rank-head">{t(kind === 'red' ? 'screen.rank.red' : 'screen.rank.black')}</div>
        {shown.length ? items(shown, false) : <div className="screen-muted">{t('screen.none')}</div>}
      </div>
    );
  };
  return (
    <div className="screen-redblack">
      {list('red')}
      {list('black')}
    </div>
  );
}

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The period as the panel titles say it: 近30天, 近12周, 本月, 10/01–11/25. */
function periodLabel(p: ScreenPeriod, t: T): string {
  const rel = /^(\d+)([dw])$/.exec(p.token);
  if (rel) return t(rel[2] === 'd' ? 'screen.period.days' : 'screen.period.weeks', { n: Number(rel[1]) });
  if (p.token === 'week' || p.token === 'month' || p.token === 'quarter' || p.token === 'year') return t(`screen.period.${p.token}`);
  const short = (d: string) =>
    d.slice(0, 4) === p.to.slice(0, 4) && d.slice(0, 4) === new Date().getFullYear().toString() ? d.slice(5).replace('-', '/') : d.replaceAll('-', '/');
  return t('screen.period.range', { from: short(p.from), to: short(p.to) });
}

/** "距2027年全国文明城市测评 还有 N 天" ahead of the window, "测评进行中 · 第 N 天" during it. */
function Countdown({ assessment: a }: { assessment: NonNullable<ScreenSummary['assessment']> }) {
  const { t } = useI18n();
  // One translatable sentence, split where the number goes so the number can stand out.
  const [before, after] = t(a.phase === 'ahead' ? 'screen.assessment.ahead' : 'screen.assessment.during', { name: a.name, days: '\u0000' }).split('\u0000');
  return (
    <div className="screen-countdown" data-testid="screen-countdown" data-phase={a.phase} data-days={a.days} title={`${a.name}：${a.start} – ${a.end}`}>
      {before}
      <strong>{a.days}</strong>
      {after}
    </div>
  );
}
