// The JSON API client (docs/api.md). Every failure becomes an ApiError that the page shows;
// nothing is swallowed here.
import { apiHeaders } from './session';
export type ApiErrorKind = 'network' | 'http' | 'parse';

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    readonly status: number | null,
    readonly code: string | null,
    message: string,
    /** The error body's `details` (docs/api.md, Errors): `field`, `rule`, `current`… */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface List<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export type FrameworkKind = 'declaration' | 'programme' | 'action_plan' | 'strategy';
export type FrameworkStatus = 'draft' | 'adopted' | 'archived';
export type MeasureStatus =
  | 'under_way'
  | 'new_anchored'
  | 'done'
  | 'paused'
  | 'cancelled'
  | 'not_stated';

export const measureStatuses: readonly MeasureStatus[] = [
  'under_way',
  'new_anchored',
  'done',
  'paused',
  'cancelled',
  'not_stated',
];

export interface Framework {
  id: number;
  kind: FrameworkKind;
  title: string;
  short_title: string | null;
  description: string | null;
  status: FrameworkStatus;
  valid_from: number | null;
  valid_to: number | null;
  read_only: boolean;
  owner_actor_id: number | null;
}

export interface Measure {
  id: number;
  framework_id: number;
  status: MeasureStatus;
}

export interface HistoryEntry {
  seq: number;
  entity: string;
  entity_id: number;
  action: 'create' | 'update' | 'delete' | 'restore';
  user: string;
  at: string;
  version: number;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export const apiBase = '/api/v1';

async function request<T>(url: string, init: RequestInit): Promise<T> {
  const signal = init.signal ?? undefined;
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('network', null, null, `${url}: ${String(error)}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    if (!response.ok) throw new ApiError('http', response.status, null, `${url}: ${response.status}`);
    throw new ApiError('parse', response.status, null, `${url}: not JSON`);
  }
  if (!response.ok) {
    const error = (
      body as {
        error?: { code?: string; message?: string; details?: Record<string, unknown> };
      } | null
    )?.error;
    throw new ApiError(
      'http',
      response.status,
      error?.code ?? null,
      `${url}: ${response.status} ${error?.message ?? ''}`.trim(),
      error?.details ?? {},
    );
  }
  return body as T;
}

export function getJson<T>(
  path: string,
  params: Record<string, string | number> = {},
  signal?: AbortSignal,
): Promise<T> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) query.set(name, String(value));
  const search = query.toString();
  const url = `${apiBase}${path}${search ? `?${search}` : ''}`;
  return request<T>(url, { headers: { Accept: 'application/json' }, signal });
}

/**
 * A write (POST, PATCH, DELETE); the answer is the entity. `body` is sent as JSON, or nothing
 * when it is undefined (a DELETE, an action such as a password reset).
 */
export function sendJson<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body: unknown): Promise<T> {
  return request<T>(`${apiBase}${path}`, {
    method,
    headers: apiHeaders(method, body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Every item of a list, page by page (the API caps `limit` at 1000). */
export async function getAll<T>(
  path: string,
  params: Record<string, string | number>,
  signal?: AbortSignal,
): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const page = await getJson<List<T>>(
      path,
      { ...params, limit: 1000, offset: items.length },
      signal,
    );
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return items;
  }
}

// --- Framework and actor pages ----------------------------------------------------------------

export type ActorKind =
  | 'region'
  | 'county_administrative_board'
  | 'municipality'
  | 'university'
  | 'civil_society'
  | 'working_life'
  | 'state_agency'
  | 'faith_community'
  | 'collective'
  | 'other';

export const actorKinds: readonly ActorKind[] = [
  'region',
  'county_administrative_board',
  'municipality',
  'university',
  'civil_society',
  'working_life',
  'state_agency',
  'faith_community',
  'collective',
  'other',
];

export interface Actor {
  id: number;
  kind: ActorKind;
  name: string;
  short_name: string | null;
  area_code: string | null;
  description: string | null;
  deleted: boolean;
}

export interface Unit {
  id: number;
  actor_id: number;
  parent_id: number | null;
  name: string;
  path: string;
  description: string | null;
}

export interface NodeKind {
  key: string;
  label: string;
  root: boolean;
  parents: string[];
}

export interface FrameworkFull extends Framework {
  node_kinds: NodeKind[];
}

export type PartnerRole = 'lead' | 'coordinating' | 'prerequisite' | 'desirable' | 'participant';

export interface MeasureFull extends Measure {
  node_id: number;
  code: string | null;
  text: string;
  target_group: string | null;
  expected_result: string | null;
  expected_result_year: number | null;
  order: number;
  responsible: { actor_id: number; unit_ids: number[] }[];
  partners: { actor_id: number; role: PartnerRole; unit_ids: number[] }[];
  tags: string[];
  classifications: string[];
  suggested_classifications: string[];
  inherited_responsible: { actor_id: number; unit_id: number | null; node_id: number } | null;
  version: number;
  deleted: boolean;
  updated_at: string;
}

export interface TreeNode {
  id: number;
  coordinating_actor_id: number | null;
  contact_unit_id: number | null;
  parent_id: number | null;
  kind: string;
  code: string | null;
  title: string;
  text: string | null;
  order: number;
  cross_cutting: boolean;
  classifications: string[];
  suggested_classifications: string[];
  children: TreeNode[];
  measures: MeasureFull[];
}

export interface FrameworkTree {
  framework: FrameworkFull;
  nodes: TreeNode[];
}

export function getTree(id: number, signal?: AbortSignal): Promise<FrameworkTree> {
  return getJson<FrameworkTree>(`/frameworks/${id}/tree`, {}, signal);
}

export function getMeasures(
  params: Record<string, string | number>,
  signal?: AbortSignal,
): Promise<MeasureFull[]> {
  return getAll<MeasureFull>('/measures', params, signal);
}

export function getMeasure(id: number, signal?: AbortSignal): Promise<MeasureFull> {
  return getJson<MeasureFull>(`/measures/${id}`, {}, signal);
}

export function getActors(signal?: AbortSignal): Promise<Actor[]> {
  return getAll<Actor>('/actors', {}, signal);
}

export function getActor(id: number, signal?: AbortSignal): Promise<Actor> {
  return getJson<Actor>(`/actors/${id}`, {}, signal);
}

export function getUnits(params: Record<string, string | number>, signal?: AbortSignal): Promise<Unit[]> {
  return getAll<Unit>('/units', params, signal);
}

export function getFrameworks(signal?: AbortSignal): Promise<Framework[]> {
  return getAll<Framework>('/frameworks', {}, signal);
}

export function getHistory(
  entity: string,
  id: number,
  signal?: AbortSignal,
): Promise<HistoryEntry[]> {
  return getAll<HistoryEntry>('/history', { entity, id }, signal);
}

export interface Classification {
  id: string;
  scheme: 'target_area' | 'agenda2030' | 'prevention_level';
  code: string;
  label_sv: string;
  label_en: string;
}

export function getClassifications(signal?: AbortSignal): Promise<Classification[]> {
  return getAll<Classification>('/classifications', {}, signal);
}

export function createMeasure(fields: Record<string, unknown>): Promise<MeasureFull> {
  return sendJson<MeasureFull>('POST', '/measures', fields);
}

export function patchMeasure(
  id: number,
  changes: Record<string, unknown> & { version: number },
): Promise<MeasureFull> {
  return sendJson<MeasureFull>('PATCH', `/measures/${id}`, changes);
}

export interface Adoption {
  id: number;
  framework_id: number;
  actor_id: number;
  body: string | null;
  date: string | null;
  reference: string | null;
}

/** Adoptions by `framework_id` or `actor_id` (or all). */
export function getAdoptions(
  params: Record<string, string | number>,
  signal?: AbortSignal,
): Promise<Adoption[]> {
  return getAll<Adoption>('/adoptions', params, signal);
}
