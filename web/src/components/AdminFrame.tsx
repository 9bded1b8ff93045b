// What the admin's pages (/admin/…) share: the heading, the explanation for whoever may not see
// them (not signed in: a sign-in link; a password to change first; signed in without the admin
// role: only administrators), and for admins the links between the admin pages. The page's
// content is rendered only for an admin, so it asks the API nothing otherwise; the API refuses
// anyway (docs/SECURITY.md).
import type { ComponentChildren } from 'preact';
import { useI18n, type MessageKey } from '../i18n';
import './AdminFrame.css';
import { hrefFor, Link } from '../router';
import { useSession } from '../session';

export const adminPages: readonly { path: string; title: MessageKey }[] = [
  { path: '/admin/anvandare', title: 'admin.users.title' },
  { path: '/admin/logg', title: 'admin.audit.title' },
];

interface Props {
  path: string;
  title: MessageKey;
  children: ComponentChildren;
}

export function AdminFrame({ path, title, children }: Props) {
  const { t, tk, lang } = useI18n();
  const session = useSession();
  if (session === undefined) return <p class="loading">{t('loading')}</p>;
  const heading = <h1 tabIndex={-1}>{t(title)}</h1>;
  if (session === null) {
    return (
      <>
        {heading}
        <p class="notice" data-testid="admin-refused">
          {t('admin.gate.signedOut')}{' '}
          <Link href={hrefFor('/logga-in', lang, { next: path })}>{t('admin.gate.signIn')}</Link>
        </p>
      </>
    );
  }
  if (session.must_change_password) {
    return (
      <>
        {heading}
        <p class="notice" data-testid="admin-refused">
          {t('admin.gate.changePassword')}{' '}
          <Link href={hrefFor('/logga-in', lang, { next: path })}>
            {t('admin.gate.changePasswordLink')}
          </Link>
        </p>
      </>
    );
  }
  if (!session.roles.includes('admin')) {
    const roles = session.roles.map((role) => tk(`role.${role}`, role)).join(', ');
    return (
      <>
        {heading}
        <p class="notice" data-testid="admin-refused">
          {t('admin.gate.notAdmin', {
            name: session.user.name,
            roles: roles || t('admin.noRoles').toLowerCase(),
          })}{' '}
          <Link href={hrefFor('/konto', lang)}>{t('admin.gate.account')}</Link>
        </p>
      </>
    );
  }
  return (
    <>
      {heading}
      <nav aria-label={t('admin.nav.label')} class="admin-nav">
        <ul>
          {adminPages.map((page) => (
            <li key={page.path}>
              <Link
                href={hrefFor(page.path, lang)}
                aria-current={page.path === path ? 'page' : undefined}
              >
                {t(page.title)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {children}
    </>
  );
}
