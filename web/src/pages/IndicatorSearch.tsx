// /indikatorer?q=…: search the indicators that have data; the results link to each indicator.
import { useEffect, useState } from 'preact/hooks';
import { searchIndicators } from '../api-indicators';
import { describeError, ErrorAlert } from '../components/ErrorAlert';
import { useAsync } from '../hooks';
import { useI18n } from '../i18n';
import { hrefFor, Link, navigate, useLocation } from '../router';

export function IndicatorSearchPage() {
  const { t, tn, lang } = useI18n();
  const location = useLocation();
  const q = (location.query.get('q') ?? '').trim();
  const [text, setText] = useState(q);
  // Back and forward change `q` without remounting the page: keep the field in step.
  useEffect(() => setText(q), [q]);
  const results = useAsync((signal) => searchIndicators(q, signal), [q]);

  const submit = (event: Event) => {
    event.preventDefault();
    navigate(hrefFor('/indikatorer', lang, { q: text.trim() || null }));
  };

  const errors = results.error
    ? [t('indicators.error.search', { message: describeError(t, results.error) })]
    : [];

  return (
    <>
      <h1 tabIndex={-1}>{t('indicators.title')}</h1>
      <p class="lead">{t('indicators.intro')}</p>
      <form role="search" onSubmit={submit} style={{ display: 'flex', flexWrap: 'wrap', gap: '0.5rem', alignItems: 'flex-end' }}>
        <div style={{ display: 'flex', flexDirection: 'column' }}>
          <label for="indicator-q">{t('indicators.searchLabel')}</label>
          <input
            id="indicator-q"
            type="search"
            name="q"
            value={text}
            onInput={(e) => setText((e.target as HTMLInputElement).value)}
            style={{ font: 'inherit', padding: '0.4rem', border: '1px solid #4a5360', borderRadius: '4px', maxWidth: '100%' }}
          />
        </div>
        <button type="submit" class="button">
          {t('indicators.searchButton')}
        </button>
      </form>
      <ErrorAlert messages={errors} onRetry={results.reload} />
      <section aria-labelledby="indicator-results-heading" aria-busy={results.loading}>
        <h2 id="indicator-results-heading">{t('indicators.results')}</h2>
        {results.loading && !results.data ? (
          <p class="loading">{t('loading')}</p>
        ) : results.data ? (
          <>
            <p data-testid="indicator-count">
              {q
                ? tn('indicators.found', results.data.total, { q })
                : tn('indicators.all', results.data.total)}
              {results.data.total > results.data.items.length &&
                ` ${t('indicators.showing', { shown: results.data.items.length })}`}
            </p>
            <ul data-testid="indicator-results">
              {results.data.items.map((indicator) => (
                <li key={indicator.code} style={{ marginBottom: '0.5rem' }}>
                  <Link href={hrefFor(`/indikatorer/${encodeURIComponent(indicator.code)}`, lang)}>
                    {indicator.title}
                  </Link>{' '}
                  <span class="meta">
                    {t('indicators.resultMeta', {
                      code: indicator.code,
                      from: indicator.first_period ?? '',
                      to: indicator.last_period ?? '',
                    })}
                  </span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </>
  );
}
