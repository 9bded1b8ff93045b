// What a page shows when the API answers 404 for its framework or measure: it does not exist, or
// it belongs to a draft framework, which only signed-in users read (docs/SECURITY.md,
// "Reading"). An answer, not a failure: no alert and no retry; a visitor is offered to sign in
// and come back.
import { ApiError } from '../api';
import { useI18n } from '../i18n';
import { hrefFor, Link, useLocation } from '../router';
import { useSession } from '../session';

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

export function Missing({ what }: { what: 'framework' | 'measure' }) {
  const { t, lang } = useI18n();
  const location = useLocation();
  const session = useSession();
  const here = `${location.path}${location.query.toString() ? `?${location.query}` : ''}`;
  return (
    <div data-testid="missing">
      <h1 tabIndex={-1}>{t(what === 'framework' ? 'missing.framework' : 'missing.measure')}</h1>
      <p>{t(session ? 'missing.text' : 'missing.textVisitor')}</p>
      {session === null && (
        <p>
          <Link href={hrefFor('/logga-in', lang, { next: here })}>{t('missing.signIn')}</Link>
        </p>
      )}
      <p>
        <Link href={hrefFor('/', lang)}>{t('notFound.back')}</Link>
      </p>
    </div>
  );
}
