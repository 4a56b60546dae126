/** The time bar under the hotspot map: play, the window's dates and count, two week sliders, the weekly bars. */
import type { HotspotCellHistory } from '../../../../server/contract/hotspots';
import { useI18n } from '../../app/use-i18n';
import { formatCount } from '../../lib/format';
import type { ProblemPoints } from '../../map/deck/points-bin';
import { datesOfWindow, type WeekWindow } from './time-window';
import { Timeline } from './Timeline';
import type { HotspotWindow } from './use-hotspots';

export interface HotspotTimeBarProps {
  points: ProblemPoints | null;
  window: HotspotWindow;
  windowCount: number | null;
  weekly: Uint32Array | null;
  /** True while a cell is selected: the bars are its weeks (`history`, once loaded) instead of the city's. */
  cellSelected: boolean;
  history: HotspotCellHistory | null;
}

/** See the module comment. */
export function HotspotTimeBar({ points, window: w, windowCount, weekly, cellSelected, history: loaded }: HotspotTimeBarProps) {
  const history = cellSelected ? loaded : null;
  const { t, lang } = useI18n();
  const weeks = points?.weeks ?? 0;
  const [a, b] = w.win;
  const dates = points ? datesOfWindow(points, w.win) : null;
  const label = dates ? t('hot.window', { from: dates.from, to: dates.to, n: b - a + 1 }) : '';
  const slider = (name: 'from' | 'to', value: number, next: (v: number) => WeekWindow) => (
    <label>
      <span>{t(name === 'from' ? 'hot.from' : 'hot.to')}</span>
      <input
        type="range"
        min={0}
        max={Math.max(0, weeks - 1)}
        value={value}
        disabled={!points}
        onChange={(e) => w.setWindow(next(Number(e.target.value)))}
        data-testid={`hot-${name}`}
      />
    </label>
  );
  return (
    <div className="hot-timebar" data-testid="hot-timebar">
      <div className="hot-timebar-row">
        <button type="button" onClick={() => w.setPlaying(!w.playing)} disabled={!points || weeks < 2} data-testid="hot-play">
          {w.playing ? t('hot.pause') : t('hot.play')}
        </button>
        <span className="hot-window" data-testid="hot-window">
          {label}
        </span>
        {windowCount !== null && <span className="muted">{t('hot.windowCount', { n: formatCount(windowCount, lang) })}</span>}
      </div>
      <div className="hot-sliders">
        {slider('from', a, (v) => [Math.min(v, b), b])}
        {slider('to', b, (v) => [a, Math.max(v, a)])}
      </div>
      {weekly && (
        <Timeline
          counts={history ? history.weeks.map((x) => x.count) : weekly}
          states={history ? history.weeks.map((x) => (x.state === 'hot' ? 1 : x.state === 'cold' ? -1 : 0)) : null}
          window={history ? [0, history.weeks.length - 1] : w.win}
          label={cellSelected ? t('hot.timelineCell') : t('hot.timeline')}
        />
      )}
      <div className="hot-timeline-caption muted">{cellSelected ? t('hot.timelineCell') : t('hot.timeline')}</div>
    </div>
  );
}
