// `/logga-in`: signing in with a user name (or e-mail) and password, and the password change a
// reset demands; `?next=/path` is where to go afterwards. docs/SECURITY.md.
import { useState } from 'preact/hooks';
import type { ComponentChildren, JSX } from 'preact';
import { ApiError } from '../api';
import { useI18n } from '../i18n';
import { hrefFor, navigate, useLocation } from '../router';
import { changePassword, signIn, useSession } from '../session';

function refusal(t: ReturnType<typeof useI18n>['t'], error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'too_many_requests') {
      return t('signIn.throttled', { seconds: Number(error.details.retry_after ?? 1) });
    }
    if (error.code === 'unauthenticated') return t('signIn.wrong');
    if (error.kind === 'http' && error.code === 'invalid_value') return error.message;
  }
  return t('signIn.failed', { message: String(error instanceof Error ? error.message : error) });
}

interface FieldProps {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  type?: 'text' | 'password';
  autocomplete: string;
  name?: string;
  minLength?: number;
  describedBy?: string;
  children?: ComponentChildren;
}

/** A labelled, required input of the sign-in and password forms. */
function Field(props: FieldProps) {
  const { id, label, value, onValue, type = 'text', autocomplete, name, minLength } = props;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        autocomplete={autocomplete}
        required
        minLength={minLength}
        aria-describedby={props.describedBy}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
      {props.children}
    </div>
  );
}

// A form's submission: busy while `action` runs, its failure as a message (refusal()).
function useSubmit(action: () => Promise<void>) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const submit = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      await action();
    } catch (failure) {
      setError(refusal(t, failure));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

// Only a path of this application: never another site (an open redirect).
function nextPath(value: string | null): string {
  return value && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

export function SignInPage() {
  const { t, lang } = useI18n();
  const location = useLocation();
  const session = useSession();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const next = nextPath(location.query.get('next'));

  const { busy, error, submit } = useSubmit(async () => {
    const signed = await signIn(user, password);
    setPassword('');
    if (!signed.must_change_password) navigate(next === '/' ? hrefFor('/', lang) : next, true);
  });

  if (session?.must_change_password) return <PasswordChange next={next} />;
  return (
    <>
      <h1 tabIndex={-1}>{t('signIn.title')}</h1>
      {session && <p class="notice">{t('signIn.already', { name: session.user.name })}</p>}
      <form class="sign-in" onSubmit={(e) => void submit(e)} data-testid="sign-in-form">
        <Field
          id="sign-in-user"
          name="username"
          label={t('signIn.user')}
          value={user}
          onValue={setUser}
          autocomplete="username"
        />
        <Field
          id="sign-in-password"
          name="password"
          type="password"
          label={t('signIn.password')}
          value={password}
          onValue={setPassword}
          autocomplete="current-password"
        />
        <p role="alert" class={error ? 'form-error' : 'visually-hidden'} data-testid="sign-in-error">
          {error}
        </p>
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? t('signIn.busy') : t('signIn.submit')}
        </button>
      </form>
    </>
  );
}

function PasswordChange({ next }: { next: string }) {
  const { t, lang } = useI18n();
  return (
    <>
      <h1 tabIndex={-1}>{t('password.title')}</h1>
      <p>{t('password.mustChange')}</p>
      <PasswordForm onDone={() => navigate(next === '/' ? hrefFor('/', lang) : next, true)} />
    </>
  );
}

/** The own password's change: the current one and a new one (also on the account page). */
export function PasswordForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [fresh, setFresh] = useState('');

  const { busy, error, submit } = useSubmit(async () => {
    await changePassword(current, fresh);
    setCurrent('');
    setFresh('');
    onDone();
  });

  return (
    <form class="sign-in" onSubmit={(e) => void submit(e)} data-testid="password-form">
      <Field
        id="password-current"
        type="password"
        label={t('password.current')}
        value={current}
        onValue={setCurrent}
        autocomplete="current-password"
      />
      <Field
        id="password-new"
        type="password"
        label={t('password.new')}
        value={fresh}
        onValue={setFresh}
        autocomplete="new-password"
        minLength={12}
        describedBy="password-rule"
      >
        <span id="password-rule" class="muted">
          {t('password.rule')}
        </span>
      </Field>
      <p role="alert" class={error ? 'form-error' : 'visually-hidden'}>
        {error}
      </p>
      <button type="submit" class="button-primary" disabled={busy}>
        {t('password.submit')}
      </button>
    </form>
  );
}
