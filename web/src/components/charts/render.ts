// The chart drawing with Observable Plot. Loaded lazily (dynamic import) by SeriesChart so that
// the first load of the application stays small.
import * as Plot from '@observablehq/plot';
import type { ChartSeries } from './types';

interface Row {
  series: string;
  period: string;
  value: number | null;
  low: number | null;
  high: number | null;
}

export function renderChart(
  series: ChartSeries[],
  periods: string[],
  width: number,
  formatNumber: (n: number) => string,
): SVGSVGElement | HTMLElement {
  const rows: Row[] = series.flatMap((s) =>
    s.points.map((p) => ({ series: s.key, ...p })),
  );
  const domain = series.map((s) => s.key);
  const range = series.map((s) => s.color);
  // Thin the period ticks so that the labels do not overlap on a narrow screen.
  const step = Math.max(1, Math.ceil(periods.length / Math.max(2, Math.floor(width / 56))));
  const ticks = periods.filter((_, i) => i % step === 0);
  const marks: Plot.Markish[] = [
    Plot.ruleY([0], { stroke: '#c9d0d8' }),
    Plot.areaY(
      rows.filter((r) => r.low !== null && r.high !== null),
      { x: 'period', y1: 'low', y2: 'high', fill: 'series', fillOpacity: 0.12, z: 'series' },
    ),
  ];
  for (const s of series) {
    const own = rows.filter((r) => r.series === s.key && r.value !== null);
    marks.push(
      Plot.lineY(own, {
        x: 'period',
        y: 'value',
        stroke: 'series',
        strokeWidth: 2,
        strokeDasharray: s.dash,
      }),
      Plot.dot(own, { x: 'period', y: 'value', fill: 'series', r: 3 }),
    );
  }
  return Plot.plot({
    width,
    height: Math.round(Math.min(360, Math.max(220, width * 0.5))),
    marginLeft: 48,
    style: { fontSize: '12px', color: '#1b1f24', background: '#ffffff' },
    x: { type: 'point', domain: periods, ticks, label: null },
    y: { grid: true, label: null, zero: true, tickFormat: (d: number) => formatNumber(d) },
    color: { type: 'ordinal', domain, range },
    marks,
  });
}
