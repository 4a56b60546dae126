/**
 * The one place the big screen's charts get ECharts from: `echarts/core` with only the two chart types,
 * the two components and the SVG renderer it uses (tree-shaken: 513 KB, 173 KB gzip, against 1.1 MB and
 * 369 KB gzip for the full build), so the library lives in the screen page's lazy chunk and nowhere else.
 * SVG rather than canvas: text and lines stay crisp when a 4K wall or a screenshot scales them, and a
 * dozen bars are a few dozen nodes.
 */
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, MarkAreaComponent, type GridComponentOption, type MarkAreaComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { ComposeOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// Registered through the namespace: a bare `use(...)` reads to the hooks linter as React's `use`.
echarts.use([BarChart, LineChart, GridComponent, MarkAreaComponent, SVGRenderer]);

/** The options the screen's charts may use (typed against the registered parts only). */
export type ScreenChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | MarkAreaComponentOption>;

export const init = echarts.init;
