import { useEffect, useMemo, useRef } from 'preact/hooks';
import { Layout } from './components/Layout';
import { I18nContext, makeTranslator } from './i18n';
import { NotFoundPage } from './pages/NotFound';
import { StartPage } from './pages/Start';
import { ActorPage, ActorsPage } from './pages/Actors';
import { FrameworkPage } from './pages/Framework';
import { FrameworkMeasurePage, NewMeasurePage } from './pages/FrameworkMeasure';
import { IndicatorPage } from './pages/Indicator';
import { IndicatorSearchPage } from './pages/IndicatorSearch';
import { AreaListPage, AreaProfilePage } from './pages/AreaProfile';
import { FrameworkListPage } from './pages/FrameworkList';
import { MapPage } from './pages/Map';
import { SignInPage } from './pages/SignIn';
import { AccountPage } from './pages/Account';
import { FetchPage } from './pages/Fetch';
import { AdminUsersPage } from './pages/AdminUsers';
import { AdminAuditPage } from './pages/AdminAudit';
import { useLocation, type Location } from './router';

// Pages with ids in their path: /ramverk/:id, /ramverk/:id/atgard/:measureId,
// /ramverk/:id/ny-atgard, /aktorer/:id, /indikatorer/:code, /omraden/:code.
function pageWithIds(location: Location) {
  const path = location.path.replace(/\/+$/, '');
  let m = /^\/ramverk\/(\d+)$/.exec(path);
  if (m) return <FrameworkPage key={m[1]} id={Number(m[1])} location={location} />;
  m = /^\/ramverk\/(\d+)\/atgard\/(\d+)$/.exec(path);
  if (m) return <FrameworkMeasurePage frameworkId={Number(m[1])} measureId={Number(m[2])} />;
  m = /^\/ramverk\/(\d+)\/ny-atgard$/.exec(path);
  if (m) return <NewMeasurePage key={m[1]} frameworkId={Number(m[1])} />;
  m = /^\/aktorer\/(\d+)$/.exec(path);
  if (m) return <ActorPage key={m[1]} id={Number(m[1])} />;
  m = /^\/indikatorer\/([^/]+)$/.exec(path);
  if (m) return <IndicatorPage key={m[1]} code={decodeURIComponent(m[1])} />;
  m = /^\/omraden(?:\/([^/]+))?$/.exec(path);
  if (m) return m[1] ? <AreaProfilePage key={m[1]} code={decodeURIComponent(m[1])} /> : <AreaListPage />;
  return <NotFoundPage />;
}

// Path → page.
function page(path: string, location: Location) {
  switch (path) {
    case '/':
    case '/index.html':
      return <StartPage />;
    case '/ramverk':
      return <FrameworkListPage />;
    case '/aktorer':
      return <ActorsPage />;
    case '/karta':
      return <MapPage location={location} />;
    case '/indikatorer':
      return <IndicatorSearchPage />;
    case '/logga-in':
      return <SignInPage />;
    case '/konto':
      return <AccountPage />;
    case '/hamta':
      return <FetchPage />;
    case '/admin/anvandare':
      return <AdminUsersPage />;
    case '/admin/logg':
      return <AdminAuditPage />;
    default:
      return pageWithIds(location);
  }
}

export function App() {
  const location = useLocation();
  const i18n = useMemo(() => makeTranslator(location.lang), [location.lang]);
  const firstPath = useRef(true);

  useEffect(() => {
    document.documentElement.lang = i18n.lang;
  }, [i18n]);

  useEffect(() => {
    const heading = document.querySelector('main h1');
    document.title = heading?.textContent
      ? `${heading.textContent} – ${i18n.t('app.name')}`
      : i18n.t('app.name');
  });

  // After navigating to another page, move focus to its heading so that a screen reader
  // announces the new page (not on the first load, and not on a language switch).
  useEffect(() => {
    if (firstPath.current) {
      firstPath.current = false;
      return;
    }
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [location.path]);

  return (
    <I18nContext.Provider value={i18n}>
      <Layout location={location}>{page(location.path, location)}</Layout>
    </I18nContext.Provider>
  );
}
