/**
 * The 暗访片 (evidence reel, `/screen/reel`): the problems of a period, place or unit with their photos
 * and clips, one after the other, full screen, for the leaders' meeting on the wall or a projector.
 * A title card first (what it covers, how many, how many photos nobody has checked and blurred yet, the
 * 只放已审核的 switch), then one slide per problem in report order (ReelStage.tsx), then an end card.
 * It waits on the title card: the presenter starts it when the room is ready (Space, or the button).
 * Space plays and pauses, ← → (and a clicker's PageUp / PageDown) step, F goes full screen, Esc goes
 * back to the big screen; the controls fade while the mouse is still. The URL is the reel
 * (reel-url.ts), so a link from the screen or the ledger plays the same problems.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { withScreenToken } from '../../api/client';
import { getReel, type Reel } from '../../api/reel';
import type { Meta } from '../../api/types';
import { describeError } from '../../app/describe-error';
import type { PageProps } from '../../app/pages';
import { useI18n } from '../../app/use-i18n';
import { useRequest } from '../../app/use-request';
import { formatCount, formatDuration } from '../../lib/format';
import { periodLabel } from '../screen/tour';
import { progressOf } from './reel-player';
import { frameTiming, reelTally } from './reel-slides';
import { readReelParams, screenHref, withLang, withPeriod, withReviewed, type ReelParams } from './reel-url';
import { ReelStage } from './ReelStage';
import { usePointerActive, useReelPlayer } from './use-reel-player';
import './reel.css';

/** The controls fade after this long without a mouse move or a key. */
const IDLE_MS = 2_500;
/** The empty state offers this longer period when the reel's is shorter. */
const WIDER_PERIOD = '30d';

/** The `/screen/reel` page. */
export function ReelPage({ meta, lang }: PageProps) {
  const { t } = useI18n();
  const [search, setSearch] = useState(() => window.location.search);
  const [now] = useState(() => Date.now());
  const params = useMemo(() => readReelParams(search, meta, now), [search, meta, now]);
  const reel = useRequest((signal) => getReel(params.query, signal), [params.query]);

  const setReviewed = useCallback(
    (on: boolean) => {
      const next = withReviewed(search, on);
      // The switch is part of the reel: a reload or a copied link plays the same.
      window.history.replaceState(null, '', `${window.location.pathname}${next}`);
      setSearch(next);
    },
    [search],
  );

  const cityName = lang === 'zh' ? meta.city.name : meta.city.nameEn || meta.city.name;
  // The server words the scope in Chinese; in English the page says it from the same parameters.
  const scope = lang === 'zh' && reel.data ? reel.data.scope : `${params.placeNames.join(', ') || cityName} · ${periodLabel(params.period)[lang]}`;
  const back = screenHref(search);
  useBackKey(back);

  let body: React.ReactNode;
  if (reel.data && !reel.loading && reel.data.slides.length > 0) {
    body = <ReelShow key={search} reel={reel.data} params={params} meta={meta} scope={scope} search={search} onReviewed={setReviewed} />;
  } else if (reel.data && !reel.loading) {
    body = <EmptyCard reel={reel.data} params={params} scope={scope} search={search} onReviewed={setReviewed} />;
  } else if (reel.error) {
    body = (
      <section className="reel-card" role="alert" data-testid="reel-error">
        <div className="reel-kicker">{t('reel.title')}</div>
        <h1 className="reel-scope">{t('reel.error')}</h1>
        <p className="reel-line">{describeError(reel.error, t)}</p>
        <div className="reel-actions">
          <button type="button" className="reel-button reel-button-main" onClick={reel.retry}>
            {t('error.retry')}
          </button>
          <a className="reel-button" href={back}>
            {t('reel.back')}
          </a>
        </div>
      </section>
    );
  } else {
    body = (
      <div className="reel-loading" role="status" data-testid="reel-loading">
        <span className="reel-spinner" aria-hidden="true" />
        {t('reel.loading')}
      </div>
    );
  }

  return (
    <div className="reel" data-testid="reel">
      {body}
      {params.problems.length > 0 && (
        // For whoever made the link: what was ignored, and what the reel shows instead.
        <div className="reel-url-note" role="note" data-testid="reel-url-note">
          {params.problems.map((p) => p.split(' / ')[lang === 'zh' ? 0 : 1] ?? p).join('；')}
        </div>
      )}
    </div>
  );
}

interface ShowProps {
  reel: Reel;
  params: ReelParams;
  meta: Meta;
  scope: string;
  search: string;
  onReviewed: (on: boolean) => void;
}

/** The reel itself: cards, stage, controls and the progress bar. */
function ReelShow({ reel, params, meta, scope, search, onReviewed }: ShowProps) {
  const { t, lang } = useI18n();
  const { slides } = reel;
  const n = slides.length;
  const player = useReelPlayer(slides, params.slideS);
  const { state, dispatch } = player;
  const active = usePointerActive(IDLE_MS);
  const back = screenHref(search);
  const onSlide = state.pos >= 1 && state.pos <= n;
  // Under a card the stage holds the slide next to it, so the map has flown there already.
  const stageIndex = Math.min(Math.max(state.pos - 1, 0), n - 1);

  useReelKeys(dispatch);
  usePreload(slides, state.pos);

  const totalMs = useMemo(
    () => player.frames.reduce((sum, frames) => sum + frames.reduce((s, f) => s + frameTiming(f, params.slideS).expectedMs, 0), 0),
    [player.frames, params.slideS],
  );
  const progress = progressOf(state, player.frameCounts);

  return (
    <div
      className={`reel-show${active ? '' : ' reel-idle'}`}
      data-testid="reel-show"
      data-pos={state.pos}
      data-playing={state.playing ? 'true' : 'false'}
      data-total={n}
    >
      <ReelStage
        meta={meta}
        slide={slides[stageIndex]}
        index={stageIndex}
        total={n}
        frame={player.frames[stageIndex][onSlide ? state.frame : 0]}
        frameIndex={onSlide ? state.frame : 0}
        frameCount={player.frameCounts[stageIndex]}
        shown={onSlide}
        playing={state.playing}
        onClipEnded={player.clipEnded}
      />
      {state.pos === 0 && (
        <section className="reel-card reel-title-card" data-testid="reel-title">
          <div className="reel-kicker">{t('reel.title')}</div>
          <h1 className="reel-scope" data-testid="reel-scope">
            {scope}
          </h1>
          <p className="reel-line reel-line-big" data-testid="reel-count">
            {t('reel.count', { n: formatCount(n, lang), duration: formatDuration(totalMs / 1000, lang) })}
          </p>
          <p className="reel-line reel-muted">
            {t('reel.matched', { matched: formatCount(reel.matched, lang), withMedia: formatCount(reel.withMedia, lang) })}
          </p>
          <ReviewNote reel={reel} reviewed={params.reviewed} onReviewed={onReviewed} />
          <div className="reel-actions">
            <button type="button" className="reel-button reel-button-main" onClick={() => dispatch({ type: 'toggle' })} data-testid="reel-start" autoFocus>
              ▶ {t('reel.start')}
            </button>
          </div>
          <p className="reel-keys">{t('reel.keys')}</p>
        </section>
      )}
      {state.pos === n + 1 && <EndCard reel={reel} scope={scope} back={back} onReplay={() => dispatch({ type: 'restart' })} />}
      {!state.playing && onSlide && (
        <div className="reel-paused" aria-hidden="true">
          ❚❚ {t('reel.paused')}
        </div>
      )}
      <div className="reel-controls" data-testid="reel-controls">
        <button type="button" className="reel-button" onClick={() => dispatch({ type: 'prev' })} disabled={state.pos === 0} data-testid="reel-prev">
          ‹ {t('reel.prev')}
        </button>
        <button type="button" className="reel-button reel-button-main" onClick={() => dispatch({ type: 'toggle' })} data-testid="reel-play">
          {state.playing ? `❚❚ ${t('reel.pause')}` : `▶ ${t('reel.play')}`}
        </button>
        <button type="button" className="reel-button" onClick={() => dispatch({ type: 'next' })} disabled={state.pos === n + 1} data-testid="reel-next">
          {t('reel.next')} ›
        </button>
        <span className="reel-counter" data-testid="reel-counter">
          {onSlide ? t('reel.counter', { n: state.pos, total: n }) : t('reel.counter', { n: '–', total: n })}
        </span>
        <span className="reel-controls-gap" />
        <a className="reel-button reel-button-quiet" href={withLang(search, lang === 'zh' ? 'en' : 'zh')} lang={lang === 'zh' ? 'en' : 'zh-CN'}>
          {t('reel.otherLang')}
        </a>
        <button type="button" className="reel-button reel-button-quiet" onClick={toggleFullscreen}>
          {t('reel.fullscreen')}
        </button>
        <a className="reel-button reel-button-quiet" href={back} data-testid="reel-back">
          {t('reel.back')}
        </a>
      </div>
      <div className="reel-progress" aria-hidden="true">
        <div className="reel-progress-done" style={{ width: `${progress.done * 100}%` }} />
        {onSlide && (
          <div className="reel-progress-now" style={{ left: `${progress.done * 100}%`, width: `${progress.current * 100}%` }}>
            <div
              key={player.clockKey}
              className="reel-progress-fill"
              style={{ animationDuration: `${player.timing?.expectedMs ?? 0}ms`, animationPlayState: state.playing ? 'running' : 'paused' }}
            />
          </div>
        )}
      </div>
    </div>
  );
}

/** How many photos nobody has checked, and the switch that leaves them out. */
function ReviewNote({ reel, reviewed, onReviewed }: { reel: Reel; reviewed: boolean; onReviewed: (on: boolean) => void }) {
  const { t, lang } = useI18n();
  return (
    <div className="reel-review">
      {reel.unreviewed > 0 && (
        <p className="reel-line reel-warn" data-testid="reel-unreviewed">
          {t('reel.unreviewed', { n: formatCount(reel.unreviewed, lang) })}
        </p>
      )}
      {reviewed && reel.excluded > 0 && (
        <p className="reel-line reel-muted" data-testid="reel-excluded">
          {t('reel.excluded', { n: formatCount(reel.excluded, lang) })}
        </p>
      )}
      <label className="reel-switch">
        <input type="checkbox" role="switch" checked={reviewed} onChange={(e) => onReviewed(e.target.checked)} data-testid="reel-reviewed" />
        <span className="reel-switch-track" aria-hidden="true" />
        {t('reel.reviewedOnly')}
      </label>
    </div>
  );
}

function EndCard({ reel, scope, back, onReplay }: { reel: Reel; scope: string; back: string; onReplay: () => void }) {
  const { t, lang } = useI18n();
  const tally = reelTally(reel.slides);
  return (
    <section className="reel-card reel-end-card" data-testid="reel-end">
      <div className="reel-kicker">{t('reel.end')}</div>
      <h1 className="reel-scope">{scope}</h1>
      <p className="reel-line reel-line-big" data-testid="reel-end-count">
        {t('reel.endCount', { n: formatCount(reel.slides.length, lang) })}
      </p>
      <p className="reel-line">
        {t('reel.endTally', { rectified: tally.rectified, open: tally.open })}
        {tally.overdue > 0 && <span className="reel-bad"> {t('reel.endOverdue', { n: tally.overdue })}</span>}
      </p>
      <div className="reel-actions">
        <button type="button" className="reel-button reel-button-main" onClick={onReplay} data-testid="reel-replay" autoFocus>
          ↻ {t('reel.replay')}
        </button>
        <a className="reel-button" href={back}>
          {t('reel.back')}
        </a>
      </div>
    </section>
  );
}

/** "该时段没有带照片或视频的问题", why, and what to try instead. */
function EmptyCard({
  reel,
  params,
  scope,
  search,
  onReviewed,
}: {
  reel: Reel;
  params: ReelParams;
  scope: string;
  search: string;
  onReviewed: (on: boolean) => void;
}) {
  const { t, lang } = useI18n();
  return (
    <section className="reel-card" data-testid="reel-empty">
      <div className="reel-kicker">{t('reel.title')}</div>
      <h1 className="reel-scope">{scope}</h1>
      <p className="reel-line reel-line-big">{t('reel.empty')}</p>
      <p className="reel-line">{reel.matched > 0 ? t('reel.emptyMatched', { n: formatCount(reel.matched, lang) }) : t('reel.emptyNone')}</p>
      {params.reviewed && <p className="reel-line reel-warn">{t('reel.emptyReviewed')}</p>}
      {params.reviewed && <ReviewNote reel={reel} reviewed={params.reviewed} onReviewed={onReviewed} />}
      <p className="reel-line reel-muted">{t('reel.emptyHint')}</p>
      <div className="reel-actions">
        {params.period.days < 30 && (
          <a className="reel-button reel-button-main" href={withPeriod(search, WIDER_PERIOD)} data-testid="reel-wider">
            {t('reel.wider')}
          </a>
        )}
        <a className="reel-button" href={screenHref(search)}>
          {t('reel.back')}
        </a>
      </div>
    </section>
  );
}

/**
 * The presenter's keys. A focused button would also take Space as a click (on key-up), which is
 * swallowed; the switch on the title card keeps Space for itself.
 */
function useReelKeys(dispatch: (a: { type: 'next' | 'prev' | 'toggle' }) => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.target instanceof HTMLInputElement) return;
      switch (e.key) {
        case ' ':
          if (e.repeat) break;
          dispatch({ type: 'toggle' });
          break;
        case 'ArrowRight':
        case 'PageDown':
          dispatch({ type: 'next' });
          break;
        case 'ArrowLeft':
        case 'PageUp':
          dispatch({ type: 'prev' });
          break;
        case 'f':
        case 'F':
          toggleFullscreen();
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    const onKeyUp = (e: KeyboardEvent) => {
      if (e.key === ' ' && e.target instanceof HTMLButtonElement) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('keyup', onKeyUp);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('keyup', onKeyUp);
    };
  }, [dispatch]);
}

/** Esc goes back to the big screen, from the reel and from its empty and error states alike. */
function useBackKey(back: string): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // In full screen the browser takes Esc to leave it; the next one goes back.
      if (e.key !== 'Escape' || e.altKey || e.ctrlKey || e.metaKey) return;
      e.preventDefault();
      window.location.assign(back);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [back]);
}

function toggleFullscreen(): void {
  const go = document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen();
  go.catch((err: unknown) => {
    // Refused (a browser policy, an iframe without allowfullscreen): F11 still works.
    if (err instanceof TypeError || err instanceof DOMException) console.warn(`reel: full screen refused: ${err.message}`);
    else throw err;
  });
}

/** The next slide's photos and posters, fetched while the current one is up, so no slide opens blank. */
function usePreload(slides: readonly Reel['slides'][number][], pos: number): void {
  useEffect(() => {
    const next = slides[pos];
    if (!next) return;
    const images = [...next.before, ...next.after].flatMap((m) => (m.kind === 'photo' ? [m.src] : m.posterUrl ? [m.posterUrl] : []));
    // Not cancelled on the next step: the slide's own <img> then takes the same request from the cache.
    for (const src of images) new Image().src = withScreenToken(src);
  }, [slides, pos]);
}
