import {
  getAdoptions,
  getAll,
  getJson,
  measureStatuses,
  type Framework,
  type HistoryEntry,
  type List,
  type MeasureFull,
  type MeasureStatus,
} from '../api';
import { describeError, ErrorAlert } from '../components/ErrorAlert';
import { useAsync } from '../hooks';
import { useI18n, type Translator } from '../i18n';
import { hrefFor, Link } from '../router';

export interface FrameworkSummary {
  framework: Framework;
  /** Measures per status, or the failure that kept them from us. */
  counts: Record<MeasureStatus, number> | null;
  total: number;
  /** The actors involved: responsible (or inheriting), partners, and those who adopted it. */
  actors: number;
  error: unknown;
}

export async function loadFrameworks(signal: AbortSignal): Promise<FrameworkSummary[]> {
  const [frameworks, adoptions] = await Promise.all([
    getJson<List<Framework>>('/frameworks', { limit: 1000 }, signal),
    getAdoptions({}, signal),
  ]);
  const results = await Promise.allSettled(
    frameworks.items.map((framework) =>
      getAll<MeasureFull>('/measures', { framework_id: framework.id }, signal),
    ),
  );
  return frameworks.items.map((framework, i) => {
    const result = results[i];
    if (result.status === 'rejected')
      return { framework, counts: null, total: 0, actors: 0, error: result.reason };
    const actors = new Set(
      adoptions.filter((a) => a.framework_id === framework.id).map((a) => a.actor_id),
    );
    for (const m of result.value) {
      for (const r of m.responsible) actors.add(r.actor_id);
      if (m.inherited_responsible) actors.add(m.inherited_responsible.actor_id);
      for (const p of m.partners) actors.add(p.actor_id);
    }
    const counts = Object.fromEntries(measureStatuses.map((s) => [s, 0])) as Record<
      MeasureStatus,
      number
    >;
    for (const measure of result.value)
      if (measure.status in counts) counts[measure.status] += 1;
    return { framework, counts, total: result.value.length, actors: actors.size, error: undefined };
  });
}

/** The failures of `loadFrameworks`, in words: the list's, then each framework's measures'. */
export function frameworkErrors(
  t: Translator['t'],
  frameworks: { error: unknown; data?: FrameworkSummary[] },
): string[] {
  const errors: string[] = [];
  if (frameworks.error)
    errors.push(t('error.frameworks', { message: describeError(t, frameworks.error) }));
  for (const summary of frameworks.data ?? [])
    if (summary.error)
      errors.push(
        t('error.measures', {
          title: summary.framework.short_title ?? summary.framework.title,
          message: describeError(t, summary.error),
        }),
      );
  return errors;
}

function loadHistory(signal: AbortSignal): Promise<List<HistoryEntry>> {
  return getJson<List<HistoryEntry>>('/history', { limit: 10 }, signal);
}

const nameFields = ['title', 'short_title', 'name', 'code', 'text'] as const;

/** What a history entry is about, in the entity's own words (title, name, code or text). */
function entryName(entry: HistoryEntry): string {
  const state = entry.after ?? entry.before ?? {};
  for (const field of nameFields) {
    const value = state[field];
    if (typeof value === 'string' && value.trim() !== '') {
      const text = value.trim();
      return text.length > 90 ? `${text.slice(0, 89)}…` : text;
    }
  }
  return `#${entry.entity_id}`;
}

export function FrameworkCard({ summary, i18n }: { summary: FrameworkSummary; i18n: Translator }) {
  const { t, tn, tk, formatNumber } = i18n;
  const { framework, counts, total, actors } = summary;
  const headingId = `framework-${framework.id}`;
  const years =
    framework.valid_from !== null || framework.valid_to !== null
      ? t('start.validYears', { from: framework.valid_from ?? '', to: framework.valid_to ?? '' })
      : null;
  return (
    <li class="card" data-testid="framework">
      <h3 id={headingId}>
        <Link href={hrefFor(`/ramverk/${framework.id}`, i18n.lang)}>{framework.title}</Link>
      </h3>
      <p class="meta">
        {tk(`kind.${framework.kind}`, framework.kind)}
        {' · '}
        {tk(`fwstatus.${framework.status}`, framework.status)}
        {years && ` · ${years}`}
        {framework.read_only && ` · ${t('start.readOnly')}`}
      </p>
      {actors > 0 && <p class="meta" data-testid="framework-actors">{tn('start.actors', actors)}</p>}
      {counts === null ? null : total === 0 ? (
        <p>{t('start.noMeasures')}</p>
      ) : (
        <>
          <p class="total">{tn('start.measures', total)}</p>
          <table class="counts">
            <caption class="visually-hidden">
              {t('start.measuresByStatus')}: {framework.title}
            </caption>
            <tbody>
              {measureStatuses
                .filter((status) => counts[status] > 0)
                .map((status) => (
                  <tr key={status}>
                    <th scope="row">
                      <span class={`dot status-${status}`} aria-hidden="true" />
                      {tk(`status.${status}`, status)}
                    </th>
                    <td>{formatNumber(counts[status])}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </>
      )}
    </li>
  );
}

export function StartPage() {
  const i18n = useI18n();
  const { t, tk, formatDateTime } = i18n;
  const frameworks = useAsync(loadFrameworks, []);
  const history = useAsync(loadHistory, []);

  const errors = frameworkErrors(t, frameworks);
  if (history.error) errors.push(t('error.history', { message: describeError(t, history.error) }));

  const retry = () => {
    frameworks.reload();
    history.reload();
  };

  return (
    <>
      <h1 tabIndex={-1}>{t('start.title')}</h1>
      <p class="lead">{t('start.intro')}</p>
      <ErrorAlert messages={errors} onRetry={retry} />

      <section aria-labelledby="frameworks-heading" aria-busy={frameworks.loading}>
        <h2 id="frameworks-heading">{t('start.frameworks')}</h2>
        {frameworks.loading && !frameworks.data ? (
          <p class="loading">{t('loading')}</p>
        ) : frameworks.data && frameworks.data.length === 0 ? (
          <p>{t('start.noFrameworks')}</p>
        ) : frameworks.data ? (
          <ul class="cards">
            {frameworks.data.map((summary) => (
              <FrameworkCard key={summary.framework.id} summary={summary} i18n={i18n} />
            ))}
          </ul>
        ) : null}
      </section>

      <section aria-labelledby="history-heading" aria-busy={history.loading}>
        <h2 id="history-heading">{t('start.history')}</h2>
        {history.loading && !history.data ? (
          <p class="loading">{t('loading')}</p>
        ) : history.data && history.data.items.length === 0 ? (
          <p>{t('start.noHistory')}</p>
        ) : history.data ? (
          <ol class="history" data-testid="history">
            {history.data.items.map((entry) => (
              <li key={entry.seq}>
                <span class="history-what">
                  {t('history.entry', {
                    action: tk(`action.${entry.action}`, entry.action),
                    entity: tk(`entity.${entry.entity}`, t('entity.other')),
                  })}
                  {': '}
                  <span class="history-name">{entryName(entry)}</span>
                </span>
                <span class="meta">
                  <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>{' '}
                  {t('history.by', { user: entry.user })}
                </span>
              </li>
            ))}
          </ol>
        ) : null}
      </section>
    </>
  );
}
