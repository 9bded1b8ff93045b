// /hamta?jobb=ID: fetch statistics from Kolada or PxWeb (docs/indicators.md, "Fetching"): the
// form starts a job (POST /fetches), the job's state and progress are polled live, and the recent
// jobs are listed. The job being watched lives in the URL, so a reload keeps watching it; it is
// shown above the form, where the eye is after starting.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import {
  cancelFetch,
  getFetch,
  listFetches,
  splitCodes,
  splitLines,
  startFetch,
  unfinishedStates,
  type FetchJob,
} from '../api-fetches';
import { describeError, ErrorAlert } from '../components/ErrorAlert';
import { useAsync } from '../hooks';
import { useI18n, type Translator } from '../i18n';
import { hrefFor, Link, navigate, useLocation } from '../router';
import { hasRole, useSession } from '../session';

const pollEveryMs = 1000;
const listEveryMs = 3000;

type Source = 'kolada' | 'pxweb';
type Areas = 'listed' | 'all_municipalities' | 'regions' | 'every';

interface Form {
  source: Source;
  kpis: string;
  areas: Areas;
  municipalities: string;
  years: string;
  baseUrl: string;
  tableUrl: string;
  selects: string;
  query: string;
  dryRun: boolean;
}

const emptyForm: Form = {
  source: 'kolada',
  kpis: '',
  areas: 'listed',
  municipalities: '',
  years: '',
  baseUrl: '',
  tableUrl: '',
  selects: '',
  query: '',
  dryRun: false,
};

/** The request body of the form; a query that is not JSON is an error in the reader's words. */
function bodyOf(form: Form): Record<string, unknown> | 'badQuery' {
  const body: Record<string, unknown> = { source: form.source, dry_run: form.dryRun };
  if (form.source === 'kolada') {
    body.kpis = splitCodes(form.kpis);
    if (form.areas === 'listed') body.municipalities = splitCodes(form.municipalities);
    if (form.areas === 'all_municipalities') body.all_municipalities = true;
    if (form.areas === 'regions') body.regions = true;
    if (form.years.trim()) body.years = form.years.trim();
    if (form.baseUrl.trim()) body.base_url = form.baseUrl.trim();
    return body;
  }
  body.table_url = form.tableUrl.trim();
  const selects = splitLines(form.selects);
  if (selects.length > 0) body.select = selects;
  if (form.query.trim()) {
    try {
      body.query = JSON.parse(form.query) as unknown;
    } catch {
      return 'badQuery';
    }
  }
  return body;
}

/** A job's state in words, with its progress. */
function stateText(t: Translator['t'], tk: Translator['tk'], job: FetchJob): string {
  const { done = 0, total = 0 } = job.progress;
  if (job.state === 'running' && total > 0)
    return t('fetch.progress.fetch', { done, total });
  if (job.state === 'importing' && total > 0)
    return t('fetch.progress.import', { percent: Math.floor((100 * done) / total) });
  return tk(`fetch.state.${job.state}`, job.state);
}

function isUnfinished(job: FetchJob): boolean {
  return unfinishedStates.includes(job.state);
}

/** What a job fetches, in one line: KPIs or the table. */
function jobSubject(job: FetchJob): string {
  const p = job.parameters;
  if (job.source === 'kolada') return (p.kpis as string[] | undefined)?.join(', ') ?? '';
  return String(p.table_url ?? '');
}

export function FetchPage() {
  const { t, tk, lang } = useI18n();
  const location = useLocation();
  const watched = Number(location.query.get('jobb')) || null;
  // Fetching is for analysts (docs/SECURITY.md): others see the jobs but start none.
  const session = useSession();
  const mayFetch = hasRole(session, 'analyst');
  const [form, setForm] = useState<Form>(emptyForm);
  const [startError, setStartError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [listRound, setListRound] = useState(0);
  const recent = useAsync((signal) => listFetches(20, signal), [listRound]);
  // While a listed job is unfinished, the list is read again every few seconds.
  const listRunning = recent.data?.items.some(isUnfinished) ?? false;
  useEffect(() => {
    if (!listRunning) return undefined;
    const timer = window.setTimeout(() => setListRound((n) => n + 1), listEveryMs);
    return () => window.clearTimeout(timer);
  }, [listRunning, recent.data]);

  const set = (changes: Partial<Form>) => setForm((previous) => ({ ...previous, ...changes }));
  const text = (name: keyof Form) => (e: Event) =>
    set({ [name]: (e.target as HTMLInputElement).value } as Partial<Form>);

  const submit = async (event: Event) => {
    event.preventDefault();
    const body = bodyOf(form);
    if (body === 'badQuery') {
      setStartError(t('fetch.error.queryJson'));
      return;
    }
    setStarting(true);
    setStartError(null);
    try {
      const job = await startFetch(body);
      navigate(hrefFor('/hamta', lang, { jobb: job.id }));
      setListRound((n) => n + 1);
    } catch (error) {
      setStartError(startErrorText(t, error));
    } finally {
      setStarting(false);
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>{t('fetch.title')}</h1>
      <p class="lead">{t('fetch.intro')}</p>
      {watched && (
        <JobPanel key={watched} id={watched} onEnd={() => setListRound((n) => n + 1)} />
      )}
      {session !== undefined && !mayFetch && (
        <p class="notice" data-testid="fetch-why">
          {t('fetch.why')}{' '}
          {!session && (
            <Link href={hrefFor('/logga-in', lang, { next: '/hamta' })}>{t('account.signIn')}</Link>
          )}
        </p>
      )}
      <form class="fetch-form" onSubmit={submit} aria-describedby="fetch-intro-note">
        <fieldset class="fetch-choice">
          <legend>{t('fetch.source')}</legend>
          {(['kolada', 'pxweb'] as Source[]).map((source) => (
            <label key={source}>
              <input
                type="radio"
                name="source"
                value={source}
                checked={form.source === source}
                onChange={() => set({ source })}
              />
              {tk(`fetch.source.${source}`, source)}
            </label>
          ))}
        </fieldset>
        {form.source === 'kolada' ? (
          <KoladaFields form={form} set={set} text={text} />
        ) : (
          <PxWebFields form={form} text={text} />
        )}
        <label class="fetch-check">
          <input
            type="checkbox"
            checked={form.dryRun}
            onChange={(e) => set({ dryRun: (e.target as HTMLInputElement).checked })}
          />
          {t('fetch.dryRun')}
        </label>
        <p id="fetch-intro-note" class="meta">
          {t('fetch.note')}
        </p>
        <button type="submit" class="button button-primary" disabled={starting || !mayFetch}>
          {starting ? t('fetch.starting') : t('fetch.start')}
        </button>
      </form>
      <ErrorAlert messages={startError ? [startError] : []} />
      <section aria-labelledby="fetch-recent-heading" aria-busy={recent.loading}>
        <h2 id="fetch-recent-heading">{t('fetch.recent')}</h2>
        <ErrorAlert
          messages={
            recent.error ? [t('fetch.error.list', { message: describeError(t, recent.error) })] : []
          }
          onRetry={recent.reload}
        />
        {recent.data && recent.data.items.length === 0 && <p>{t('fetch.recentNone')}</p>}
        {recent.data && recent.data.items.length > 0 && (
          <RecentTable jobs={recent.data.items} watched={watched} />
        )}
      </section>
    </>
  );
}

/** A refused start in words: the field the API names, and its message. */
function startErrorText(t: Translator['t'], error: unknown): string {
  if (error instanceof ApiError && error.kind === 'http') {
    if (error.code === 'unavailable') return t('fetch.error.busy');
    const field = typeof error.details.field === 'string' ? error.details.field : null;
    const message = error.message.replace(/^\S+: \d+ /, '');
    return field
      ? t('fetch.error.field', { field, message })
      : t('fetch.error.start', { message });
  }
  return t('fetch.error.start', { message: describeError(t, error) });
}

interface FieldProps {
  form: Form;
  text: (name: keyof Form) => (e: Event) => void;
}

function KoladaFields({ form, set, text }: FieldProps & { set: (changes: Partial<Form>) => void }) {
  const { t, tk } = useI18n();
  return (
    <div class="fetch-fields">
      <div class="field">
        <label for="fetch-kpis">{t('fetch.kpis')}</label>
        <input id="fetch-kpis" required value={form.kpis} onInput={text('kpis')} aria-describedby="fetch-kpis-hint" />
        <span id="fetch-kpis-hint" class="meta">{t('fetch.kpisHint')}</span>
      </div>
      <fieldset class="fetch-choice">
        <legend>{t('fetch.areas')}</legend>
        {(['listed', 'all_municipalities', 'regions', 'every'] as Areas[]).map((areas) => (
          <label key={areas}>
            <input
              type="radio"
              name="areas"
              value={areas}
              checked={form.areas === areas}
              onChange={() => set({ areas })}
            />
            {tk(`fetch.areas.${areas}`, areas)}
          </label>
        ))}
      </fieldset>
      {form.areas === 'listed' && (
        <div class="field">
          <label for="fetch-municipalities">{t('fetch.municipalities')}</label>
          <input
            id="fetch-municipalities"
            required
            value={form.municipalities}
            onInput={text('municipalities')}
            aria-describedby="fetch-municipalities-hint"
          />
          <span id="fetch-municipalities-hint" class="meta">{t('fetch.municipalitiesHint')}</span>
        </div>
      )}
      <div class="field">
        <label for="fetch-years">{t('fetch.years')}</label>
        <input id="fetch-years" value={form.years} onInput={text('years')} aria-describedby="fetch-years-hint" />
        <span id="fetch-years-hint" class="meta">{t('fetch.yearsHint')}</span>
      </div>
      <details class="fetch-advanced">
        <summary>{t('fetch.advanced')}</summary>
        <div class="field">
          <label for="fetch-base-url">{t('fetch.baseUrl')}</label>
          <input id="fetch-base-url" type="url" value={form.baseUrl} onInput={text('baseUrl')} placeholder="https://api.kolada.se" />
        </div>
      </details>
    </div>
  );
}

function PxWebFields({ form, text }: FieldProps) {
  const { t } = useI18n();
  return (
    <div class="fetch-fields">
      <div class="field">
        <label for="fetch-table-url">{t('fetch.tableUrl')}</label>
        <input id="fetch-table-url" type="url" required value={form.tableUrl} onInput={text('tableUrl')} aria-describedby="fetch-table-url-hint" />
        <span id="fetch-table-url-hint" class="meta">{t('fetch.tableUrlHint')}</span>
      </div>
      <div class="field">
        <label for="fetch-selects">{t('fetch.selects')}</label>
        <textarea id="fetch-selects" rows={3} value={form.selects} onInput={text('selects')} aria-describedby="fetch-selects-hint" />
        <span id="fetch-selects-hint" class="meta">{t('fetch.selectsHint')}</span>
      </div>
      <div class="field">
        <label for="fetch-query">{t('fetch.query')}</label>
        <textarea id="fetch-query" rows={4} value={form.query} onInput={text('query')} aria-describedby="fetch-query-hint" />
        <span id="fetch-query-hint" class="meta">{t('fetch.queryHint')}</span>
      </div>
    </div>
  );
}

/** The watched job, polled every second until it ends. */
function JobPanel({ id, onEnd }: { id: number; onEnd: () => void }) {
  const { t, tk, formatNumber } = useI18n();
  const [job, setJob] = useState<FetchJob | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  const [cancelError, setCancelError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    let timer: number | undefined;
    const poll = () => {
      getFetch(id, controller.signal).then(
        (next) => {
          setJob(next);
          setError(null);
          if (isUnfinished(next)) timer = window.setTimeout(poll, pollEveryMs);
          else onEnd();
        },
        (failure: unknown) => {
          if (!controller.signal.aborted) setError(failure);
        },
      );
    };
    poll();
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, round]);

  const cancel = async () => {
    setCancelError(null);
    try {
      setJob(await cancelFetch(id));
    } catch (failure) {
      setCancelError(t('fetch.error.cancel', { message: describeError(t, failure) }));
    }
  };

  const progress = job?.progress;
  const hasTotal = progress && (progress.total ?? 0) > 0;
  return (
    <section class="fetch-job" aria-labelledby="fetch-job-heading" data-testid="fetch-job">
      <h2 id="fetch-job-heading">{t('fetch.job', { id })}</h2>
      <ErrorAlert
        messages={error ? [t('fetch.error.job', { message: describeError(t, error) })] : []}
        onRetry={() => setRound((n) => n + 1)}
      />
      {job && (
        <>
          <p class="meta">
            {tk(`fetch.source.${job.source}`, job.source)}: {jobSubject(job)}
            {job.parameters.dry_run === true && ` (${t('fetch.dryRunShort')})`}
          </p>
          <p aria-live="polite" data-testid="fetch-state" class={`fetch-state fetch-state-${job.state}`}>
            {tk(`fetch.state.${job.state}`, job.state)}
            {job.cancel_requested && isUnfinished(job) && ` (${t('fetch.cancelling')})`}
          </p>
          {isUnfinished(job) && (
            <div class="fetch-progress">
              <progress
                aria-label={t('fetch.progressLabel')}
                max={hasTotal ? progress.total : undefined}
                value={hasTotal ? progress.done : undefined}
              />
              <span data-testid="fetch-progress">{stateText(t, tk, job)}</span>
            </div>
          )}
          {isUnfinished(job) && !job.cancel_requested && (
            <button type="button" class="button" onClick={cancel} data-testid="fetch-cancel">
              {t('fetch.cancel')}
            </button>
          )}
          <ErrorAlert messages={cancelError ? [cancelError] : []} />
          {job.state === 'done' && job.report && <ReportView job={job} formatNumber={formatNumber} />}
          {job.state === 'failed' && job.error && (
            <div class="alert" data-testid="fetch-failure">
              <p class="alert-title">{tk(`fetch.failure.${job.error.code}`, t('fetch.failure'))}</p>
              <p class="fetch-message">{job.error.message}</p>
            </div>
          )}
          {job.state === 'cancelled' && <p>{t('fetch.cancelledNote')}</p>}
        </>
      )}
    </section>
  );
}

function ReportView({ job, formatNumber }: { job: FetchJob; formatNumber: (n: number) => string }) {
  const { t, lang } = useI18n();
  const report = job.report!;
  const counts = report.observations;
  const rows: [string, number | undefined][] = [
    [t('fetch.count.new'), counts.new],
    [t('fetch.count.changed'), counts.changed],
    [t('fetch.count.unchanged'), counts.unchanged],
    [t('fetch.count.missing'), counts.missing],
    [t('fetch.count.suppressed'), counts.suppressed],
    [t('fetch.count.notCompared'), counts.not_compared || undefined],
    [t('fetch.count.storedNowSuppressed'), counts.stored_now_suppressed || undefined],
    [t('fetch.count.storedNowShown'), counts.stored_now_shown || undefined],
    [t('fetch.count.requests'), report.fetch?.requests],
    [job.source === 'kolada' ? t('fetch.count.pages') : t('fetch.count.cells'),
      job.source === 'kolada' ? report.fetch?.pages : report.fetch?.cells],
  ];
  return (
    <>
      <p>{report.dry_run ? t('fetch.doneDryRun') : t('fetch.doneStored')}</p>
      <dl class="fields" data-testid="fetch-report">
        {rows
          .filter(([, value]) => value !== undefined)
          .map(([label, value]) => (
            <Fragment key={label}>
              <dt>{label}</dt>
              <dd>{formatNumber(value!)}</dd>
            </Fragment>
          ))}
      </dl>
      {report.indicators_created.length > 0 && (
        <p>
          {t('fetch.indicatorsCreated')}{' '}
          {report.indicators_created.map((code, index) => (
            <Fragment key={code}>
              {index > 0 && ', '}
              <Link href={hrefFor(`/indikatorer/${encodeURIComponent(code)}`, lang)}>{code}</Link>
            </Fragment>
          ))}
        </p>
      )}
    </>
  );
}

function RecentTable({ jobs, watched }: { jobs: FetchJob[]; watched: number | null }) {
  const { t, tk, lang, formatDateTime } = useI18n();
  return (
    <div class="table-wrap">
      <table class="data" data-testid="fetch-recent">
        <caption class="visually-hidden">{t('fetch.recent')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('fetch.col.id')}</th>
            <th scope="col">{t('fetch.col.source')}</th>
            <th scope="col">{t('fetch.col.what')}</th>
            <th scope="col">{t('fetch.col.state')}</th>
            <th scope="col">{t('fetch.col.started')}</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <tr key={job.id} aria-current={job.id === watched ? 'true' : undefined}>
              <td>
                <Link href={hrefFor('/hamta', lang, { jobb: job.id })}>{t('fetch.col.show', { id: job.id })}</Link>
              </td>
              <td>{tk(`fetch.source.${job.source}`, job.source)}</td>
              <td class="fetch-subject">{jobSubject(job)}</td>
              <td>{tk(`fetch.state.${job.state}`, job.state)}</td>
              <td class="nowrap">
                {formatDateTime(job.created_at)} <span class="meta">{job.created_by}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
