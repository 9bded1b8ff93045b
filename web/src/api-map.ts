// API functions for the map page (docs/api.md): the areas' geometry, the periods an indicator has
// for the municipalities, and one period's observations of every municipality with the marker
// against Riket.
import { getAll, getJson } from './api';
import type { Indicator, Observation, Observations } from './api-indicators';

export type GeometryKind = 'municipality' | 'region';

export interface AreaFeature {
  type: 'Feature';
  id: string;
  properties: { code: string; name: string; kind: GeometryKind; county_code: string | null };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
}

export interface AreaFeatures {
  type: 'FeatureCollection';
  features: AreaFeature[];
}

export type MapSex = 'total' | 'women' | 'men';

export const mapSexes: readonly MapSex[] = ['total', 'women', 'men'];

/** The outlines of every municipality or region (GeoJSON, longitude/latitude). */
export function getAreaGeometries(kind: GeometryKind, signal: AbortSignal): Promise<AreaFeatures> {
  return getJson<AreaFeatures>('/area-geometries', { kind }, signal);
}

/** The periods in which the indicator has municipal observations, oldest first. */
export async function getMunicipalPeriods(code: string, signal: AbortSignal): Promise<string[]> {
  const answer = await getJson<{ indicator: string; periods: string[] }>(
    `/indicators/${encodeURIComponent(code)}/periods`,
    { kind: 'municipality' },
    signal,
  );
  return [...answer.periods].sort();
}

/** Every municipality's observation of one period and sex, each with its marker against Riket. */
export function getMunicipalObservations(
  code: string,
  period: string,
  sex: MapSex,
  signal: AbortSignal,
): Promise<Observations> {
  return getJson<Observations>(
    `/indicators/${encodeURIComponent(code)}/observations`,
    { kind: 'municipality', period, sex, benchmark: 'country' },
    signal,
  );
}

/** The whole catalogue of indicators with data, by title. */
export async function getIndicatorsWithData(signal: AbortSignal): Promise<Indicator[]> {
  const items = await getAll<Indicator>('/indicators', { has_data: 'true' }, signal);
  return items;
}

export type { Indicator, Observation, Observations };
