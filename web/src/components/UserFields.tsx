// The fields of a user's form (the admin's users page): the name (only when adding), the e-mail,
// the roles as checkboxes with what each may do, and the organisation, grouped by kind. The
// server's message for a field is shown beside it (admin-errors.ts).
import type { Actor } from '../api';
import { actorKinds } from '../api';
import { roles, scopedRoles } from '../api-admin';
import type { UserField } from '../admin-errors';
import { useI18n } from '../i18n';
import type { Role } from '../session';

export interface UserValues {
  name: string;
  email: string;
  roles: Role[];
  /** null: no organisation. */
  actorId: number | null;
}

interface Props {
  /** Prefix of the elements' ids, so that two forms can share a page. */
  idPrefix: string;
  values: UserValues;
  onChange: (values: UserValues) => void;
  /** The name is given once, when the user is added. */
  withName: boolean;
  actors: Actor[];
  errors: Partial<Record<UserField, string>>;
}

export function UserFields({ idPrefix, values, onChange, withName, actors, errors }: Props) {
  const { t, tk } = useI18n();
  const id = (field: string) => `${idPrefix}-${field}`;
  const errorId = (field: UserField) => id(`${field}-error`);
  const set = (changes: Partial<UserValues>) => onChange({ ...values, ...changes });
  const invalid = (field: UserField, hint?: string) => {
    const described = [hint, errors[field] ? errorId(field) : undefined].filter(Boolean).join(' ');
    return {
      'aria-invalid': errors[field] ? (true as const) : undefined,
      'aria-describedby': described || undefined,
    };
  };
  const message = (field: UserField) =>
    errors[field] ? (
      <p class="field-error" id={errorId(field)} data-testid={`${idPrefix}-error-${field}`}>
        {errors[field]}
      </p>
    ) : null;
  const toggle = (role: Role, on: boolean) =>
    set({ roles: roles.filter((r) => (r === role ? on : values.roles.includes(r))) });
  const needsActor = values.roles.some((role) => scopedRoles.includes(role));

  return (
    <div class="user-fields">
      {withName && (
        <div class="field">
          <label for={id('name')}>{t('admin.field.name')}</label>
          <input
            id={id('name')}
            required
            maxLength={100}
            autocomplete="off"
            value={values.name}
            onInput={(e) => set({ name: e.currentTarget.value })}
            {...invalid('name', id('name-hint'))}
          />
          <p class="hint" id={id('name-hint')}>
            {t('admin.field.nameHint')}
          </p>
          {message('name')}
        </div>
      )}
      <div class="field">
        <label for={id('email')}>{t('admin.field.email')}</label>
        <input
          id={id('email')}
          type="email"
          required
          maxLength={254}
          autocomplete="off"
          value={values.email}
          onInput={(e) => set({ email: e.currentTarget.value })}
          {...invalid('email')}
        />
        {message('email')}
      </div>
      <fieldset
        class="checks user-roles"
        aria-describedby={[id('roles-hint'), errors.roles ? errorId('roles') : ''].join(' ').trim()}
      >
        <legend>{t('admin.field.roles')}</legend>
        <p class="hint" id={id('roles-hint')}>
          {t('admin.field.rolesHint')}
        </p>
        {roles.map((role) => (
          <label key={role} class="user-role">
            <input
              type="checkbox"
              id={id(`role-${role}`)}
              checked={values.roles.includes(role)}
              onChange={(e) => toggle(role, e.currentTarget.checked)}
            />
            <span>
              <strong>{tk(`admin.role.${role}`, role)}</strong>
              <span class="muted"> – {tk(`admin.roleHint.${role}`, '')}</span>
            </span>
          </label>
        ))}
        {message('roles')}
      </fieldset>
      <div class="field">
        <label for={id('actor')}>{t('admin.field.organisation')}</label>
        <ActorSelect
          id={id('actor')}
          actors={actors}
          value={values.actorId}
          onValue={(actorId) => set({ actorId })}
          {...invalid('actor_id', id('actor-hint'))}
        />
        <p class={needsActor ? 'hint hint-strong' : 'hint'} id={id('actor-hint')}>
          {t('admin.field.organisationHint')}
        </p>
        {message('actor_id')}
      </div>
    </div>
  );
}

interface ActorSelectProps {
  id: string;
  actors: Actor[];
  value: number | null;
  onValue: (actorId: number | null) => void;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

/** The organisations by kind, "none" first; one no longer listed (deleted) is still named. */
function ActorSelect({ id, actors, value, onValue, ...aria }: ActorSelectProps) {
  const { t, tk } = useI18n();
  const known = value === null || actors.some((a) => a.id === value);
  return (
    <select
      id={id}
      value={value === null ? '' : String(value)}
      onChange={(e) => {
        const chosen = e.currentTarget.value;
        onValue(chosen === '' ? null : Number(chosen));
      }}
      {...aria}
    >
      <option value="">{t('admin.field.organisationNone')}</option>
      {!known && (
        <option value={String(value)}>{t('admin.field.organisationGone', { id: value ?? '' })}</option>
      )}
      {actorKinds.map((kind) => {
        const ofKind = actors.filter((a) => a.kind === kind);
        if (ofKind.length === 0) return null;
        return (
          <optgroup key={kind} label={tk(`actorkind.${kind}`, kind)}>
            {ofKind.map((actor) => (
              <option key={actor.id} value={String(actor.id)}>
                {actor.name}
              </option>
            ))}
          </optgroup>
        );
      })}
    </select>
  );
}
