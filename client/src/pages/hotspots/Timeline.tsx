/**
 * A small SVG bar chart of problems per week: the selected window is highlighted; for a selected cell,
 * weeks that were significantly hot or cold are marked under the bars.
 */
export interface TimelineProps {
  counts: ArrayLike<number>;
  /** Per week: 1 hot, −1 cold, 0 neither (only for a selected cell). */
  states?: ArrayLike<number> | null;
  window: [number, number];
  label: string;
}

const W = 600;
const H = 90;
const MARK_H = 6;

/** Weekly bars with the window shaded. */
export function Timeline({ counts, states, window, label }: TimelineProps) {
  const n = counts.length;
  let max = 1;
  for (let i = 0; i < n; i++) max = Math.max(max, counts[i]);
  const bw = n > 0 ? W / n : W;
  const plotH = H - MARK_H - 2;
  return (
    <svg className="hot-timeline" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={label} data-testid="hot-timeline">
      <title>{label}</title>
      <rect x={window[0] * bw} y={0} width={(window[1] - window[0] + 1) * bw} height={H} className="hot-timeline-window" />
      {Array.from({ length: n }, (_, w) => {
        const h = (counts[w] / max) * plotH;
        const inside = w >= window[0] && w <= window[1];
        return <rect key={w} x={w * bw + bw * 0.1} y={plotH - h} width={bw * 0.8} height={h} className={inside ? 'hot-bar in' : 'hot-bar'} />;
      })}
      {states &&
        Array.from({ length: n }, (_, w) =>
          states[w] !== 0 ? (
            <rect key={`s${w}`} x={w * bw} y={H - MARK_H} width={bw} height={MARK_H} className={states[w] > 0 ? 'hot-mark-hot' : 'hot-mark-cold'} />
          ) : null,
        )}
    </svg>
  );
}
