// `/konto`: the signed-in user's own account: who they are and for which organisation, their
// roles, the password change, and their personal API tokens (made, shown once, revoked).
// docs/SECURITY.md.
import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { getJson, sendJson, type List } from '../api';
import { describeError, ErrorAlert } from '../components/ErrorAlert';
import { useAsync } from '../hooks';
import { useI18n } from '../i18n';
import { hrefFor, Link } from '../router';
import { useSession } from '../session';
import { PasswordForm } from './SignIn';

interface Token {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked: boolean;
  token?: string;
}

export function AccountPage() {
  const { t, tk, lang, formatDateTime } = useI18n();
  const session = useSession();
  const [round, setRound] = useState(0);
  const tokens = useAsync(
    (signal) =>
      session ? getJson<List<Token>>('/tokens', {}, signal) : Promise.resolve(null),
    [session?.user.id, round],
  );
  const [name, setName] = useState('');
  const [made, setMade] = useState<Token | null>(null);
  const [error, setError] = useState('');
  const [passwordChanged, setPasswordChanged] = useState(false);

  if (session === undefined) return <p class="loading">{t('loading')}</p>;
  if (session === null) {
    return (
      <>
        <h1 tabIndex={-1}>{t('account.title')}</h1>
        <p class="notice">
          {t('account.signedOut')}{' '}
          <Link href={hrefFor('/logga-in', lang, { next: '/konto' })}>{t('account.signIn')}</Link>
        </p>
      </>
    );
  }

  const create = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError('');
    try {
      setMade(await sendJson<Token>('POST', '/tokens', { name }));
      setName('');
      setRound((n) => n + 1);
    } catch (failure) {
      setError(describeError(t, failure));
    }
  };
  const revoke = async (id: number) => {
    setError('');
    try {
      await sendJson<Token>('DELETE', `/tokens/${id}`, undefined);
      if (made?.id === id) setMade(null);
      setRound((n) => n + 1);
    } catch (failure) {
      setError(describeError(t, failure));
    }
  };
  const when = (value: string | null) => (value ? formatDateTime(value) : t('account.never'));

  return (
    <>
      <h1 tabIndex={-1}>{t('account.title')}</h1>
      <dl class="fields" data-testid="account-fields">
        <dt>{t('account.name')}</dt>
        <dd>{session.user.name}</dd>
        <dt>{t('account.email')}</dt>
        <dd>{session.user.email}</dd>
        <dt>{t('account.organisation')}</dt>
        <dd>{session.actor?.name ?? t('account.none')}</dd>
        <dt>{t('account.roles')}</dt>
        <dd>{session.roles.map((role) => tk(`role.${role}`, role)).join(', ') || t('account.none')}</dd>
      </dl>

      <section aria-labelledby="password-heading">
        <h2 id="password-heading">{t('password.title')}</h2>
        {passwordChanged && (
          <p class="notice" role="status">
            {t('account.passwordChanged')}
          </p>
        )}
        <PasswordForm onDone={() => setPasswordChanged(true)} />
      </section>

      <section aria-labelledby="tokens-heading" aria-busy={tokens.loading}>
        <h2 id="tokens-heading">{t('account.tokens')}</h2>
        <p>{t('account.tokensIntro')}</p>
        <ErrorAlert
          messages={[
            ...(tokens.error ? [describeError(t, tokens.error)] : []),
            ...(error ? [error] : []),
          ]}
          onRetry={() => setRound((n) => n + 1)}
        />
        {made?.token && (
          <div class="notice" role="status" data-testid="token-made">
            <p>{t('account.tokenOnce', { name: made.name })}</p>
            <code class="token">{made.token}</code>
          </div>
        )}
        <form class="sign-in" onSubmit={(e) => void create(e)}>
          <div class="field">
            <label for="token-name">{t('account.tokenName')}</label>
            <input
              id="token-name"
              required
              maxLength={100}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          </div>
          <button type="submit" class="button-primary">
            {t('account.tokenCreate')}
          </button>
        </form>
        {tokens.data && tokens.data.items.length > 0 && (
          <div class="table-wrap">
            <table class="data" data-testid="tokens">
              <caption class="visually-hidden">{t('account.tokens')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('account.tokenName')}</th>
                  <th scope="col">{t('account.tokenPrefix')}</th>
                  <th scope="col">{t('account.tokenExpires')}</th>
                  <th scope="col">{t('account.tokenUsed')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('account.tokenActions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.data.items.map((token) => (
                  <tr key={token.id}>
                    <td>{token.name}</td>
                    <td>
                      <code>{token.prefix}…</code>
                    </td>
                    <td>{when(token.expires_at)}</td>
                    <td>{when(token.last_used_at)}</td>
                    <td>
                      {token.revoked ? (
                        t('account.tokenRevoked')
                      ) : (
                        <button
                          type="button"
                          class="button-plain"
                          onClick={() => void revoke(token.id)}
                          aria-label={t('account.tokenRevokeNamed', { name: token.name })}
                        >
                          {t('account.tokenRevoke')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
