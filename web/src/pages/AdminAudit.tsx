// `/admin/logg`: the audit log for admins (docs/api.md, "Accounts"), newest first: when (local
// time, to the second), what, who, whom or what it concerns, from which address, and the details
// in words. The event type, the page and its size live in the URL (`handelse`, `sida`, `antal`),
// so a view can be linked to and the browser's back button pages back.
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { getActors } from '../api';
import { auditEvents, getAudit, type AuditEntry } from '../api-admin';
import { AdminFrame } from '../components/AdminFrame';
import { describeError, ErrorAlert } from '../components/ErrorAlert';
import { useAsync } from '../hooks';
import { useI18n, type Translator } from '../i18n';
import { hrefFor, Link, navigate, useLocation } from '../router';

const pageSizes = [10, 25, 50, 100] as const;
const defaultPageSize = 50;

export function AdminAuditPage() {
  return (
    <AdminFrame path="/admin/logg" title="admin.audit.title">
      <AuditLog />
    </AdminFrame>
  );
}

/** The page's view from its URL: a known event (or all), a page size offered, a page ≥ 1. */
function viewOf(query: URLSearchParams) {
  const asked = query.get('handelse') ?? '';
  const event = (auditEvents as readonly string[]).includes(asked) ? asked : '';
  const size = Number(query.get('antal'));
  const limit = (pageSizes as readonly number[]).includes(size) ? size : defaultPageSize;
  const page = Math.max(1, Math.floor(Number(query.get('sida')) || 1));
  return { event, limit, page };
}

type Details = Record<string, unknown>;

// One detail in words: roles by their names, an organisation by its name, yes or no.
function detailValue(
  i18n: Translator,
  key: string,
  value: unknown,
  actorName: (id: number) => string,
): string {
  const { t, tk } = i18n;
  if (value === null || value === undefined || value === '') return t('admin.audit.nothing');
  if (typeof value === 'object' && !Array.isArray(value) && 'from' in value && 'to' in value) {
    const change = value as { from: unknown; to: unknown };
    const from = detailValue(i18n, key, change.from, actorName);
    return `${from} → ${detailValue(i18n, key, change.to, actorName)}`;
  }
  if (key === 'roles') {
    // A new user's roles are a list; a change's are the stored text, "editor,analyst".
    const names = Array.isArray(value)
      ? value.map(String)
      : String(value).split(',').filter(Boolean);
    const named = names.map((role) => tk(`role.${role}`, role)).join(', ');
    return named || t('admin.noRoles').toLowerCase();
  }
  if (key === 'actor_id' && typeof value === 'number') {
    return value === 0 ? t('admin.none').toLowerCase() : actorName(value);
  }
  if (typeof value === 'boolean') return t(value ? 'admin.yes' : 'admin.no');
  if (typeof value === 'number') return i18n.formatNumber(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

interface DetailProps {
  details: Details | null;
  actorName: (id: number) => string;
}

function DetailList({ details, actorName }: DetailProps) {
  const i18n = useI18n();
  const entries = Object.entries(details ?? {});
  if (entries.length === 0) return <>{i18n.t('admin.audit.nothing')}</>;
  return (
    <ul class="audit-details">
      {entries.map(([key, value]) => (
        <li key={key}>
          {i18n.tk(`admin.detail.${key}`, key)}: {detailValue(i18n, key, value, actorName)}
        </li>
      ))}
    </ul>
  );
}

interface TableProps {
  items: AuditEntry[];
  time: Intl.DateTimeFormat;
  actorName: (id: number) => string;
}

function AuditTable({ items, time, actorName }: TableProps) {
  const { t, tk } = useI18n();
  const eventName = (name: string) => tk(`admin.event.${name}`, name);
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="audit-caption">
      {/* Explicit roles: below 40rem the rows stack (AdminFrame.css). Where the table is
          wider than the screen, the region scrolls from the keyboard. */}
      <table class="data audit-table stack-narrow" role="table" data-testid="audit">
        <caption class="visually-hidden" id="audit-caption">
          {t('admin.audit.caption')}
        </caption>
        <thead role="rowgroup">
          <tr role="row">
            <th scope="col" role="columnheader">{t('admin.audit.col.at')}</th>
            <th scope="col" role="columnheader">{t('admin.audit.col.event')}</th>
            <th scope="col" role="columnheader">{t('admin.audit.col.subject')}</th>
            <th scope="col" role="columnheader">{t('admin.audit.col.user')}</th>
            <th scope="col" role="columnheader">{t('admin.audit.col.address')}</th>
            <th scope="col" role="columnheader">{t('admin.audit.col.details')}</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {items.map((entry: AuditEntry) => (
            <tr key={entry.id} role="row" data-id={entry.id} data-event={entry.event}>
              <td role="cell" class="nowrap audit-at">
                <time dateTime={entry.at}>{time.format(new Date(entry.at))}</time>
              </td>
              <td role="cell" class="audit-event">
                {eventName(entry.event)}
              </td>
              <td role="cell" class="audit-subject" data-label={t('admin.audit.col.subject')}>
                {entry.subject || t('admin.audit.nothing')}
              </td>
              <td role="cell" data-label={t('admin.audit.col.user')}>
                {entry.user || t('admin.audit.unknownUser')}
              </td>
              <td role="cell" class="nowrap" data-label={t('admin.audit.col.address')}>
                {entry.address || t('admin.audit.nothing')}
              </td>
              <td role="cell" data-label={t('admin.audit.col.details')}>
                <DetailList details={entry.details} actorName={actorName} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface FilterProps {
  event: string;
  limit: number;
  /** A new event type (`handelse`) or page size (`antal`): the log starts again at page 1. */
  onChoose: (key: 'handelse' | 'antal', value: string) => void;
}

function AuditFilters({ event, limit, onChoose }: FilterProps) {
  const { t, tk } = useI18n();
  const choose = (key: 'handelse' | 'antal') => (e: JSX.TargetedEvent<HTMLSelectElement>) =>
    onChoose(key, e.currentTarget.value);
  return (
    <div class="filters">
      <div class="field">
        <label for="audit-event">{t('admin.audit.filter')}</label>
        <select id="audit-event" value={event} onChange={choose('handelse')}>
          <option value="">{t('admin.audit.allEvents')}</option>
          {auditEvents.map((name) => (
            <option key={name} value={name}>
              {tk(`admin.event.${name}`, name)}
            </option>
          ))}
        </select>
      </div>
      <div class="field field-narrow">
        <label for="audit-size">{t('admin.audit.pageSize')}</label>
        <select id="audit-size" value={String(limit)} onChange={choose('antal')}>
          {pageSizes.map((size) => (
            <option key={size} value={String(size)}>
              {size}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

function AuditLog() {
  const i18n = useI18n();
  const { t, tk, lang, formatNumber } = i18n;
  const location = useLocation();
  const { event, limit, page } = viewOf(location.query);
  const offset = (page - 1) * limit;
  const log = useAsync((signal) => getAudit(event, limit, offset, signal), [event, limit, offset]);
  const actors = useAsync((signal) => getActors(signal), []);
  const actorName = useMemo(() => {
    const names = new Map((actors.data ?? []).map((actor) => [actor.id, actor.name]));
    return (id: number) => names.get(id) ?? t('admin.field.organisationGone', { id });
  }, [actors.data, t]);
  // Local time to the second: 2026-12-07 13:47:03 in Swedish.
  const time = useMemo(
    () =>
      new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', {
        dateStyle: 'short',
        timeStyle: 'medium',
      }),
    [lang],
  );
  const here = (changes: Record<string, string | number | null>) => {
    const params: Record<string, string | number | null> = {
      handelse: event || null,
      antal: limit === defaultPageSize ? null : limit,
      sida: page === 1 ? null : page,
      ...changes,
    };
    return hrefFor('/admin/logg', lang, params);
  };

  const total = log.data?.total ?? 0;
  const items = log.data?.items ?? [];
  const eventName = (name: string) => tk(`admin.event.${name}`, name);

  return (
    <>
      <p class="lead">{t('admin.audit.intro')}</p>
      <AuditFilters
        event={event}
        limit={limit}
        onChoose={(key, value) =>
          navigate(here({ [key]: value === '' ? null : value, sida: null }))
        }
      />
      <ErrorAlert
        messages={[log.error, actors.error].filter(Boolean).map((e) => describeError(t, e))}
        onRetry={() => {
          log.reload();
          actors.reload();
        }}
      />
      <section aria-busy={log.loading} aria-labelledby="audit-count">
        <p class="result-count" id="audit-count" aria-live="polite" data-testid="audit-count">
          {log.data &&
            (items.length === 0
              ? event
                ? t('admin.audit.emptyFiltered', { event: eventName(event) })
                : t('admin.audit.empty')
              : t('admin.audit.showing', {
                  from: formatNumber(offset + 1),
                  to: formatNumber(offset + items.length),
                  total: formatNumber(total),
                }))}
        </p>
        {items.length > 0 && <AuditTable items={items} time={time} actorName={actorName} />}
      </section>
      {(page > 1 || offset + items.length < total) && (
        <nav class="pager" aria-label={t('admin.audit.paging')}>
          {page > 1 && (
            <Link
              href={here({ sida: page - 1 === 1 ? null : page - 1 })}
              rel="prev"
              data-testid="audit-newer"
            >
              ← {t('admin.audit.previous')}
            </Link>
          )}
          {offset + items.length < total && (
            <Link href={here({ sida: page + 1 })} rel="next" data-testid="audit-older">
              {t('admin.audit.next')} →
            </Link>
          )}
        </nav>
      )}
    </>
  );
}
