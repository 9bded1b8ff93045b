// API functions for fetching statistics from Kolada and PxWeb (docs/api.md, "Fetches").
import { getJson, sendJson, type List } from './api';

export type FetchState = 'queued' | 'running' | 'importing' | 'done' | 'failed' | 'cancelled';

export const unfinishedStates: readonly FetchState[] = ['queued', 'running', 'importing'];

export interface FetchProgress {
  stage: 'fetch' | 'import';
  /** Fetch: requests answered; import: bytes imported. */
  done?: number;
  /** Fetch: requests known so far (grows as pages are found); import: bytes in all. */
  total?: number;
}

export interface FetchReport {
  dry_run: boolean;
  observations: {
    new: number;
    changed: number;
    unchanged: number;
    missing: number;
    suppressed: number;
    not_compared?: number;
    stored_now_suppressed?: number;
    stored_now_shown?: number;
  };
  indicators_created: string[];
  areas_created?: number | string[];
  fetch?: {
    requests?: number;
    bytes?: number;
    pages?: number;
    cells?: number;
    pieces?: number;
  };
}

export interface FetchJob {
  id: number;
  source: 'kolada' | 'pxweb';
  parameters: Record<string, unknown>;
  state: FetchState;
  progress: FetchProgress;
  cancel_requested: boolean;
  created_by: string;
  created_at: string;
  updated_at: string;
  report?: FetchReport;
  error?: { code: string; message: string; details: Record<string, unknown> };
}

export function startFetch(body: Record<string, unknown>): Promise<FetchJob> {
  return sendJson<FetchJob>('POST', '/fetches', body);
}

export function getFetch(id: number, signal?: AbortSignal): Promise<FetchJob> {
  return getJson<FetchJob>(`/fetches/${id}`, {}, signal);
}

export function listFetches(limit: number, signal?: AbortSignal): Promise<List<FetchJob>> {
  return getJson<List<FetchJob>>('/fetches', { limit }, signal);
}

export function cancelFetch(id: number): Promise<FetchJob> {
  return sendJson<FetchJob>('POST', `/fetches/${id}/cancel`, {});
}

/** Comma-, space- or line-separated codes ("N00945, N03702") as a list, empty ones left out. */
export function splitCodes(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((code) => code.trim())
    .filter((code) => code.length > 0);
}

/** Non-empty lines ("Kon=1,2"), trimmed. */
export function splitLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}
