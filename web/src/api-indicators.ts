// API functions for the indicator pages (docs/api.md, "Indicators and statistics").
import { getJson, type List } from './api';

export type Direction = 'higher' | 'lower' | 'none';

export interface Indicator {
  code: string;
  title: string;
  description: string | null;
  unit: string | null;
  value_type: string;
  per: number | null;
  direction: Direction;
  source: string;
  source_table: string | null;
  source_code: string | null;
  dimensions: string[];
  operating_area: string | null;
  observations: number;
  first_period: string | null;
  last_period: string | null;
}

export interface Area {
  code: string;
  name: string;
  kind: 'country' | 'region' | 'municipality' | 'other';
  county_code: string | null;
}

export interface Benchmark {
  area: string;
  value: number | null;
  at_95: string;
  at_998: string;
  reason: string | null;
}

export interface Observation {
  area: string;
  period: string;
  breakdown: Record<string, string>;
  value: number | null;
  ci_low: number | null;
  ci_high: number | null;
  numerator: number | null;
  denominator: number | null;
  respondents: number | null;
  status: string[];
  benchmark?: Benchmark;
}

export interface Trend {
  outcome: string;
  judgement: string;
  method: string | null;
  first_year?: number;
  last_year?: number;
  p_value?: number;
  reason: string | null;
}

export interface Observations {
  indicator: Indicator;
  count: number;
  suppressed: number;
  truncated: boolean;
  observations: Observation[];
  trends?: { area: string; breakdown: Record<string, string>; trend: Trend }[];
}

export interface Estimate {
  estimate: number | null;
  lower: number | null;
  upper: number | null;
}

export interface Measure extends Estimate {
  id: string;
  name: string;
  se: number | null;
  confidence?: number;
  method?: string | null;
  note?: string | null;
  error?: string | null;
}

export interface Equity {
  dimension: string;
  ordered: boolean;
  period: string;
  subgroups: { category: string; value: number | null; ci_low: number | null; ci_high: number | null }[];
  measures: Measure[];
  over_time: { period: string; subgroups: number; measures: Record<string, Estimate> }[];
  gap: {
    measure: string;
    closing: boolean | null;
    change?: { outcome: string; baseline_year?: number; follow_up_year?: number };
    recent_trend?: Trend;
  } | null;
  left_out: unknown[];
}

/** Indicators with data whose code, title or description contains `q`. */
export function searchIndicators(q: string, signal: AbortSignal): Promise<List<Indicator>> {
  const params: Record<string, string | number> = { has_data: 'true', limit: 100 };
  if (q) params.q = q;
  return getJson<List<Indicator>>('/indicators', params, signal);
}

export function getIndicator(code: string, signal: AbortSignal): Promise<Indicator> {
  return getJson<Indicator>(`/indicators/${encodeURIComponent(code)}`, {}, signal);
}

/** The total, women and men for one area, with the county benchmark and recent trends. */
export function getSeries(code: string, area: string, signal: AbortSignal): Promise<Observations> {
  return getJson<Observations>(
    `/indicators/${encodeURIComponent(code)}/observations`,
    { area, sex: 'total,women,men', trend: 'true', benchmark: 'county' },
    signal,
  );
}

export function getEquity(
  code: string,
  area: string,
  dimension: string,
  signal: AbortSignal,
): Promise<Equity> {
  return getJson<Equity>(
    `/indicators/${encodeURIComponent(code)}/equity`,
    { area, dimension },
    signal,
  );
}

export function getMunicipalities(signal: AbortSignal): Promise<List<Area>> {
  return getJson<List<Area>>('/areas', { kind: 'municipality', limit: 400 }, signal);
}
