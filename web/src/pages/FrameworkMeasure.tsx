// One measure of a framework: its fields, its change history, and (`?edit=1`) the form that
// edits it.
import { useMemo, useState } from 'preact/hooks';
import {
  getActors,
  getClassifications,
  getHistory,
  getMeasure,
  getTree,
  getUnits,
  type Actor,
  type HistoryEntry,
  type MeasureFull,
  type Unit,
} from '../api';
import { describeError, ErrorAlert } from '../components/ErrorAlert';
import { isNotFound, Missing } from '../components/Missing';
import { MeasureEditor } from '../components/MeasureEditor';
import { mayCoordinate, mayEditMeasure, useSession, type EditRefusal } from '../session';
import { blankMeasure, loadDraft } from '../measure-edit';
import { useAsync } from '../hooks';
import { useI18n } from '../i18n';
import { hrefFor, Link, navigate, useLocation } from '../router';
import { actorLabel, flatten, nodeLabel } from './Framework';

interface Props {
  frameworkId: number;
  measureId: number;
}

/** The fields an update changed (the bookkeeping fields left out). */
function changedFields(entry: HistoryEntry): string[] {
  if (!entry.before || !entry.after) return [];
  const skip = new Set(['version', 'updated_at', 'created_at']);
  const keys = new Set([...Object.keys(entry.before), ...Object.keys(entry.after)]);
  return [...keys]
    .filter(
      (k) =>
        !skip.has(k) && JSON.stringify(entry.before?.[k]) !== JSON.stringify(entry.after?.[k]),
    )
    .sort();
}

/**
 * What a measure's page and the form need of its framework: the tree (flattened), the actors,
 * their units and the classifications, with their failures in words and one retry.
 */
function useFrameworkData(frameworkId: number) {
  const { t } = useI18n();
  const tree = useAsync((signal) => getTree(frameworkId, signal), [frameworkId]);
  const actors = useAsync(getActors, []);
  const units = useAsync((signal) => getUnits({}, signal), []);
  const classifications = useAsync(getClassifications, []);
  const flat = useMemo(() => (tree.data ? flatten(tree.data.nodes) : []), [tree.data]);
  const errors: string[] = [];
  if (tree.error) errors.push(t('error.tree', { message: describeError(t, tree.error) }));
  if (actors.error) errors.push(t('error.actors', { message: describeError(t, actors.error) }));
  if (units.error) errors.push(t('error.units', { message: describeError(t, units.error) }));
  if (classifications.error)
    errors.push(t('error.classifications', { message: describeError(t, classifications.error) }));
  const retry = () => {
    tree.reload();
    actors.reload();
    units.reload();
    classifications.reload();
  };
  const ready = Boolean(tree.data && actors.data && units.data && classifications.data);
  return { tree, actors, units, classifications, flat, errors, retry, ready };
}

const whyKeys = {
  signIn: 'edit.why.signIn',
  changePassword: 'edit.why.changePassword',
  role: 'edit.why.role',
  scope: 'edit.why.scope',
} as const;

export function FrameworkMeasurePage({ frameworkId, measureId }: Props) {
  const { t, tk, tn, lang, formatDateTime } = useI18n();
  const measure = useAsync((signal) => getMeasure(measureId, signal), [measureId]);
  const shared = useFrameworkData(frameworkId);
  const { tree, actors, units, classifications, flat } = shared;
  const history = useAsync((signal) => getHistory('measure', measureId, signal), [measureId]);
  const location = useLocation();
  const editing = location.query.get('edit') === '1';
  const [saved, setSaved] = useState<MeasureFull | null>(null);

  const nodeById = useMemo(() => new Map(flat.map((f) => [f.node.id, f])), [flat]);
  const actorById = useMemo(
    () => new Map<number, Actor>((actors.data ?? []).map((a) => [a.id, a])),
    [actors.data],
  );
  const unitById = useMemo(
    () => new Map<number, Unit>((units.data ?? []).map((u) => [u.id, u])),
    [units.data],
  );

  const errors: string[] = [];
  if (measure.error)
    errors.push(t('error.measure', { message: describeError(t, measure.error) }));
  errors.push(...shared.errors);
  if (history.error)
    errors.push(t('error.measureHistory', { message: describeError(t, history.error) }));
  const retry = () => {
    measure.reload();
    shared.retry();
    history.reload();
  };

  // The saved entity stands in until the reload after a save arrives.
  const m = saved && (!measure.data || measure.data.version < saved.version) ? saved : measure.data;
  const framework = tree.data?.framework;
  const frameworkHref = hrefFor(`/ramverk/${frameworkId}`, lang);
  const measureHref = hrefFor(`/ramverk/${frameworkId}/atgard/${measureId}`, lang);
  const editHref = hrefFor(`/ramverk/${frameworkId}/atgard/${measureId}`, lang, { edit: 1 });
  const writable = framework !== undefined && !framework.read_only && m !== undefined && !m.deleted;
  // Editing is offered only where the server would allow it; otherwise the page says why.
  const session = useSession();
  const refusal: EditRefusal =
    m && framework ? mayEditMeasure(session, m, framework.owner_actor_id ?? null) : 'signIn';
  const mayEdit = writable && session !== undefined && refusal === '';
  const why = writable && session !== undefined && refusal !== '' && (
    <p class="notice" data-testid="edit-why">
      {t(whyKeys[refusal])}{' '}
      {refusal === 'signIn' && (
        <Link href={hrefFor('/logga-in', lang, { next: editHref })}>{t('account.signIn')}</Link>
      )}
    </p>
  );
  const draft = !editing && m ? loadDraft({ measure: m.id }) : null;
  const editorReady = editing && m && shared.ready;
  const onSaved = (entity: MeasureFull) => {
    setSaved(entity);
    navigate(measureHref, true);
    measure.reload();
    history.reload();
    window.setTimeout(() => document.querySelector<HTMLElement>('[data-testid="saved"]')?.focus(), 0);
  };
  const classificationNames = (ids: string[]) =>
    ids.map((id) => {
      const c = classifications.data?.find((x) => x.id === id);
      return c ? (lang === 'en' ? c.label_en : c.label_sv) : id;
    });
  const actorLink = (id: number, unitIds: number[]) => (
    <>
      <Link href={hrefFor(`/aktorer/${id}`, lang)}>{actorLabel(actorById.get(id), id)}</Link>
      {unitIds.length > 0 &&
        ` (${unitIds.map((u) => unitById.get(u)?.name ?? `#${u}`).join(', ')})`}
    </>
  );
  const empty = <span class="muted">{t('measure.none')}</span>;
  const nodePath = m
    ? [...(nodeById.get(m.node_id)?.ancestors ?? []), m.node_id].map((id) => {
        const node = nodeById.get(id)?.node;
        return node ? nodeLabel(node) : `#${id}`;
      })
    : [];

  if (isNotFound(measure.error) || isNotFound(tree.error)) return <Missing what="measure" />;
  return (
    <>
      <p class="breadcrumb">
        <Link href={hrefFor('/', lang)}>{t('nav.start')}</Link>
        {' / '}
        <Link href={frameworkHref}>{framework?.short_title || framework?.title || t('fw.title')}</Link>
      </p>
      <h1 tabIndex={-1}>
        {m ? (m.code ? `${m.code} ${m.text}` : m.text) : t('measure.title')}
      </h1>
      <ErrorAlert messages={errors} onRetry={retry} />
      {location.query.get('ny') === '1' && !saved && !editing && m && (
        <p class="notice" role="status" data-testid="created">
          {t('edit.createdNotice')}
        </p>
      )}
      {saved && !editing && (
        <p class="notice" role="status" tabIndex={-1} data-testid="saved">
          {t('edit.savedNotice', { version: saved.version })}
        </p>
      )}
      {draft && mayEdit && (
        <div class="notice" role="status" data-testid="draft-waiting">
          <p>{t('edit.draftWaiting', { at: formatDateTime(draft.saved_at) })}</p>
          <Link href={editHref}>{t('edit.continueDraft')}</Link>
        </div>
      )}
      {!editing && mayEdit && !draft && (
        <p>
          <Link class="button-link" href={editHref} data-testid="edit">
            {t('edit.edit')}
          </Link>
        </p>
      )}
      {why}
      {editing && framework?.read_only && <p class="notice">{t('edit.err.readOnly')}</p>}
      {editing && m?.deleted && <p class="notice">{t('edit.err.deleted')}</p>}
      {editorReady && mayEdit ? (
        <MeasureEditor
          key={m.id}
          measure={m}
          nodes={flat}
          actors={actors.data ?? []}
          units={units.data ?? []}
          classifications={classifications.data ?? []}
          onSaved={onSaved}
          onConflict={history.reload}
          onClose={() => navigate(measureHref, true)}
        />
      ) : editing && !framework?.read_only && !m?.deleted && !why ? (
        <p class="loading">{t('loading')}</p>
      ) : null}
      {editing ? null : measure.loading && !m ? (
        <p class="loading">{t('loading')}</p>
      ) : m ? (
        <dl class="fields" data-testid="measure-fields">
          <dt>{t('measure.status')}</dt>
          <dd>
            <span class={`dot status-${m.status}`} aria-hidden="true" />
            {tk(`status.${m.status}`, m.status)}
          </dd>
          <dt>{t('measure.node')}</dt>
          <dd>
            {nodePath.join(' / ')}{' '}
            <Link
              href={hrefFor(`/ramverk/${frameworkId}`, lang, { node: m.node_id })}
              data-testid="node-measures"
            >
              {t('measure.sameNode')}
            </Link>
          </dd>
          <dt>{t('measure.responsible')}</dt>
          <dd>
            {m.responsible.length > 0 ? (
              <ul class="plain">
                {m.responsible.map((r) => (
                  <li key={r.actor_id}>{actorLink(r.actor_id, r.unit_ids)}</li>
                ))}
              </ul>
            ) : m.inherited_responsible ? (
              <>
                {actorLink(
                  m.inherited_responsible.actor_id,
                  m.inherited_responsible.unit_id !== null ? [m.inherited_responsible.unit_id] : [],
                )}{' '}
                <span class="muted">{t('measure.inherited')}</span>
              </>
            ) : (
              empty
            )}
          </dd>
          <dt>{t('measure.partners')}</dt>
          <dd>
            {m.partners.length > 0 ? (
              <ul class="plain">
                {m.partners.map((p) => (
                  <li key={p.actor_id}>
                    {actorLink(p.actor_id, p.unit_ids)}
                    {' – '}
                    {tk(`role.${p.role}`, p.role)}
                  </li>
                ))}
              </ul>
            ) : (
              empty
            )}
          </dd>
          <dt>{t('measure.targetGroup')}</dt>
          <dd>{m.target_group || empty}</dd>
          <dt>{t('measure.expectedResult')}</dt>
          <dd>
            {m.expected_result || empty}
            {m.expected_result_year !== null && ` (${m.expected_result_year})`}
          </dd>
          <dt>{t('measure.tags')}</dt>
          <dd>
            {m.tags.length > 0 ? (
              <ul class="tags">
                {m.tags.map((tag) => (
                  <li key={tag}>{tag}</li>
                ))}
              </ul>
            ) : (
              empty
            )}
          </dd>
          <dt>{t('edit.classifications')}</dt>
          <dd>
            {m.classifications.length + m.suggested_classifications.length > 0 ? (
              <ul class="plain">
                {classificationNames(m.classifications).map((name) => (
                  <li key={name}>{name}</li>
                ))}
                {classificationNames(m.suggested_classifications).map((name) => (
                  <li key={name}>
                    {name} <span class="muted">{t('edit.suggested')}</span>
                  </li>
                ))}
              </ul>
            ) : (
              empty
            )}
          </dd>
          <dt>{t('measure.updated')}</dt>
          <dd>
            <time dateTime={m.updated_at}>{formatDateTime(m.updated_at)}</time>
            {' · '}
            {t('measure.version', { version: m.version })}
          </dd>
        </dl>
      ) : null}

      <section aria-labelledby="measure-history-heading" aria-busy={history.loading}>
        <h2 id="measure-history-heading">{t('measure.history')}</h2>
        {history.loading && !history.data ? (
          <p class="loading">{t('loading')}</p>
        ) : history.data && history.data.length === 0 ? (
          <p>{t('start.noHistory')}</p>
        ) : history.data ? (
          <ol class="history" data-testid="measure-history">
            {history.data.map((entry) => {
              const fields = changedFields(entry);
              return (
                <li key={entry.seq}>
                  <span class="history-what">
                    {t('history.entry', {
                      action: tk(`action.${entry.action}`, entry.action),
                      entity: t('entity.measure'),
                    })}
                    {fields.length > 0 &&
                      `: ${tn('measure.changedFields', fields.length, { fields: fields.map((f) => tk(`field.${f}`, f)).join(', ') })}`}
                  </span>
                  <span class="meta">
                    <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>{' '}
                    {t('history.by', { user: entry.user })}
                    {' · '}
                    {t('measure.version', { version: entry.version })}
                  </span>
                </li>
              );
            })}
          </ol>
        ) : null}
      </section>
    </>
  );
}

/** `/ramverk/:id/ny-atgard?node=N`: the form for a new measure, under node N when given. */
export function NewMeasurePage({ frameworkId }: { frameworkId: number }) {
  const { t, lang } = useI18n();
  const location = useLocation();
  const { tree, actors, units, classifications, flat, errors, retry, ready } =
    useFrameworkData(frameworkId);
  const asked = Number(location.query.get('node'));
  const nodeId = flat.some((f) => f.node.id === asked) ? asked : flat[0]?.node.id;
  const blank = useMemo(
    () => (nodeId === undefined ? null : blankMeasure(frameworkId, nodeId)),
    [frameworkId, nodeId],
  );

  const framework = tree.data?.framework;
  const frameworkHref = hrefFor(`/ramverk/${frameworkId}`, lang);
  const session = useSession();
  const refusal = framework ? mayCoordinate(session, framework.owner_actor_id ?? null) : '';

  return (
    <>
      <p class="breadcrumb">
        <Link href={hrefFor('/', lang)}>{t('nav.start')}</Link>
        {' / '}
        <Link href={frameworkHref}>{framework?.short_title || framework?.title || t('fw.title')}</Link>
      </p>
      <h1 tabIndex={-1}>{t('edit.newTitle')}</h1>
      <ErrorAlert messages={errors} onRetry={retry} />
      {framework?.read_only ? (
        <p class="notice">{t('edit.err.readOnly')}</p>
      ) : session !== undefined && refusal !== '' ? (
        <p class="notice" data-testid="edit-why">
          {t(refusal === 'signIn' ? 'edit.why.newSignIn' : 'edit.why.newScope')}{' '}
          {refusal === 'signIn' && (
            <Link
              href={hrefFor('/logga-in', lang, {
                next: `${location.path}?${location.query.toString()}`,
              })}
            >
              {t('account.signIn')}
            </Link>
          )}
        </p>
      ) : tree.data && flat.length === 0 ? (
        <p class="notice">{t('edit.noNodes')}</p>
      ) : ready && blank ? (
        <MeasureEditor
          key={blank.node_id}
          create
          measure={blank}
          nodes={flat}
          actors={actors.data ?? []}
          units={units.data ?? []}
          classifications={classifications.data ?? []}
          onSaved={(created) =>
            navigate(
              hrefFor(`/ramverk/${frameworkId}/atgard/${created.id}`, lang, { ny: 1 }),
              true,
            )
          }
          onConflict={() => undefined}
          onClose={() => navigate(frameworkHref, true)}
        />
      ) : errors.length === 0 ? (
        <p class="loading">{t('loading')}</p>
      ) : null}
    </>
  );
}
