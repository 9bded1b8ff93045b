import { useEffect, useMemo, useRef } from 'preact/hooks';
import { Layout } from './components/Layout';
import { I18nContext, makeTranslator } from './i18n';
import { NotFoundPage } from './pages/NotFound';
import { IndicatorPage } from './pages/Indicator';
import { IndicatorSearchPage } from './pages/IndicatorSearch';
import { StartPage } from './pages/Start';
import { useLocation } from './router';

// Path → page. Later pages (/ramverk, /aktorer, /indikatorer) are added here.
function page(path: string) {
  switch (path) {
    case '/':
    case '/index.html':
      return <StartPage />;
    case '/indikatorer':
      return <IndicatorSearchPage />;
    default:
      if (path.startsWith('/indikatorer/'))
        return <IndicatorPage key={path} code={decodeURIComponent(path.slice('/indikatorer/'.length))} />;
      return <NotFoundPage />;
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
      <Layout location={location}>{page(location.path)}</Layout>
    </I18nContext.Provider>
  );
}
