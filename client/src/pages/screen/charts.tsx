/**
 * The screen's charts, drawn as SVG by React. No chart library: ECharts would add about 1 MB to this
 * page's bundle for two simple charts, and SVG stays crisp at any size (a 4K wall scales the vectors,
 * not pixels). Sizes are in the viewBox; CSS sets the element size.
 */
import type { ScreenSummary } from '../../../../server/schemas/screen';
import { useI18n } from '../../app/use-i18n';

/** Categories shown by name; the rest are summed into one bar (a wall is read, not scrolled). */
const SHOWN_CATEGORIES = 7;

/** Horizontal bars of the categories, most first, with a final "others" bar. */
export function CategoryBars({ categories }: { categories: ScreenSummary['categories'] }) {
  const { lang, t } = useI18n();
  const shown = categories.slice(0, SHOWN_CATEGORIES);
  const rest = categories.slice(SHOWN_CATEGORIES);
  const rows = [
    ...shown.map((c) => ({ key: c.id, label: lang === 'zh' ? c.zh : c.en, count: c.count, color: c.color })),
    ...(rest.length ? [{ key: 'others', label: t('screen.others', { n: rest.length }), count: rest.reduce((s, c) => s + c.count, 0), color: '#6b7a90' }] : []),
  ];
  const max = Math.max(1, ...rows.map((r) => r.count));
  return (
    <ol className="screen-bars">
      {rows.map((r) => (
        <li key={r.key} className="screen-bar">
          <span className="screen-bar-label" title={r.label}>{r.label}</span>
          <svg className="screen-bar-track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
            <rect x="0" y="1" width={(100 * r.count) / max} height="8" rx="1" fill={r.color} />
          </svg>
          <span className="screen-bar-value">{r.count}</span>
        </li>
      ))}
    </ol>
  );
}

const W = 480;
const H = 200;
const PAD = { top: 28, right: 12, bottom: 30, left: 12 };

/** Weekly counts as columns, the current (partial) week highlighted, with week dates underneath. */
export function TrendChart({ trend }: { trend: ScreenSummary['trend'] }) {
  const { t } = useI18n();
  const max = Math.max(1, ...trend.map((w) => w.count));
  const slot = (W - PAD.left - PAD.right) / Math.max(1, trend.length);
  const barW = slot * 0.62;
  const plotH = H - PAD.top - PAD.bottom;
  const last = trend[trend.length - 1];
  return (
    <svg className="screen-trend" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('screen.trendAria', { n: last?.count ?? 0 })}>
      <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} stroke="#3a4a66" strokeWidth="1" />
      {trend.map((w, i) => {
        const h = (plotH * w.count) / max;
        const x = PAD.left + i * slot + (slot - barW) / 2;
        const y = H - PAD.bottom - h;
        const current = i === trend.length - 1;
        return (
          <g key={w.weekStart}>
            <rect x={x} y={y} width={barW} height={h} rx="2" fill={current ? '#ffb020' : '#3b8bff'} />
            {/* Every other value and date: twelve labels of four digits do not fit side by side. */}
            {(i % 2 === 1 || current) && (
              <>
                <text x={x + barW / 2} y={y - 6} textAnchor="middle" className="screen-trend-value">{w.count}</text>
                <text x={x + barW / 2} y={H - 8} textAnchor="middle" className="screen-trend-date">{w.weekStart.slice(5).replace('-', '/')}</text>
              </>
            )}
          </g>
        );
      })}
    </svg>
  );
}
