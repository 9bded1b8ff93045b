// Every framework (declarations, programmes, action plans, strategies), filtered by kind and
// status in the URL, each with its measures by status.
import type { FrameworkKind, FrameworkStatus } from '../api';
import { ErrorAlert } from '../components/ErrorAlert';
import { useAsync } from '../hooks';
import { useI18n } from '../i18n';
import { hrefFor, navigate, useLocation } from '../router';
import { FrameworkCard, frameworkErrors, loadFrameworks } from './Start';

const kinds: readonly FrameworkKind[] = ['declaration', 'programme', 'action_plan', 'strategy'];
const statuses: readonly FrameworkStatus[] = ['draft', 'adopted', 'archived'];

export function FrameworkListPage() {
  const i18n = useI18n();
  const { t, tk, tn, lang } = i18n;
  const location = useLocation();
  const frameworks = useAsync(loadFrameworks, []);
  const kind = location.query.get('kind');
  const status = location.query.get('status');

  const errors = frameworkErrors(t, frameworks);

  const shown = (frameworks.data ?? []).filter(
    (s) => (!kind || s.framework.kind === kind) && (!status || s.framework.status === status),
  );
  const setFilter = (name: 'kind' | 'status', value: string) =>
    navigate(
      hrefFor('/ramverk', lang, { kind, status, [name]: value === '' ? null : value }),
      true,
    );

  return (
    <>
      <h1 tabIndex={-1}>{t('fwlist.title')}</h1>
      <p class="lead">{t('fwlist.intro')}</p>
      <ErrorAlert messages={errors} onRetry={frameworks.reload} />
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('fwlist.filters')}>
        <label>
          {t('fwlist.kind')}
          <select
            value={kind ?? ''}
            onChange={(e) => setFilter('kind', e.currentTarget.value)}
            data-testid="fwlist-kind"
          >
            <option value="">{t('fw.all')}</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {tk(`kind.${k}`, k)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('fwlist.status')}
          <select
            value={status ?? ''}
            onChange={(e) => setFilter('status', e.currentTarget.value)}
            data-testid="fwlist-status"
          >
            <option value="">{t('fw.all')}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {tk(`fwstatus.${s}`, s)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <section aria-busy={frameworks.loading} aria-live="polite">
        {frameworks.loading && !frameworks.data ? (
          <p class="loading">{t('loading')}</p>
        ) : frameworks.data ? (
          <>
            <p data-testid="fwlist-count">
              {tn('fwlist.showing', shown.length, { total: frameworks.data.length })}
            </p>
            <ul class="cards">
              {shown.map((summary) => (
                <FrameworkCard key={summary.framework.id} summary={summary} i18n={i18n} />
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </>
  );
}
