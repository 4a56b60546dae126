/**
 * The screen's charts, drawn by ECharts (echarts.ts) as SVG. Every size is in the screen's design unit
 * (`u`, one pixel of the 1920×1080 design, as `--u` in screen.css), so a chart looks the same at 1080p,
 * 4K and on a 32:9 wall. A chart is created once, resized when its box changes, updated with setOption
 * on every refresh (no re-init, so nothing flickers) and disposed when the page goes.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ScreenSummary } from '../../../../server/contract/screen';
import { useI18n } from '../../app/use-i18n';
import { init, type ScreenChartOption } from './echarts';

/** Categories shown by name; the rest are summed into one bar (a wall is read, not scrolled). */
const SHOWN_CATEGORIES = 7;
const OTHERS_COLOR = '#6b7a90';
const TEXT = '#e8eef8';
const MUTED = '#8fa3c2';
const TRACK = '#16294a';
const LINE = '#3b8bff';
const SO_FAR = '#ffb020';
const GRID_LINE = '#21365a';
/**
 * Short transitions on data changes; nothing loops (a wall runs all night). No entry animation: its
 * frames would compete with the map's first draw, and a wall is opened once and then watched.
 */
const ANIMATION = { animationDuration: 0, animationDurationUpdate: 300, animationEasing: 'cubicOut' } as const;

/** One pixel of the 1920×1080 design in CSS pixels (the same rule as `--u` in screen.css). */
export function designUnit(): number {
  return Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
}

/** The design unit, updated when the viewport changes. */
export function useDesignUnit(): number {
  const [u, setU] = useState(designUnit);
  useEffect(() => {
    const update = () => setU(designUnit());
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, []);
  return u;
}

/**
 * An ECharts instance on the returned element's ref: created on mount, resized with its box,
 * `option` applied with setOption whenever it changes, disposed on unmount.
 */
function useEChart(option: ScreenChartOption) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof init> | null>(null);
  useEffect(() => {
    const el = ref.current!;
    const c = init(el, null, { renderer: 'svg' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    // lazyUpdate: drawn in the next frame, so the new figures (ticker, tiles) paint first.
    chart.current?.setOption(option, { lazyUpdate: true });
  }, [option]);
  return ref;
}

/** Horizontal bars of the categories in their colours, most first, with a final "others" bar. */
export function CategoryBars({ categories }: { categories: ScreenSummary['categories'] }) {
  const { lang, t } = useI18n();
  const u = useDesignUnit();
  const option = useMemo<ScreenChartOption>(() => {
    const shown = categories.slice(0, SHOWN_CATEGORIES);
    const rest = categories.slice(SHOWN_CATEGORIES);
    const rows = [
      ...shown.map((c) => ({ label: lang === 'zh' ? c.zh : c.en, count: c.count, color: c.color })),
      ...(rest.length ? [{ label: t('screen.others', { n: rest.length }), count: rest.reduce((s, c) => s + c.count, 0), color: OTHERS_COLOR }] : []),
    ];
    return {
      ...ANIMATION,
      grid: { left: 0, right: 64 * u, top: 2 * u, bottom: 2 * u, containLabel: true },
      xAxis: { type: 'value', show: false, max: (v: { max: number }) => Math.max(1, v.max) },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((r) => r.label),
        axisLine: { show: false },
        axisTick: { show: false },
        axisLabel: { color: TEXT, fontSize: 22 * u, width: 170 * u, overflow: 'truncate', margin: 12 * u },
      },
      series: [
        {
          type: 'bar',
          id: 'categories',
          data: rows.map((r) => ({ value: r.count, itemStyle: { color: r.color } })),
          barWidth: '58%',
          showBackground: true,
          backgroundStyle: { color: TRACK, borderRadius: 3 * u },
          itemStyle: { borderRadius: 3 * u },
          label: { show: true, position: 'right', color: TEXT, fontSize: 22 * u, fontWeight: 'bold', distance: 10 * u },
        },
      ],
    };
  }, [categories, lang, t, u]);
  const ref = useEChart(option);
  const total = categories.reduce((s, c) => s + c.count, 0);
  return <div ref={ref} className="screen-chart" data-testid="chart-categories" role="img" aria-label={t('screen.categoriesAria', { n: total })} />;
}

/**
 * Weekly counts over 12 weeks as a line with an area under it; the current week is drawn apart — a
 * dashed last segment to a gold point, shaded and labelled "so far" — since a partial week would
 * otherwise read as a sudden fall.
 */
export function TrendChart({ trend }: { trend: ScreenSummary['trend'] }) {
  const { t } = useI18n();
  const u = useDesignUnit();
  const option = useMemo<ScreenChartOption>(() => {
    const n = trend.length;
    const last = n - 1;
    const dates = trend.map((w) => w.weekStart.slice(5).replace('-', '/'));
    const full = trend.map((w, i) => (i < last ? w.count : null));
    const partial = trend.map((w, i) => (i >= last - 1 ? w.count : null));
    const axisFont = { color: MUTED, fontSize: 20 * u };
    return {
      ...ANIMATION,
      grid: { left: 4 * u, right: 24 * u, top: 40 * u, bottom: 4 * u, containLabel: true },
      xAxis: {
        type: 'category',
        data: dates,
        boundaryGap: false,
        axisLine: { lineStyle: { color: GRID_LINE, width: u } },
        axisTick: { show: false },
        // Every other date: twelve five-character dates do not fit side by side in the column.
        axisLabel: { ...axisFont, interval: 1, margin: 10 * u },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        splitNumber: 3,
        axisLabel: axisFont,
        splitLine: { lineStyle: { color: GRID_LINE, width: u, type: 'dashed' } },
      },
      series: [
        {
          type: 'line',
          id: 'weeks',
          data: full,
          symbol: 'circle',
          symbolSize: 8 * u,
          lineStyle: { color: LINE, width: 3 * u },
          itemStyle: { color: LINE },
          areaStyle: { color: 'rgba(59, 139, 255, 0.22)' },
          // The current week's span, shaded: the eye reads the dashed segment as unfinished.
          // Its label sits at the top right, where the axis's rounded-up maximum leaves a free band.
          markArea: {
            silent: true,
            itemStyle: { color: 'rgba(255, 176, 32, 0.22)', opacity: 1 },
            label: { show: true, position: 'insideTopRight', color: SO_FAR, fontSize: 22 * u, fontWeight: 'bold', distance: 4 * u },
            data: n > 1 ? [[{ xAxis: dates[last - 1], name: t('screen.trendSoFar', { n: trend[last].count }) }, { xAxis: dates[last] }]] : [],
          },
        },
        {
          type: 'line',
          id: 'this-week',
          data: partial,
          symbol: (_: unknown, p: { dataIndex: number }) => (p.dataIndex === last ? 'circle' : 'none'),
          symbolSize: 14 * u,
          lineStyle: { color: SO_FAR, width: 3 * u, type: 'dashed' },
          itemStyle: { color: SO_FAR },
        },
      ],
    };
  }, [trend, t, u]);
  const ref = useEChart(option);
  const current = trend[trend.length - 1]?.count ?? 0;
  return <div ref={ref} className="screen-chart" data-testid="chart-trend" role="img" aria-label={t('screen.trendAria', { n: current })} />;
}
