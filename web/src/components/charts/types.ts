// The data a chart draws: one line per series, each point with an optional 95 % interval.
export interface ChartPoint {
  period: string;
  value: number | null;
  low: number | null;
  high: number | null;
}

export interface ChartSeries {
  key: string;
  label: string;
  /** A colour with at least 3:1 contrast against white (WCAG 1.4.11). */
  color: string;
  /** An SVG stroke-dasharray, so that the lines differ by more than colour. */
  dash: string;
  points: ChartPoint[];
}
