// The API's refusals of a user's addition or change (docs/api.md, Errors), in plain words and at
// the field they concern (the JSON pointer in `details.field`), as measure-edit.ts does for
// measures. The page shows a field's message beside the field, the rest above the form.
import { ApiError } from './api';
import type { User } from './api-admin';
import type { Translator } from './i18n';

export type UserField = 'name' | 'email' | 'roles' | 'actor_id' | 'disabled';

export interface UserFieldError {
  /** The form field, or null for the form as a whole. */
  field: UserField | null;
  message: string;
}

const fields: readonly UserField[] = ['name', 'email', 'roles', 'actor_id', 'disabled'];

/** `/roles/2` → roles; an unknown pointer → null (the form as a whole). */
function fieldOf(pointer: unknown): UserField | null {
  if (typeof pointer !== 'string') return null;
  const head = pointer.split('/')[1] ?? '';
  return (fields as readonly string[]).includes(head) ? (head as UserField) : null;
}

/** What a user now is, in words, for the conflict message. */
export interface Describe {
  roles: (user: User) => string;
  organisation: (user: User) => string;
}

export function userError(
  i18n: Pick<Translator, 't'>,
  error: unknown,
  describe: Describe,
): UserFieldError {
  const { t } = i18n;
  if (!(error instanceof ApiError) || error.kind !== 'http') {
    const message = error instanceof Error ? error.message : String(error);
    return { field: null, message: t('admin.err.unexpected', { status: '–', code: message }) };
  }
  const details = error.details;
  const field = fieldOf(details.field);
  const at = (message: string): UserFieldError => ({ field, message });
  switch (error.code) {
    case 'invalid_value':
      if (field === 'roles' && Array.isArray(details.allowed))
        return at(t('admin.err.role', { allowed: details.allowed.join(', ') }));
      if (field === 'email') return at(t('admin.err.email'));
      if (field === 'name') return at(t('admin.err.name'));
      return at(t('admin.err.unexpected', { status: error.status ?? '?', code: error.code }));
    case 'missing_field':
    case 'wrong_type':
      if (field === 'actor_id') return at(t('admin.err.actorRequired'));
      return at(t('admin.err.required'));
    case 'reference_not_found':
      return at(t('admin.err.actorGone'));
    case 'duplicate': {
      const value = String(details.value ?? '');
      return at(t(field === 'email' ? 'admin.err.duplicateEmail' : 'admin.err.duplicateName', { value }));
    }
    case 'rule_violation':
      if (details.rule === 'not_self') return at(t('admin.err.notSelf'));
      break;
    case 'version_conflict': {
      const current = details.current as User | undefined;
      if (!current) break;
      return {
        field: null,
        message: t('admin.err.conflict', {
          email: current.email,
          roles: describe.roles(current),
          organisation: describe.organisation(current),
          status: t(current.disabled ? 'admin.status.disabled' : 'admin.status.active').toLowerCase(),
        }),
      };
    }
    case 'unauthenticated':
      return { field: null, message: t('admin.err.signedOut') };
    case 'forbidden':
      return { field: null, message: t('admin.err.forbidden') };
    case 'not_found':
      return { field: null, message: t('admin.err.notFound') };
  }
  return {
    field: null,
    message: t('admin.err.unexpected', { status: error.status ?? '?', code: error.code ?? '' }),
  };
}

/** The user the server holds now, when `error` is a version conflict (else null). */
export function conflictCurrent(error: unknown): User | null {
  if (error instanceof ApiError && error.code === 'version_conflict') {
    const current = error.details.current;
    if (current && typeof current === 'object') return current as User;
  }
  return null;
}
