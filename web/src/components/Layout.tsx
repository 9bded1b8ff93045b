import type { ComponentChildren } from 'preact';
import { useI18n, type Lang, type MessageKey } from '../i18n';
import { hrefFor, hrefWithLang, Link, type Location } from '../router';
import { hasRole, useSession, type Role } from '../session';
import { AccountMenu } from './AccountMenu';

interface NavItem {
  path: string;
  label: MessageKey;
  role?: Role;  // shown only to a session with this role (or admin)
}

const navItems: NavItem[] = [
  { path: '/', label: 'nav.start' },
  { path: '/ramverk', label: 'nav.frameworks' },
  { path: '/aktorer', label: 'nav.actors' },
  { path: '/indikatorer', label: 'indicators.nav' },
  { path: '/omraden', label: 'profile.nav' },
  { path: '/karta', label: 'map.nav' },
  { path: '/hamta', label: 'fetch.nav', role: 'analyst' },
];

interface Props {
  location: Location;
  children: ComponentChildren;
}

export function Layout({ location, children }: Props) {
  const { t, lang } = useI18n();
  const otherLang = t('lang.switchCode') as Lang;
  const session = useSession();
  return (
    <>
      <a class="skip-link" href="#main">
        {t('skip')}
      </a>
      <header class="site-header">
        <div class="header-inner">
          <Link class="brand" href={hrefFor('/', lang)}>
            <span class="brand-name">{t('app.name')}</span>
            <span class="brand-tagline">{t('app.tagline')}</span>
          </Link>
          <nav aria-label={t('nav.label')}>
            <ul class="nav-list">
              {navItems.filter((item) => !item.role || hasRole(session, item.role)).map((item) => (
                <li key={item.path}>
                  <Link
                    href={hrefFor(item.path, lang)}
                    aria-current={location.path === item.path ? 'page' : undefined}
                    class={
                      item.path !== '/' && location.path.startsWith(`${item.path}/`)
                        ? 'nav-section'
                        : undefined
                    }
                  >
                    {t(item.label)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <AccountMenu />
          <Link
            class="lang-switch"
            href={hrefWithLang(location, otherLang)}
            lang={otherLang}
            hrefLang={otherLang}
            data-testid="lang-switch"
          >
            {t('lang.switch')}
          </Link>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
