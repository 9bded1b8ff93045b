// API functions for the area profile pages (docs/api.md, "Areas": /areas/{code}/profile).
import { getJson, type List } from './api';
import type { Area, Direction, Trend } from './api-indicators';

export type Comparison = 'better' | 'similar' | 'worse' | 'higher' | 'lower' | 'not_compared';

export const comparisons: readonly Comparison[] = [
  'better',
  'similar',
  'worse',
  'higher',
  'lower',
  'not_compared',
];

export interface AreaSummary {
  code: string;
  name: string;
  kind: Area['kind'];
}

/** One area's figures; all null when suppressed (`status` holds "suppressed"). */
export interface Figures {
  value: number | null;
  ci_low: number | null;
  ci_high: number | null;
  status: string[];
}

export interface Compared {
  at_95: Comparison;
  at_998: Comparison;
  reason?: string | null;
}

/** The area, its county and Riket for one breakdown (total, women or men). */
export interface ProfileCell {
  area: Figures | null;
  county: Figures | null;
  country: Figures | null;
  compared?: { county?: Compared | null; country?: Compared | null };
}

export type ProfileSex = 'total' | 'women' | 'men';

export const profileSexes: readonly ProfileSex[] = ['total', 'women', 'men'];

export interface ProfileRow {
  indicator: {
    code: string;
    title: string;
    unit: string;
    value_type: string;
    direction: Direction;
  };
  period: string;
  total?: ProfileCell | null;
  women?: ProfileCell | null;
  men?: ProfileCell | null;
  trend?: Trend | null;
}

export interface AreaProfile {
  area: AreaSummary;
  county: AreaSummary | null;
  country: AreaSummary | null;
  indicators: ProfileRow[];
}

export function getProfile(code: string, signal: AbortSignal): Promise<AreaProfile> {
  return getJson<AreaProfile>(`/areas/${encodeURIComponent(code)}/profile`, {}, signal);
}

/** The municipalities and the regions, for the list grouped by county. */
export async function getAreasByCounty(
  signal: AbortSignal,
): Promise<{ regions: Area[]; municipalities: Area[] }> {
  const [municipalities, regions] = await Promise.all([
    getJson<List<Area>>('/areas', { kind: 'municipality', limit: 400 }, signal),
    getJson<List<Area>>('/areas', { kind: 'region', limit: 400 }, signal),
  ]);
  return { regions: regions.items, municipalities: municipalities.items };
}
