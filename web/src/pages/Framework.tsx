// The framework page: the tree as a nested list and the measure table with filters in the URL.
import type { JSX } from 'preact';
import { memo } from 'preact/compat';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  getActors,
  getAdoptions,
  getClassifications,
  getTree,
  measureStatuses,
  type Actor,
  type MeasureFull,
  type TreeNode,
} from '../api';
import { AdoptionList } from '../components/AdoptionList';
import { describeError, ErrorAlert } from '../components/ErrorAlert';
import { isNotFound, Missing } from '../components/Missing';
import { useAsync } from '../hooks';
import { useI18n, type Translator } from '../i18n';
import { hrefFor, Link, navigate, type Location } from '../router';
import { mayCoordinate, useSession } from '../session';

/** A node flattened for lookups: its depth, its ancestors' ids and itself. */
export interface FlatNode {
  node: TreeNode;
  depth: number;
  ancestors: number[];
}

export function flatten(nodes: TreeNode[]): FlatNode[] {
  const out: FlatNode[] = [];
  const walk = (list: TreeNode[], depth: number, ancestors: number[]) => {
    for (const node of list) {
      out.push({ node, depth, ancestors });
      walk(node.children, depth + 1, [...ancestors, node.id]);
    }
  };
  walk(nodes, 0, []);
  return out;
}

export function nodeLabel(node: TreeNode): string {
  return node.code ? `${node.code} ${node.title}` : node.title;
}

export function actorLabel(actor: Actor | undefined, id: number): string {
  return actor ? actor.name : `#${id}`;
}

/** The ids of the actors a measure names: responsible (or inherited), then partners. */
function measureActors(m: MeasureFull): number[] {
  const ids = m.responsible.map((r) => r.actor_id);
  if (ids.length === 0 && m.inherited_responsible) ids.push(m.inherited_responsible.actor_id);
  for (const p of m.partners) ids.push(p.actor_id);
  return ids;
}

/** A lowercase haystack for the free-text filter. */
function haystack(m: MeasureFull): string {
  return [m.code, m.text, m.target_group, m.expected_result, ...(m.tags ?? [])]
    .filter(Boolean)
    .join('\n')
    .toLocaleLowerCase();
}

function sameRows<T>(a: T[], b: T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

interface Props {
  id: number;
  location: Location;
}

const filterNames = ['node', 'actor', 'status', 'area', 'level', 'tag', 'q'] as const;

export function FrameworkPage({ id, location }: Props) {
  const session = useSession();
  const i18n = useI18n();
  const { t, tk, tn, lang, formatNumber } = i18n;
  const tree = useAsync((signal) => getTree(id, signal), [id]);
  const actors = useAsync(getActors, []);
  const classifications = useAsync(getClassifications, []);
  const adoptions = useAsync((signal) => getAdoptions({ framework_id: id }, signal), [id]);

  const query = location.query;
  const nodeFilter = Number(query.get('node')) || null;
  const actorFilter = Number(query.get('actor')) || null;
  const statusFilter = query.get('status') ?? '';
  // A target area (1–8) and a prevention level, as the API's `target_area` and
  // `prevention_level` filters: stated or suggested on the measure or on its node.
  const areaFilter = query.get('area') ? `target_area:${query.get('area')}` : '';
  const levelFilter = query.get('level') ? `prevention_level:${query.get('level')}` : '';
  const tagFilter = query.get('tag') ?? '';
  const q = query.get('q') ?? '';
  const open = useMemo(
    () => new Set((query.get('open') ?? '').split(',').filter(Boolean).map(Number)),
    [query.get('open')],
  );

  /** The current address with some parameters changed (null removes one). */
  const hrefWith = (changes: Record<string, string | number | null>) => {
    const params: Record<string, string | number | null> = {};
    for (const [name, value] of query.entries()) if (name !== 'lang') params[name] = value;
    for (const [name, value] of Object.entries(changes))
      params[name] = value === '' ? null : value;
    for (const name of Object.keys(params)) if (params[name] === null) delete params[name];
    return hrefFor(location.path, lang, params);
  };
  const setParam = (name: string, value: string) => navigate(hrefWith({ [name]: value }), true);

  const flat = useMemo(() => (tree.data ? flatten(tree.data.nodes) : []), [tree.data]);
  // The measures come with the tree (one request), in the plan's own order: node by node.
  const allMeasures = useMemo(() => flat.flatMap((f) => f.node.measures), [flat]);
  const nodeById = useMemo(() => new Map(flat.map((f) => [f.node.id, f])), [flat]);
  const actorById = useMemo(
    () => new Map((actors.data ?? []).map((a) => [a.id, a])),
    [actors.data],
  );

  // Measures per node, the node's subtree included.
  const subtreeCount = useMemo(() => {
    const counts = new Map<number, number>();
    for (const m of allMeasures) {
      const f = nodeById.get(m.node_id);
      for (const nodeId of f ? [...f.ancestors, m.node_id] : [m.node_id])
        counts.set(nodeId, (counts.get(nodeId) ?? 0) + 1);
    }
    return counts;
  }, [allMeasures, nodeById]);

  const indexed = useMemo(
    () =>
      allMeasures.map((m) => ({
        m,
        text: haystack(m),
        actors: measureActors(m),
        path: nodeById.get(m.node_id)?.ancestors ?? [],
        classes: new Set([
          ...m.classifications,
          ...m.suggested_classifications,
          ...(nodeById.get(m.node_id)?.node.classifications ?? []),
          ...(nodeById.get(m.node_id)?.node.suggested_classifications ?? []),
        ]),
      })),
    [allMeasures, nodeById],
  );

  // Only actors that some measure of the framework names are offered in the filter.
  const actorOptions = useMemo(() => {
    const ids = new Set<number>();
    for (const row of indexed) for (const a of row.actors) ids.add(a);
    return [...ids]
      .map((a) => ({ id: a, label: actorLabel(actorById.get(a), a) }))
      .sort((x, y) => x.label.localeCompare(y.label, lang));
  }, [indexed, actorById, lang]);

  const tagOptions = useMemo(
    () =>
      [...new Set(allMeasures.flatMap((m) => m.tags))].sort((a, b) =>
        a.localeCompare(b, lang),
      ),
    [allMeasures, lang],
  );
  const schemeOptions = (scheme: string) =>
    (classifications.data ?? [])
      .filter((c) => c.scheme === scheme)
      .map((c) => ({ code: c.code, label: lang === 'en' ? c.label_en : c.label_sv }));

  const needle = q.trim().toLocaleLowerCase();
  const previousRows = useRef<typeof indexed>([]);
  const filteredRows = useMemo(
    () =>
      indexed.filter(
        (row) =>
          (nodeFilter === null ||
            row.m.node_id === nodeFilter ||
            row.path.includes(nodeFilter)) &&
          (actorFilter === null || row.actors.includes(actorFilter)) &&
          (statusFilter === '' || row.m.status === statusFilter) &&
          (areaFilter === '' || row.classes.has(areaFilter)) &&
          (levelFilter === '' || row.classes.has(levelFilter)) &&
          (tagFilter === '' || row.m.tags.includes(tagFilter)) &&
          (needle === '' || row.text.includes(needle)),
      ),
    [indexed, nodeFilter, actorFilter, statusFilter, areaFilter, levelFilter, tagFilter, needle],
  );
  const rows = sameRows(previousRows.current, filteredRows) ? previousRows.current : filteredRows;
  previousRows.current = rows;

  // The same element while its inputs stay, so that Preact skips the rows on other updates
  // (a tree toggle, a keystroke that does not change the result).
  const table = useMemo(
    () => (
      <MeasureTable
        rows={rows.map((r) => r.m)}
        i18n={i18n}
        frameworkId={id}
        nodeById={nodeById}
        actorById={actorById}
      />
    ),
    [rows, i18n, id, nodeById, actorById],
  );

  const errors: string[] = [];
  if (tree.error) errors.push(t('error.tree', { message: describeError(t, tree.error) }));
  if (actors.error) errors.push(t('error.actors', { message: describeError(t, actors.error) }));
  if (classifications.error)
    errors.push(t('error.classifications', { message: describeError(t, classifications.error) }));
  if (adoptions.error)
    errors.push(t('error.adoptions', { message: describeError(t, adoptions.error) }));
  const retry = () => {
    adoptions.reload();
    classifications.reload();
    tree.reload();
    actors.reload();
  };

  const framework = tree.data?.framework;
  const filtered = filterNames.some((name) => query.get(name));
  const toggle = (nodeId: number) => {
    const next = new Set(open);
    if (next.has(nodeId)) next.delete(nodeId);
    else next.add(nodeId);
    setParam('open', [...next].sort((a, b) => a - b).join(','));
  };

  // After a node's measure link, the reader continues at the filtered table.
  const focusMeasures = () =>
    window.setTimeout(() => document.getElementById('measures-heading')?.focus(), 0);

  const renderNodes = (nodes: TreeNode[], level: number) => (
    <ul class={level === 0 ? 'tree' : 'tree-group'}>
      {nodes.map((node) => {
        const hasChildren = node.children.length > 0;
        const expanded = open.has(node.id);
        const count = subtreeCount.get(node.id) ?? 0;
        const groupId = `tree-group-${node.id}`;
        return (
          <li key={node.id} data-testid="tree-node">
            <div class="tree-row">
              {hasChildren ? (
                <button
                  type="button"
                  class="tree-toggle"
                  aria-expanded={expanded}
                  aria-controls={groupId}
                  onClick={() => toggle(node.id)}
                >
                  <span class="tree-icon" aria-hidden="true">
                    {expanded ? '▾' : '▸'}
                  </span>
                  {nodeLabel(node)}
                </button>
              ) : (
                <span class="tree-leaf">{nodeLabel(node)}</span>
              )}
              <span class="tree-kind">
                {framework?.node_kinds.find((k) => k.key === node.kind)?.label ?? node.kind}
                {node.cross_cutting && ` · ${t('fw.crossCutting')}`}
              </span>
              {count > 0 && (
                <Link
                  class="tree-count"
                  href={hrefWith({ node: node.id })}
                  aria-label={t('fw.showMeasuresFor', {
                    title: nodeLabel(node),
                    count: formatNumber(count),
                  })}
                  aria-current={nodeFilter === node.id ? 'true' : undefined}
                  onClick={focusMeasures}
                >
                  {tn('start.measures', count)}
                </Link>
              )}
            </div>
            {(node.coordinating_actor_id !== null || node.text) && (
              <div class="tree-about">
                {node.coordinating_actor_id !== null && (
                  <p class="tree-coordinator">
                    {t('fw.coordinator')}{' '}
                    <Link href={hrefFor(`/aktorer/${node.coordinating_actor_id}`, lang)}>
                      {actorLabel(actorById.get(node.coordinating_actor_id), node.coordinating_actor_id)}
                    </Link>
                  </p>
                )}
                {node.text && (
                  <details class="tree-text">
                    <summary>
                      {t('fw.nodeText')}
                      <span class="visually-hidden">: {nodeLabel(node)}</span>
                    </summary>
                    <p>{node.text}</p>
                  </details>
                )}
              </div>
            )}
            {hasChildren && (
              <div id={groupId} hidden={!expanded}>
                {expanded && renderNodes(node.children, level + 1)}
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );

  if (isNotFound(tree.error)) return <Missing what="framework" />;
  return (
    <>
      <p class="breadcrumb">
        <Link href={hrefFor('/', lang)}>{t('nav.start')}</Link>
      </p>
      <h1 tabIndex={-1}>{framework ? framework.title : t('fw.title')}</h1>
      {framework && (
        <p class="lead">
          {tk(`kind.${framework.kind}`, framework.kind)}
          {' · '}
          {tk(`fwstatus.${framework.status}`, framework.status)}
          {(framework.valid_from !== null || framework.valid_to !== null) &&
            ` · ${t('start.validYears', { from: framework.valid_from ?? '', to: framework.valid_to ?? '' })}`}
          {framework.read_only && ` · ${t('start.readOnly')}`}
        </p>
      )}
      {framework?.description && <p>{framework.description}</p>}
      <ErrorAlert messages={errors} onRetry={retry} />

      {adoptions.data && adoptions.data.length > 0 && (
        <details class="adopted">
          <summary>{tn('fw.adoptedBy', adoptions.data.length)}</summary>
          <AdoptionList
            adoptions={adoptions.data}
            name={(adoption) => ({
              href: `/aktorer/${adoption.actor_id}`,
              label: actorLabel(actorById.get(adoption.actor_id), adoption.actor_id),
            })}
          />
        </details>
      )}

      <section aria-labelledby="tree-heading" aria-busy={tree.loading}>
        <h2 id="tree-heading">{t('fw.structure')}</h2>
        {tree.loading && !tree.data ? (
          <p class="loading">{t('loading')}</p>
        ) : tree.data && tree.data.nodes.length === 0 ? (
          <p>{t('fw.noNodes')}</p>
        ) : tree.data ? (
          <>
            <p class="tree-tools">
              <button
                type="button"
                class="button-plain"
                onClick={() =>
                  setParam(
                    'open',
                    flat
                      .filter((f) => f.node.children.length > 0)
                      .map((f) => f.node.id)
                      .join(','),
                  )
                }
              >
                {t('fw.expandAll')}
              </button>
              <button type="button" class="button-plain" onClick={() => setParam('open', '')}>
                {t('fw.collapseAll')}
              </button>
            </p>
            {renderNodes(tree.data.nodes, 0)}
          </>
        ) : null}
      </section>

      <section aria-labelledby="measures-heading" aria-busy={tree.loading}>
        <h2 id="measures-heading" tabIndex={-1}>
          {t('fw.measures')}
        </h2>
        {framework && !framework.read_only && mayCoordinate(session, framework.owner_actor_id ?? null) === '' && (
          <p>
            <Link
              class="button-link"
              href={hrefFor(`/ramverk/${id}/ny-atgard`, lang, { node: nodeFilter })}
              data-testid="new-measure"
            >
              {t('edit.new')}
            </Link>
          </p>
        )}
        <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
          <div class="field">
            <label for="filter-node">{t('fw.filterNode')}</label>
            <select
              id="filter-node"
              value={nodeFilter ?? ''}
              onChange={(e) => setParam('node', e.currentTarget.value)}
            >
              <option value="">{t('fw.all')}</option>
              {flat.map((f) => (
                <option key={f.node.id} value={f.node.id}>
                  {'\u2003'.repeat(f.depth)}
                  {nodeLabel(f.node)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filter-actor">{t('fw.filterActor')}</label>
            <select
              id="filter-actor"
              value={actorFilter ?? ''}
              onChange={(e) => setParam('actor', e.currentTarget.value)}
            >
              <option value="">{t('fw.all')}</option>
              {actorOptions.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filter-status">{t('fw.filterStatus')}</label>
            <select
              id="filter-status"
              value={statusFilter}
              onChange={(e) => setParam('status', e.currentTarget.value)}
            >
              <option value="">{t('fw.all')}</option>
              {measureStatuses.map((s) => (
                <option key={s} value={s}>
                  {tk(`status.${s}`, s)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filter-area">{t('fw.filterArea')}</label>
            <select
              id="filter-area"
              value={query.get('area') ?? ''}
              onChange={(e) => setParam('area', e.currentTarget.value)}
            >
              <option value="">{t('fw.all')}</option>
              {schemeOptions('target_area').map((c) => (
                <option key={c.code} value={c.code}>
                  {c.code}. {c.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filter-level">{t('fw.filterLevel')}</label>
            <select
              id="filter-level"
              value={query.get('level') ?? ''}
              onChange={(e) => setParam('level', e.currentTarget.value)}
            >
              <option value="">{t('fw.all')}</option>
              {schemeOptions('prevention_level').map((c) => (
                <option key={c.code} value={c.code}>
                  {c.label}
                </option>
              ))}
            </select>
          </div>
          {(tagOptions.length > 0 || tagFilter !== '') && (
            <div class="field">
              <label for="filter-tag">{t('fw.filterTag')}</label>
              <select
                id="filter-tag"
                value={tagFilter}
                onChange={(e) => setParam('tag', e.currentTarget.value)}
              >
                <option value="">{t('fw.all')}</option>
                {[...new Set([...tagOptions, ...(tagFilter ? [tagFilter] : [])])].map((tag) => (
                  <option key={tag} value={tag}>
                    {tag}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div class="field">
            <label for="filter-q">{t('fw.filterText')}</label>
            <input
              id="filter-q"
              type="search"
              value={q}
              onInput={(e) => setParam('q', e.currentTarget.value)}
            />
          </div>
          {filtered && (
            <p class="field-clear">
              <Link
                href={hrefWith(Object.fromEntries(filterNames.map((name) => [name, null])))}
                data-testid="clear-filters"
              >
                {t('fw.clearFilters')}
              </Link>
            </p>
          )}
        </form>
        {tree.loading && !tree.data ? (
          <p class="loading">{t('loading')}</p>
        ) : tree.data ? (
          <>
            <p class="result-count" aria-live="polite" data-testid="result-count">
              {t('fw.showing', {
                shown: formatNumber(rows.length),
                total: formatNumber(indexed.length),
              })}
            </p>
            {rows.length > 0 && table}
          </>
        ) : null}
      </section>
    </>
  );
}

interface TableProps {
  rows: MeasureFull[];
  i18n: Translator;
  frameworkId: number;
  nodeById: Map<number, FlatNode>;
  actorById: Map<number, Actor>;
}

/** One handler for every link of the table: an in-app navigation, as `Link` does. */
function followLink(event: JSX.TargetedMouseEvent<HTMLTableElement>) {
  const anchor = (event.target as Element).closest('a');
  if (
    !anchor ||
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  )
    return;
  event.preventDefault();
  navigate(anchor.getAttribute('href') ?? '/');
}

// A long table is put on screen in steps: the first rows with the frame that answers a filter,
// then one chunk per frame until every row is in the table. A filter's answer stays quick at
// thousands of measures, and scrolling never waits for the whole table (docs/BENCHMARKS.md).
const firstRows = 100;
const chunkRows = 200;

interface ChunkProps {
  rows: MeasureFull[];
  start: number;
  end: number;
  row: (m: MeasureFull) => JSX.Element;
}

/** One `<tbody>` of rows; it renders again only when its own slice changes. */
const RowChunk = memo(
  ({ rows, start, end, row }: ChunkProps) => <tbody>{rows.slice(start, end).map(row)}</tbody>,
  (a, b) => a.rows === b.rows && a.start === b.start && a.end === b.end && a.row === b.row,
);

/** How many of `rows` are on screen: `firstRows` at once, then a chunk more each frame. */
function useProgressive(rows: unknown[]): number {
  const [progress, setProgress] = useState({ rows, shown: Math.min(rows.length, firstRows) });
  const shown = progress.rows === rows ? progress.shown : Math.min(rows.length, firstRows);
  useEffect(() => {
    if (shown >= rows.length) return undefined;
    // A task of its own for each chunk: the browser paints and answers input in between.
    const timer = window.setTimeout(
      () => setProgress({ rows, shown: Math.min(rows.length, shown + chunkRows) }),
      0,
    );
    return () => window.clearTimeout(timer);
  }, [rows, shown]);
  return shown;
}

/** Plain rows, no components per row, so that thousands of measures stay quick. */
function MeasureTable({ rows, i18n, frameworkId, nodeById, actorById }: TableProps) {
  const { t, tk, lang } = i18n;
  const shown = useProgressive(rows);
  const row = useMemo(
    () => (m: MeasureFull) => {
      const node = nodeById.get(m.node_id)?.node;
      const responsible = m.responsible.length
        ? m.responsible.map((r) => actorLabel(actorById.get(r.actor_id), r.actor_id))
        : m.inherited_responsible
          ? [
              actorLabel(
                actorById.get(m.inherited_responsible.actor_id),
                m.inherited_responsible.actor_id,
              ),
            ]
          : [];
      return (
        <tr key={m.id}>
          <td class="nowrap">{m.code}</td>
          <td>
            <a href={hrefFor(`/ramverk/${frameworkId}/atgard/${m.id}`, lang)}>{m.text}</a>
          </td>
          <td>{node ? nodeLabel(node) : `#${m.node_id}`}</td>
          <td>{responsible.join(', ')}</td>
          <td class="nowrap">
            <span class={`dot status-${m.status}`} aria-hidden="true" />
            {tk(`status.${m.status}`, m.status)}
          </td>
        </tr>
      );
    },
    [nodeById, actorById, frameworkId, lang, tk],
  );
  const chunks: JSX.Element[] = [];
  for (let start = 0; start < shown; start += chunkRows)
    chunks.push(
      <RowChunk
        key={start}
        rows={rows}
        start={start}
        end={Math.min(shown, start + chunkRows)}
        row={row}
      />,
    );
  return (
    <div class="table-wrap">
      <table
        class="data measure-table"
        data-testid="measure-table"
        data-complete={shown >= rows.length}
        onClick={followLink}
      >
        <caption class="visually-hidden">{t('fw.measures')}</caption>
        <colgroup>
          <col class="col-code" />
          <col class="col-text" />
          <col class="col-node" />
          <col class="col-actor" />
          <col class="col-status" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">{t('measure.code')}</th>
            <th scope="col">{t('measure.text')}</th>
            <th scope="col">{t('measure.node')}</th>
            <th scope="col">{t('measure.responsible')}</th>
            <th scope="col">{t('measure.status')}</th>
          </tr>
        </thead>
        {chunks}
      </table>
    </div>
  );
}
