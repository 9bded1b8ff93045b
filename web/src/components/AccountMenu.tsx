// The header's account corner: "Logga in", or who is signed in (and for which organisation)
// with a sign-out button, and for an admin the way to the admin's pages (users, audit log).
import { useI18n } from '../i18n';
import { hrefFor, Link, navigate, useLocation } from '../router';
import { signOut, useSession } from '../session';

export function AccountMenu() {
  const { t, lang } = useI18n();
  const location = useLocation();
  const session = useSession();
  if (session === undefined) return null;
  if (session === null) {
    const here = `${location.path}${location.query.toString() ? `?${location.query}` : ''}`;
    return (
      <Link
        class="account-link"
        href={hrefFor('/logga-in', lang, location.path === '/logga-in' ? {} : { next: here })}
        data-testid="sign-in-link"
      >
        {t('account.signIn')}
      </Link>
    );
  }
  const organisation = session.actor?.name;
  return (
    <div class="account" data-testid="account">
      <Link href={hrefFor('/konto', lang)} data-testid="account-page-link">
        {organisation
          ? t('account.signedInFor', { name: session.user.name, organisation })
          : t('account.signedIn', { name: session.user.name })}
      </Link>
      {session.roles.includes('admin') && (
        <Link
          href={hrefFor('/admin/anvandare', lang)}
          aria-current={location.path === '/admin/anvandare' ? 'page' : undefined}
          data-testid="admin-link"
        >
          {t('admin.menu')}
        </Link>
      )}
      <button
        type="button"
        class="account-link"
        onClick={() => void signOut().then(() => navigate(hrefFor('/', lang)))}
        data-testid="sign-out"
      >
        {t('account.signOut')}
      </button>
    </div>
  );
}
