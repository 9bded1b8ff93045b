// The admin's forms for one user (pages/AdminUsers.tsx): adding one, and changing one — e-mail,
// roles, organisation (with `version`: a change someone else saved first is named, with what is
// now stored, and the form keeps what was typed), disabling or enabling the account, and a
// password reset after a confirmation. A generated password is handed to the page, which shows
// it once.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Actor } from '../api';
import { addUser, changeUser, resetPassword, type User, type UserChange } from '../api-admin';
import { conflictCurrent, userError, type Describe, type UserField } from '../admin-errors';
import { useI18n } from '../i18n';
import { UserFields, type UserValues } from './UserFields';

type Errors = Partial<Record<UserField, string>>;

/** A generated password to show once, and whose it is. */
export interface Secret {
  kind: 'added' | 'reset';
  name: string;
  password: string;
}

// The error of a request, placed: at its field when the form shows it (`shown`), else for the
// form as a whole.
function useErrors(describe: Describe, shown: readonly UserField[]) {
  const i18n = useI18n();
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState('');
  const clear = () => {
    setErrors({});
    setFormError('');
  };
  const show = (error: unknown) => {
    const placed = userError(i18n, error, describe);
    if (placed.field && shown.includes(placed.field)) setErrors({ [placed.field]: placed.message });
    else setFormError(placed.message);
  };
  // A field's message goes once the field is edited: it spoke of the value that was sent.
  const forget = (before: UserValues, after: UserValues) => {
    const edited = (Object.keys(fieldOfValue) as (keyof UserValues)[]).filter(
      (key) => before[key] !== after[key],
    );
    if (edited.some((key) => errors[fieldOfValue[key]])) {
      setErrors((previous) => {
        const kept = { ...previous };
        for (const key of edited) delete kept[fieldOfValue[key]];
        return kept;
      });
    }
  };
  return { errors, formError, setFormError, clear, show, forget };
}

const fieldOfValue: Record<keyof UserValues, UserField> = {
  name: 'name',
  email: 'email',
  roles: 'roles',
  actorId: 'actor_id',
};

interface AddProps {
  actors: Actor[];
  describe: Describe;
  onAdded: (user: User) => void;
}

const emptyUser: UserValues = { name: '', email: '', roles: ['reader'], actorId: null };

export function AddUserForm({ actors, describe, onAdded }: AddProps) {
  const { t } = useI18n();
  const [values, setValues] = useState<UserValues>(emptyUser);
  const [busy, setBusy] = useState(false);
  const { errors, formError, clear, show, forget } = useErrors(describe, [
    'name',
    'email',
    'roles',
    'actor_id',
  ]);
  const edit = (next: UserValues) => {
    forget(values, next);
    setValues(next);
  };

  const submit = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    clear();
    setBusy(true);
    try {
      const user = await addUser({
        name: values.name.trim(),
        email: values.email.trim(),
        roles: values.roles,
        ...(values.actorId === null ? {} : { actor_id: values.actorId }),
      });
      setValues(emptyUser);
      onAdded(user);
    } catch (error) {
      show(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="edit-form user-form" onSubmit={(e) => void submit(e)} data-testid="add-user">
      <h2 id="add-user-heading">{t('admin.add.title')}</h2>
      <p class="hint">{t('admin.add.intro')}</p>
      <UserFields
        idPrefix="new-user"
        values={values}
        onChange={edit}
        withName
        actors={actors}
        errors={errors}
      />
      <p role="alert" class={formError ? 'form-error' : 'visually-hidden'} data-testid="add-user-error">
        {formError}
      </p>
      <button type="submit" class="button-primary" disabled={busy}>
        {busy ? t('admin.add.busy') : t('admin.add.submit')}
      </button>
    </form>
  );
}

const valuesOf = (user: User): UserValues => ({
  name: user.name,
  email: user.email,
  roles: [...user.roles],
  actorId: user.actor_id,
});

const sameRoles = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((role) => b.includes(role));

/** The PATCH of what differs between the stored user and the form (only `version` if nothing). */
function changeOf(base: User, values: UserValues): UserChange {
  const change: UserChange = { version: base.version };
  if (values.email.trim() !== base.email) change.email = values.email.trim();
  if (!sameRoles(values.roles, base.roles)) change.roles = values.roles;
  if (values.actorId !== base.actor_id) change.actor_id = values.actorId;
  return change;
}

interface EditProps {
  user: User;
  /** The signed-in admin, who may not disable themselves. */
  selfId: number;
  actors: Actor[];
  describe: Describe;
  /** After every change the server accepted, with the user as it now is. */
  onChanged: (user: User) => void;
  onSecret: (secret: Secret) => void;
  onClose: () => void;
}

export function EditUser({ user, selfId, actors, describe, onChanged, onSecret, onClose }: EditProps) {
  const { t } = useI18n();
  const [base, setBase] = useState(user);
  const [values, setValues] = useState(() => valuesOf(user));
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const form = useErrors(describe, ['email', 'roles', 'actor_id']);
  const account = useErrors(describe, []);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  // Runs one request; the answer becomes the base, a conflict's current user too.
  const run = async (
    request: () => Promise<User>,
    errors: ReturnType<typeof useErrors>,
    after: (saved: User) => void,
  ) => {
    form.clear();
    account.clear();
    setDone('');
    setBusy(true);
    try {
      const saved = await request();
      setBase(saved);
      onChanged(saved);
      after(saved);
    } catch (error) {
      const current = conflictCurrent(error);
      if (current) {
        setBase(current);
        onChanged(current);
      }
      errors.show(error);
    } finally {
      setBusy(false);
    }
  };

  const save = (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const change = changeOf(base, values);
    if (Object.keys(change).length === 1) {
      form.clear();
      form.setFormError(t('admin.unchanged'));
      return;
    }
    void run(() => changeUser(base.id, change), form, (saved) => {
      setValues(valuesOf(saved));
      setDone(t('admin.saved', { name: saved.name }));
    });
  };
  const toggleDisabled = () =>
    void run(
      () => changeUser(base.id, { version: base.version, disabled: !base.disabled }),
      account,
      (saved) =>
        setDone(t(saved.disabled ? 'admin.disabledDone' : 'admin.enabledDone', { name: saved.name })),
    );
  const reset = () =>
    void run(() => resetPassword(base.id), account, (saved) => {
      if (saved.password) onSecret({ kind: 'reset', name: saved.name, password: saved.password });
    });

  return (
    <section class="edit-form user-edit" aria-labelledby="edit-user-heading" data-testid="edit-user">
      <h2 id="edit-user-heading" tabIndex={-1} ref={heading}>
        {t('admin.editTitle', { name: base.name })}
      </h2>
      <p role="status" class={done ? 'notice' : 'visually-hidden'} data-testid="edit-user-done">
        {done}
      </p>
      <form onSubmit={save}>
        <UserFields
          idPrefix="edit-user"
          values={values}
          onChange={(next) => {
            form.forget(values, next);
            setValues(next);
          }}
          withName={false}
          actors={actors}
          errors={form.errors}
        />
        <p
          role="alert"
          class={form.formError ? 'form-error' : 'visually-hidden'}
          data-testid="edit-user-error"
        >
          {form.formError}
        </p>
        <div class="form-actions">
          <button type="submit" class="button-primary" disabled={busy}>
            {busy ? t('admin.saving') : t('admin.save')}
          </button>
          <button type="button" class="button-plain" onClick={onClose}>
            {t('admin.close')}
          </button>
        </div>
      </form>

      <AccountActions
        user={base}
        selfId={selfId}
        busy={busy}
        error={account.formError}
        onToggle={toggleDisabled}
        onReset={reset}
      />
    </section>
  );
}

interface AccountProps {
  user: User;
  selfId: number;
  busy: boolean;
  error: string;
  onToggle: () => void;
  onReset: () => void;
}

// The account's part of the panel: disable or enable it (not one's own), reset the password
// after a confirmation, which closes once the reset is done (the user's version moves on).
function AccountActions({ user, selfId, busy, error, onToggle, onReset }: AccountProps) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  useEffect(() => setConfirming(false), [user.version]);
  return (
    <>
      <h3>{t('admin.account.title')}</h3>
      <p class="hint">{user.disabled ? t('admin.enableHint') : t('admin.disableHint')}</p>
      <div class="form-actions">
        {user.id === selfId && !user.disabled ? (
          <p class="hint">{t('admin.disableSelf')}</p>
        ) : (
          <button
            type="button"
            class="button-plain"
            disabled={busy}
            onClick={onToggle}
            data-testid="toggle-disabled"
          >
            {user.disabled ? t('admin.enable') : t('admin.disable')}
          </button>
        )}
      </div>
      <p class="hint">{t('admin.resetHint')}</p>
      {confirming ? (
        <div class="confirm" role="group" aria-labelledby="reset-confirm">
          <p id="reset-confirm">{t('admin.resetConfirm', { name: user.name })}</p>
          <div class="form-actions">
            <button
              type="button"
              class="button-primary"
              disabled={busy}
              onClick={onReset}
              data-testid="reset-yes"
            >
              {t('admin.resetYes')}
            </button>
            <button type="button" class="button-plain" onClick={() => setConfirming(false)}>
              {t('admin.resetNo')}
            </button>
          </div>
        </div>
      ) : (
        <div class="form-actions">
          <button
            type="button"
            class="button-plain"
            disabled={busy}
            onClick={() => setConfirming(true)}
            data-testid="reset-password"
          >
            {t('admin.reset')}
          </button>
        </div>
      )}
      <p role="alert" class={error ? 'form-error' : 'visually-hidden'} data-testid="edit-account-error">
        {error}
      </p>
    </>
  );
}
