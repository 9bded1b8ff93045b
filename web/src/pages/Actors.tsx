// The actor directory by kind, and one actor with its units, the frameworks it adopted and the
// measures it takes part in.
import { useMemo } from 'preact/hooks';
import {
  actorKinds,
  getActor,
  getActors,
  getAdoptions,
  getFrameworks,
  getMeasures,
  getUnits,
  type Framework,
  type Unit,
} from '../api';
import { AdoptionList } from '../components/AdoptionList';
import { describeError, ErrorAlert } from '../components/ErrorAlert';
import { useAsync } from '../hooks';
import { useI18n } from '../i18n';
import { hrefFor, Link } from '../router';

export function ActorsPage() {
  const { t, tk, lang, tn } = useI18n();
  const actors = useAsync(getActors, []);
  const errors: string[] = [];
  if (actors.error) errors.push(t('error.actors', { message: describeError(t, actors.error) }));

  const byKind = useMemo(() => {
    const groups = new Map<string, typeof list>();
    const list = [...(actors.data ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'sv'));
    for (const kind of actorKinds) groups.set(kind, []);
    for (const actor of list) {
      if (!groups.has(actor.kind)) groups.set(actor.kind, []);
      groups.get(actor.kind)!.push(actor);
    }
    return [...groups.entries()].filter(([, items]) => items.length > 0);
  }, [actors.data]);

  return (
    <>
      <h1 tabIndex={-1}>{t('actors.title')}</h1>
      <p class="lead">{t('actors.intro')}</p>
      <ErrorAlert messages={errors} onRetry={actors.reload} />
      {actors.loading && !actors.data ? (
        <p class="loading">{t('loading')}</p>
      ) : actors.data && actors.data.length === 0 ? (
        <p>{t('actors.none')}</p>
      ) : (
        byKind.map(([kind, items]) => (
          <section key={kind} aria-labelledby={`kind-${kind}`} data-testid="actor-kind">
            <h2 id={`kind-${kind}`}>
              {tk(`actorkind.${kind}`, kind)}{' '}
              <span class="count">({tn('actors.count', items.length)})</span>
            </h2>
            <ul class="directory">
              {items.map((actor) => (
                <li key={actor.id}>
                  <Link href={hrefFor(`/aktorer/${actor.id}`, lang)}>{actor.name}</Link>
                  {actor.short_name && <span class="meta"> ({actor.short_name})</span>}
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
    </>
  );
}

/** Units as a nested list, in the order of their paths. */
function UnitTree({ units, parent }: { units: Unit[]; parent: number | null }) {
  const children = units.filter((u) => u.parent_id === parent);
  if (children.length === 0) return null;
  return (
    <ul class={parent === null ? 'units' : 'units-sub'}>
      {children.map((unit) => (
        <li key={unit.id}>
          {unit.name}
          {unit.description && <span class="meta"> – {unit.description}</span>}
          <UnitTree units={units} parent={unit.id} />
        </li>
      ))}
    </ul>
  );
}

export function ActorPage({ id }: { id: number }) {
  const { t, tk, lang, tn } = useI18n();
  const actor = useAsync((signal) => getActor(id, signal), [id]);
  const units = useAsync((signal) => getUnits({ actor_id: id }, signal), [id]);
  const measures = useAsync((signal) => getMeasures({ actor_id: id }, signal), [id]);
  const adoptions = useAsync((signal) => getAdoptions({ actor_id: id }, signal), [id]);
  const frameworks = useAsync(getFrameworks, []);

  const errors: string[] = [];
  if (actor.error) errors.push(t('error.actor', { message: describeError(t, actor.error) }));
  if (units.error) errors.push(t('error.units', { message: describeError(t, units.error) }));
  if (measures.error)
    errors.push(t('error.measureList', { message: describeError(t, measures.error) }));
  if (adoptions.error)
    errors.push(t('error.adoptions', { message: describeError(t, adoptions.error) }));
  if (frameworks.error)
    errors.push(t('error.frameworks', { message: describeError(t, frameworks.error) }));
  const retry = () => {
    actor.reload();
    units.reload();
    measures.reload();
    adoptions.reload();
    frameworks.reload();
  };

  const frameworkById = useMemo(
    () => new Map<number, Framework>((frameworks.data ?? []).map((f) => [f.id, f])),
    [frameworks.data],
  );
  const sortedUnits = useMemo(
    () => [...(units.data ?? [])].sort((a, b) => a.path.localeCompare(b.path, 'sv')),
    [units.data],
  );

  // Each measure once, with the actor's role in it.
  const rows = useMemo(
    () =>
      (measures.data ?? []).map((m) => {
        const leads = m.responsible.some((r) => r.actor_id === id);
        const inherited = !leads && m.inherited_responsible?.actor_id === id;
        const partner = m.partners.find((p) => p.actor_id === id);
        const role = leads
          ? t('actor.roleResponsible')
          : inherited
            ? t('actor.roleInherited')
            : partner
              ? `${t('actor.rolePartner')} (${tk(`role.${partner.role}`, partner.role)})`
              : '';
        return { m, role, leads: leads || inherited };
      }),
    [measures.data, id, t, tk],
  );
  const leadCount = rows.filter((r) => r.leads).length;

  const a = actor.data;
  return (
    <>
      <p class="breadcrumb">
        <Link href={hrefFor('/aktorer', lang)}>{t('nav.actors')}</Link>
      </p>
      <h1 tabIndex={-1}>{a ? a.name : t('actor.title')}</h1>
      {a && (
        <p class="lead">
          {tk(`actorkind.${a.kind}`, a.kind)}
          {a.short_name && ` · ${a.short_name}`}
          {a.area_code && ` · ${t('actor.areaCode', { code: a.area_code })}`}
        </p>
      )}
      {a?.description && <p>{a.description}</p>}
      <ErrorAlert messages={errors} onRetry={retry} />

      <section aria-labelledby="units-heading" aria-busy={units.loading}>
        <h2 id="units-heading">{t('actor.units')}</h2>
        {units.loading && !units.data ? (
          <p class="loading">{t('loading')}</p>
        ) : units.data && units.data.length === 0 ? (
          <p>{t('actor.noUnits')}</p>
        ) : units.data ? (
          <div data-testid="actor-units">
            <UnitTree units={sortedUnits} parent={null} />
          </div>
        ) : null}
      </section>

      <section aria-labelledby="actor-adoptions-heading" aria-busy={adoptions.loading}>
        <h2 id="actor-adoptions-heading">{t('actor.adoptions')}</h2>
        {adoptions.loading && !adoptions.data ? (
          <p class="loading">{t('loading')}</p>
        ) : adoptions.data && adoptions.data.length === 0 ? (
          <p>{t('actor.noAdoptions')}</p>
        ) : adoptions.data ? (
          <AdoptionList
            adoptions={adoptions.data}
            name={(adoption) => {
              const f = frameworkById.get(adoption.framework_id);
              return {
                href: `/ramverk/${adoption.framework_id}`,
                label: f ? f.title : `#${adoption.framework_id}`,
              };
            }}
          />
        ) : null}
      </section>

      <section aria-labelledby="actor-measures-heading" aria-busy={measures.loading}>
        <h2 id="actor-measures-heading">{t('actor.measures')}</h2>
        {measures.loading && !measures.data ? (
          <p class="loading">{t('loading')}</p>
        ) : rows.length === 0 && measures.data ? (
          <p>{t('actor.noMeasures')}</p>
        ) : measures.data ? (
          <>
            <p>
              {t('actor.measureSummary', {
                all: tn('start.measures', rows.length),
                lead: leadCount,
              })}
            </p>
            <div class="table-wrap">
              <table class="data" data-testid="actor-measures">
                <caption class="visually-hidden">{t('actor.measures')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('actor.framework')}</th>
                    <th scope="col">{t('measure.code')}</th>
                    <th scope="col">{t('measure.text')}</th>
                    <th scope="col">{t('actor.role')}</th>
                    <th scope="col">{t('measure.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map(({ m, role }) => {
                    const f = frameworkById.get(m.framework_id);
                    return (
                      <tr key={m.id}>
                        <td>
                          <Link href={hrefFor(`/ramverk/${m.framework_id}`, lang)}>
                            {f ? f.short_title || f.title : `#${m.framework_id}`}
                          </Link>
                        </td>
                        <td class="nowrap">{m.code}</td>
                        <td>
                          <Link href={hrefFor(`/ramverk/${m.framework_id}/atgard/${m.id}`, lang)}>
                            {m.text}
                          </Link>
                        </td>
                        <td>{role}</td>
                        <td class="nowrap">
                          <span class={`dot status-${m.status}`} aria-hidden="true" />
                          {tk(`status.${m.status}`, m.status)}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </>
        ) : null}
      </section>
    </>
  );
}
