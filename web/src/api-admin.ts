// The admin's API: users and the audit log (docs/api.md, "Accounts"). Every operation here is for
// admins only; anyone else gets 401 or 403, which the pages explain before they ask.
import { getJson, sendJson, type List } from './api';
import type { Role } from './session';

export const roles: readonly Role[] = ['admin', 'coordinator', 'editor', 'analyst', 'reader'];

/** Roles that act for an organisation, which the user must then have (`actor_id`). */
export const scopedRoles: readonly Role[] = ['coordinator', 'editor'];

export interface User {
  id: number;
  name: string;
  email: string;
  roles: Role[];
  actor_id: number | null;
  disabled: boolean;
  must_change_password: boolean;
  version: number;
  created_at: string;
  updated_at: string;
  /** Only in the answer that made it: the generated password, shown once. */
  password?: string;
}

export interface NewUser {
  name: string;
  email: string;
  roles: Role[];
  actor_id?: number;
}

/** A PATCH: `version` and the fields that change. */
export interface UserChange {
  version: number;
  email?: string;
  roles?: Role[];
  actor_id?: number | null;
  disabled?: boolean;
}

export function listUsers(signal?: AbortSignal): Promise<{ items: User[]; total: number }> {
  return getJson<{ items: User[]; total: number }>('/users', {}, signal);
}

export function addUser(user: NewUser): Promise<User> {
  return sendJson<User>('POST', '/users', user);
}

export function changeUser(id: number, change: UserChange): Promise<User> {
  return sendJson<User>('PATCH', `/users/${id}`, change);
}

/** A new generated password (in `password`, shown once); the user must change it at sign-in. */
export function resetPassword(id: number): Promise<User> {
  return sendJson<User>('POST', `/users/${id}/reset-password`, undefined);
}

/** The events the server writes to the audit log (src/app/accounts.cpp, sessions.cpp). */
export const auditEvents = [
  'sign_in',
  'sign_in_failed',
  'sign_out',
  'user_added',
  'user_changed',
  'roles_changed',
  'user_disabled',
  'user_enabled',
  'password_reset',
  'password_changed',
  'token_created',
  'token_used',
  'token_revoked',
  'setting_changed',
] as const;

export interface AuditEntry {
  id: number;
  at: string;
  event: string;
  /** Who acted: a user's name, the operating-system user of the CLI, '' for a failed sign-in. */
  user: string;
  /** What it concerns: a user's name, a token's name, a setting; the name tried at a failure. */
  subject: string;
  address: string;
  details: Record<string, unknown> | null;
}

export function getAudit(
  event: string,
  limit: number,
  offset: number,
  signal?: AbortSignal,
): Promise<List<AuditEntry>> {
  const params: Record<string, string | number> = { limit, offset };
  if (event) params.event = event;
  return getJson<List<AuditEntry>>('/audit', params, signal);
}
