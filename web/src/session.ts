// Who is signed in (docs/SECURITY.md): the session of GET /api/v1/session, kept for the whole
// application. The cookie itself is HttpOnly and never seen here; the CSRF token that every
// change must carry is (api.ts sends it). Pages read the session with useSession() and ask
// mayEditMeasure() before they offer an editing control.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, apiBase, type MeasureFull } from './api';

export type Role = 'admin' | 'coordinator' | 'editor' | 'analyst' | 'reader';

export interface Session {
  signed_in: true;
  user: { id: number; name: string; email: string; actor_id: number | null };
  actor: { id: number; name: string | null } | null;
  roles: Role[];
  csrf_token: string;
  expires_at: string;
  idle_expires_at: string;
  must_change_password: boolean;
}

/** null: not signed in; undefined: not known yet. */
let current: Session | null | undefined;
const listeners = new Set<() => void>();

function set(session: Session | null): void {
  current = session;
  for (const listener of listeners) listener();
}

export function csrfToken(): string | null {
  return current?.csrf_token ?? null;
}

/**
 * The headers of a request to the API: JSON accepted (and sent, with `json`), and on a change
 * (every method but GET and HEAD) the session's CSRF token, which the server demands of every
 * change riding on the session cookie (docs/SECURITY.md). Signing in needs none: there is no
 * session yet, and the server asks for none there. The one place the token is added: the session
 * calls below and api.ts's sendJson both use it.
 */
export function apiHeaders(method: string, json: boolean): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (json) headers['Content-Type'] = 'application/json';
  const token = csrfToken();
  if (method !== 'GET' && method !== 'HEAD' && token) headers['X-CSRF-Token'] = token;
  return headers;
}

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${apiBase}${path}`, {
    method,
    headers: apiHeaders(method, body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
}

async function failure(response: Response): Promise<ApiError> {
  let error: { code?: string; message?: string; details?: Record<string, unknown> } = {};
  try {
    error = ((await response.json()) as { error?: typeof error }).error ?? {};
  } catch {
    // not JSON: the status says enough
  }
  return new ApiError(
    'http',
    response.status,
    error.code ?? null,
    error.message ?? String(response.status),
    error.details ?? {},
  );
}

let pending: Promise<Session | null> | null = null;

/** Reads the session from the server (once at start: every caller shares the one request). */
export function loadSession(): Promise<Session | null> {
  pending ??= (async () => {
    try {
      const response = await call('GET', '/session');
      if (!response.ok) throw await failure(response);
      const body = (await response.json()) as Session | { signed_in: false };
      set(body.signed_in ? body : null);
      return current ?? null;
    } catch (error) {
      if (current === undefined) set(null);
      throw error;
    } finally {
      pending = null;
    }
  })();
  return pending;
}

export async function signIn(user: string, password: string): Promise<Session> {
  const response = await call('POST', '/session', { user, password });
  if (!response.ok) throw await failure(response);
  const session = (await response.json()) as Session;
  set(session);
  return session;
}

export async function signOut(): Promise<void> {
  const response = await call('DELETE', '/session');
  if (!response.ok && response.status !== 401) throw await failure(response);
  set(null);
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  const response = await call('PUT', '/session/password', {
    current_password: currentPassword,
    new_password: newPassword,
  });
  if (!response.ok) throw await failure(response);
  await loadSession();
}

/** The session (null when signed out, undefined while it is being read). */
export function useSession(): Session | null | undefined {
  const [session, setSession] = useState(current);
  useEffect(() => {
    const listener = () => setSession(current);
    listeners.add(listener);
    if (current === undefined) void loadSession().catch(() => undefined);
    else setSession(current);
    return () => void listeners.delete(listener);
  }, []);
  return session;
}

export function hasRole(session: Session | null | undefined, role: Role): boolean {
  return Boolean(session && (session.roles.includes('admin') || session.roles.includes(role)));
}

/** Why the session may not edit the measure ('' when it may), as a message key's suffix. */
export type EditRefusal = '' | 'signIn' | 'changePassword' | 'role' | 'scope';

export function mayEditMeasure(
  session: Session | null | undefined,
  measure: Pick<MeasureFull, 'responsible' | 'partners' | 'inherited_responsible'>,
  frameworkOwner: number | null,
): EditRefusal {
  if (!session) return 'signIn';
  if (session.must_change_password) return 'changePassword';
  if (session.roles.includes('admin')) return '';
  const actor = session.user.actor_id;
  const coordinator = session.roles.includes('coordinator');
  const editor = session.roles.includes('editor');
  if (!coordinator && !editor) return 'role';
  if (actor === null) return 'scope';
  if (coordinator && frameworkOwner === actor) return '';
  if (editor) {
    const answers =
      measure.responsible.some((r) => r.actor_id === actor) ||
      measure.partners.some((p) => p.role === 'lead' && p.actor_id === actor) ||
      (measure.responsible.length === 0 && measure.inherited_responsible?.actor_id === actor);
    if (answers) return '';
  }
  return 'scope';
}

/** May the session create or delete measures of a framework (its owner's coordinator)? */
export function mayCoordinate(
  session: Session | null | undefined,
  frameworkOwner: number | null,
): EditRefusal {
  if (!session) return 'signIn';
  if (session.must_change_password) return 'changePassword';
  if (session.roles.includes('admin')) return '';
  if (!session.roles.includes('coordinator')) return 'role';
  return frameworkOwner !== null && session.user.actor_id === frameworkOwner ? '' : 'scope';
}
