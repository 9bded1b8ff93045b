// The measure form: every writable field, the API's message beside the field it concerns, a
// draft kept in the browser on every keystroke, and a way out of a 409 conflict that shows both
// versions and lets the user choose, field by field.
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  ApiError,
  createMeasure,
  measureStatuses,
  patchMeasure,
  type Actor,
  type Classification,
  type MeasureFull,
  type PartnerRole,
  type Unit,
} from '../api';
import { useI18n, type MessageKey } from '../i18n';
import {
  apiValue,
  changedFields,
  clearDraft,
  createBody,
  entityValue,
  fieldError,
  formFromMeasure,
  isConflict,
  loadDraft,
  patchBody,
  saveDraft,
  type DraftId,
  type FieldError,
  type FormField,
  type MeasureForm,
  type PartnerRow,
  type ResponsibleRow,
} from '../measure-edit';
import { actorLabel, nodeLabel, type FlatNode } from '../pages/Framework';
import { describeError } from './ErrorAlert';
import './MeasureEditor.css';

const partnerRoles: readonly PartnerRole[] = [
  'lead',
  'coordinating',
  'prerequisite',
  'desirable',
  'participant',
];

const fieldLabels: Record<FormField, MessageKey> = {
  status: 'measure.status',
  node_id: 'measure.node',
  code: 'edit.code',
  text: 'edit.text',
  target_group: 'measure.targetGroup',
  expected_result: 'measure.expectedResult',
  expected_result_year: 'edit.year',
  tags: 'measure.tags',
  responsible: 'measure.responsible',
  partners: 'measure.partners',
  classifications: 'edit.classifications',
};

/** The id of a field's control (the error summary links to it, focus goes to it). */
function controlId(field: FormField, row: number | null): string {
  if (field === 'responsible' || field === 'partners')
    return row === null ? `m-${field}-add` : `m-${field}-${row}`;
  if (field === 'classifications') return 'm-classifications';
  return `m-${field}`;
}

interface Conflict {
  current: MeasureFull;
  /** The fields the user changed. */
  mine: FormField[];
  /** Per changed field: keep the user's value or take the saved one. */
  choice: Partial<Record<FormField, 'mine' | 'saved'>>;
}

interface Props {
  /** The measure to edit, or (with `create`) the blank one a new measure starts from. */
  measure: MeasureFull;
  /** A new measure: saved with POST, its draft kept per framework. */
  create?: boolean;
  nodes: FlatNode[];
  actors: Actor[];
  units: Unit[];
  classifications: Classification[];
  onSaved: (measure: MeasureFull) => void;
  /** A 409 arrived: the page refreshes what it shows of the other change (its history). */
  onConflict: () => void;
  onClose: () => void;
}

export function MeasureEditor({
  measure,
  create = false,
  nodes,
  actors,
  units,
  classifications,
  onSaved,
  onConflict,
  onClose,
}: Props) {
  const i18n = useI18n();
  const { t, tk, lang, formatDateTime } = i18n;
  const draftId: DraftId = create ? { newIn: measure.framework_id } : { measure: measure.id };
  const initialDraft = useMemo(() => loadDraft(draftId), [measure.id, measure.framework_id]);
  const [base, setBase] = useState<MeasureFull>(initialDraft?.base ?? measure);
  const [form, setForm] = useState<MeasureForm>(initialDraft?.form ?? formFromMeasure(measure));
  const [restoredAt, setRestoredAt] = useState<string | null>(initialDraft?.saved_at ?? null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [draftKept, setDraftKept] = useState(true);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const conflictRef = useRef<HTMLElement>(null);

  const sortedActors = useMemo(
    () => [...actors].filter((a) => !a.deleted).sort((a, b) => a.name.localeCompare(b.name, lang)),
    [actors, lang],
  );
  const actorById = useMemo(() => new Map(actors.map((a) => [a.id, a])), [actors]);
  const unitsOf = useMemo(() => {
    const map = new Map<number, Unit[]>();
    for (const unit of units) map.set(unit.actor_id, [...(map.get(unit.actor_id) ?? []), unit]);
    return map;
  }, [units]);
  const unitById = useMemo(() => new Map(units.map((u) => [u.id, u])), [units]);
  const nodeById = useMemo(() => new Map(nodes.map((f) => [f.node.id, f.node])), [nodes]);
  const classificationLabel = (c: Classification) => (lang === 'en' ? c.label_en : c.label_sv);
  const classificationById = useMemo(
    () => new Map(classifications.map((c) => [c.id, c])),
    [classifications],
  );

  const changed = changedFields(base, form);

  /** Every edit goes through here: the form, then the draft (or none when nothing changed). */
  const update = (next: MeasureForm) => {
    setForm(next);
    setNotice(null);
    if (changedFields(base, next).length === 0) {
      clearDraft(draftId);
      setDraftKept(true);
    } else {
      setDraftKept(saveDraft(draftId, base, next));
    }
  };
  const set = <K extends keyof MeasureForm>(key: K, value: MeasureForm[K]) =>
    update({ ...form, [key]: value });

  // Focus moves before the next paint, so a screen reader announces the new state at once.
  useLayoutEffect(() => {
    if (errors.length > 0) summaryRef.current?.focus();
  }, [errors]);
  useLayoutEffect(() => {
    if (conflict) conflictRef.current?.focus();
  }, [conflict !== null]);

  const send = async (from: MeasureFull, values: MeasureForm, fields: FormField[]) => {
    setSaving(true);
    setErrors([]);
    try {
      const saved = create
        ? await createMeasure(createBody(values))
        : await patchMeasure(measure.id, patchBody(from, values, fields));
      clearDraft(draftId);
      setConflict(null);
      onSaved(saved);
    } catch (error) {
      if (isConflict(error) && error.details.current) {
        const current = error.details.current as MeasureFull;
        const mine = changedFields(from, values);
        setConflict({
          current,
          mine,
          choice: Object.fromEntries(mine.map((f) => [f, 'mine'])) as Conflict['choice'],
        });
        onConflict();
      } else if (error instanceof ApiError && error.kind === 'http' && error.code) {
        setErrors([fieldError(t, tk, error)]);
      } else {
        setErrors([
          {
            field: null,
            row: null,
            message: t('edit.err.notSent', { message: describeError(t, error) }),
          },
        ]);
      }
    } finally {
      setSaving(false);
    }
  };

  const onSubmit = (event: Event) => {
    event.preventDefault();
    if (saving) return;
    if (changed.length === 0 && !create) {
      setNotice(t('edit.nothingChanged'));
      return;
    }
    void send(base, form, changed);
  };

  /** Out of the conflict with the chosen mix: the saved version plus the fields kept as typed. */
  const resolveWithChoice = () => {
    if (!conflict) return;
    const current = conflict.current;
    const kept = conflict.mine.filter((f) => conflict.choice[f] !== 'saved');
    const mixed = formFromMeasure(current);
    for (const field of kept) (mixed as unknown as Record<string, unknown>)[field] = form[field];
    setBase(current);
    setForm(mixed);
    setRestoredAt(null);
    if (kept.length === 0) {
      clearDraft(draftId);
      setConflict(null);
      onSaved(current);
      return;
    }
    saveDraft(draftId, current, mixed);
    void send(current, mixed, changedFields(current, mixed));
  };

  /** Out of the conflict by dropping what was typed: the form shows the saved version. */
  const takeSaved = () => {
    if (!conflict) return;
    clearDraft(draftId);
    setBase(conflict.current);
    setForm(formFromMeasure(conflict.current));
    setConflict(null);
    setRestoredAt(null);
    setNotice(t('edit.tookSaved', { version: conflict.current.version }));
  };

  const discard = () => {
    clearDraft(draftId);
    onClose();
  };

  /** The error of a field, or of one row of the responsible or partner list. */
  const errorOf = (field: FormField, row: number | null = null) =>
    errors.find((e) => e.field === field && e.row === row);
  const errorId = (field: FormField, row: number | null = null) =>
    `${controlId(field, row)}-error`;
  const invalid = (field: FormField, row: number | null = null) =>
    errorOf(field, row)
      ? { 'aria-invalid': true as const, 'aria-describedby': errorId(field, row) }
      : {};
  const errorText = (field: FormField, row: number | null = null) => {
    const error = errorOf(field, row);
    return error ? (
      <p class="field-error" id={errorId(field, row)} data-testid={`error-${field}`}>
        <span aria-hidden="true">⚠ </span>
        {error.message}
      </p>
    ) : null;
  };

  /** A value as the reader knows it, for the conflict view. */
  const show = (field: FormField, value: unknown): ComponentChildren => {
    const empty = <span class="muted">{t('edit.empty')}</span>;
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) return empty;
    const actorName = (id: unknown) =>
      typeof id === 'number' ? actorLabel(actorById.get(id), id) : t('edit.noActor');
    const unitNames = (ids: number[]) =>
      ids.length ? ` (${ids.map((u) => unitById.get(u)?.name ?? `#${u}`).join(', ')})` : '';
    switch (field) {
      case 'status':
        return tk(`status.${String(value)}`, String(value));
      case 'node_id': {
        const node = nodeById.get(Number(value));
        return node ? nodeLabel(node) : `#${String(value)}`;
      }
      case 'tags':
        return (value as string[]).join('; ');
      case 'responsible':
        return (value as { actor_id: unknown; unit_ids: number[] }[])
          .map((r) => actorName(r.actor_id) + unitNames(r.unit_ids))
          .join('; ');
      case 'partners':
        return (value as { actor_id: unknown; role: string; unit_ids: number[] }[])
          .map((p) => `${actorName(p.actor_id)}${unitNames(p.unit_ids)} – ${tk(`role.${p.role}`, p.role)}`)
          .join('; ');
      case 'classifications':
        return (value as string[])
          .map((id) => {
            const c = classificationById.get(id);
            return c ? classificationLabel(c) : id;
          })
          .join(', ');
      default:
        return String(value);
    }
  };

  const actorSelect = (
    id: string,
    value: string,
    onChange: (value: string) => void,
    label: string,
    extra: Record<string, unknown>,
  ) => (
    <select id={id} value={value} aria-label={label} onChange={(e) => onChange(e.currentTarget.value)} {...extra}>
      <option value="">{t('edit.chooseActor')}</option>
      {sortedActors.map((a) => (
        <option key={a.id} value={a.id}>
          {a.name}
        </option>
      ))}
    </select>
  );

  const unitChoice = (
    field: 'responsible' | 'partners',
    idx: number,
    row: ResponsibleRow,
    onChange: (ids: number[]) => void,
  ) => {
    const own = unitsOf.get(Number(row.actor_id)) ?? [];
    if (own.length === 0) return null;
    return (
      <details class="unit-choice">
        <summary>{t('edit.units', { count: row.unit_ids.length })}</summary>
        <fieldset>
          <legend class="visually-hidden">
            {t('edit.unitsOf', { actor: actorLabel(actorById.get(Number(row.actor_id)), Number(row.actor_id)) })}
          </legend>
          {own.map((unit) => (
            <label key={unit.id} class="check">
              <input
                type="checkbox"
                checked={row.unit_ids.includes(unit.id)}
                data-testid={`${field}-${idx}-unit`}
                onChange={(e) =>
                  onChange(
                    e.currentTarget.checked
                      ? [...row.unit_ids, unit.id]
                      : row.unit_ids.filter((u) => u !== unit.id),
                  )
                }
              />
              {unit.path}
            </label>
          ))}
        </fieldset>
      </details>
    );
  };

  const setRow = <R extends ResponsibleRow>(key: 'responsible' | 'partners', idx: number, row: R) =>
    set(key, form[key].map((r, i) => (i === idx ? row : r)) as never);
  const removeRow = (key: 'responsible' | 'partners', idx: number) =>
    set(key, form[key].filter((_, i) => i !== idx) as never);

  const schemeBoxes = (scheme: Classification['scheme'], legend: MessageKey) => {
    const options = classifications.filter((c) => c.scheme === scheme);
    if (options.length === 0) return null;
    return (
      <fieldset class="checks">
        <legend>{t(legend)}</legend>
        {options.map((c) => {
          const suggested = base.suggested_classifications.includes(c.id);
          return (
            <label key={c.id} class="check">
              <input
                type="checkbox"
                value={c.id}
                checked={form.classifications.includes(c.id)}
                onChange={(e) =>
                  set(
                    'classifications',
                    e.currentTarget.checked
                      ? [...form.classifications, c.id]
                      : form.classifications.filter((id) => id !== c.id),
                  )
                }
              />
              {scheme === 'target_area' ? `${c.code}. ` : ''}
              {classificationLabel(c)}
              {suggested && <span class="muted"> {t('edit.suggested')}</span>}
            </label>
          );
        })}
      </fieldset>
    );
  };

  /** The errors at the top, each linking to its field (the messages also stand beside it). */
  const errorSummary = () =>
    errors.length === 0 ? null : (
      <div class="alert" role="alert" tabIndex={-1} ref={summaryRef} data-testid="edit-errors">
        <p class="alert-title">{t('edit.notSaved')}</p>
        <ul>
          {errors.map((e) => (
            <li key={e.message}>
              {e.field ? (
                <a href={`#${controlId(e.field, e.row)}`}>
                  {t(fieldLabels[e.field])}
                  {e.row !== null && ` ${e.row + 1}`}: {e.message}
                </a>
              ) : (
                e.message
              )}
            </li>
          ))}
        </ul>
        {errors.some((e) => e.field === null) && <p>{t('edit.keptLocally')}</p>}
      </div>
    );

  if (conflict) {
    const { current, mine } = conflict;
    const othersChanged = changedFields(base, formFromMeasure(current)).filter(
      (f) => !mine.includes(f),
    );
    return (
      <section
        class="conflict"
        aria-labelledby="conflict-heading"
        tabIndex={-1}
        ref={conflictRef}
        data-testid="conflict"
      >
        <h2 id="conflict-heading">{t('edit.conflictTitle')}</h2>
        <p>
          {t('edit.conflictText', {
            yours: base.version,
            saved: current.version,
            at: formatDateTime(current.updated_at),
          })}
        </p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            resolveWithChoice();
          }}
        >
          <div class="table-wrap">
            <table class="data conflict-table">
              <caption class="visually-hidden">{t('edit.conflictTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('edit.field')}</th>
                  <th scope="col">{t('edit.yours')}</th>
                  <th scope="col">{t('edit.saved', { version: current.version })}</th>
                </tr>
              </thead>
              <tbody>
                {mine.map((field) => {
                  const yours = apiValue(form, field);
                  const saved = entityValue(current, field);
                  const differs = JSON.stringify(yours) !== JSON.stringify(saved);
                  const name = `choice-${field}`;
                  return (
                    <tr key={field} data-testid={`conflict-${field}`}>
                      <th scope="row">
                        {t(fieldLabels[field])}
                        {!differs && <span class="muted"> {t('edit.sameValue')}</span>}
                      </th>
                      <td>
                        <label class="check">
                          <input
                            type="radio"
                            name={name}
                            checked={conflict.choice[field] !== 'saved'}
                            onChange={() =>
                              setConflict({ ...conflict, choice: { ...conflict.choice, [field]: 'mine' } })
                            }
                            data-testid={`keep-mine-${field}`}
                          />
                          <span class="choice-value">{show(field, yours)}</span>
                        </label>
                      </td>
                      <td>
                        <label class="check">
                          <input
                            type="radio"
                            name={name}
                            checked={conflict.choice[field] === 'saved'}
                            onChange={() =>
                              setConflict({ ...conflict, choice: { ...conflict.choice, [field]: 'saved' } })
                            }
                            data-testid={`take-saved-${field}`}
                          />
                          <span class="choice-value">{show(field, saved)}</span>
                        </label>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {othersChanged.length > 0 && (
            <p data-testid="conflict-others">
              {t('edit.othersChanged', {
                fields: othersChanged.map((f) => t(fieldLabels[f])).join(', '),
              })}
            </p>
          )}
          {errorSummary()}
          <div class="form-actions">
            <button type="submit" class="button-primary" disabled={saving} data-testid="resolve">
              {t('edit.saveChoice')}
            </button>
            <button type="button" class="button-plain" onClick={takeSaved} data-testid="take-saved">
              {t('edit.takeSaved')}
            </button>
          </div>
        </form>
      </section>
    );
  }

  return (
    <form class="edit-form" onSubmit={onSubmit} noValidate data-testid="measure-form" aria-labelledby="edit-heading">
      <h2 id="edit-heading">{create ? t('edit.newTitle') : t('edit.title')}</h2>
      {restoredAt && (
        <div class="notice" role="status" data-testid="draft-restored">
          <p>{t('edit.restored', { at: formatDateTime(restoredAt) })}</p>
          <button
            type="button"
            class="button-plain"
            onClick={() => {
              clearDraft(draftId);
              setBase(measure);
              setForm(formFromMeasure(measure));
              setRestoredAt(null);
            }}
          >
            {t('edit.dropDraft')}
          </button>
        </div>
      )}
      {!draftKept && (
        <p class="notice" role="status">
          {t('edit.draftNotKept')}
        </p>
      )}
      {errorSummary()}

      <div class="form-grid">
        <div class="field">
          <label for="m-status">{t('measure.status')}</label>
          <select
            id="m-status"
            value={form.status}
            onChange={(e) => set('status', e.currentTarget.value as MeasureForm['status'])}
            {...invalid('status')}
          >
            {measureStatuses.map((s) => (
              <option key={s} value={s}>
                {tk(`status.${s}`, s)}
              </option>
            ))}
          </select>
          {errorText('status')}
        </div>
        <div class="field">
          <label for="m-code">{t('edit.code')}</label>
          <input id="m-code" value={form.code} onInput={(e) => set('code', e.currentTarget.value)} {...invalid('code')} />
          {errorText('code')}
        </div>
        <div class="field field-wide">
          <label for="m-node_id">{t('measure.node')}</label>
          <select
            id="m-node_id"
            value={form.node_id}
            onChange={(e) => set('node_id', e.currentTarget.value)}
            {...invalid('node_id')}
          >
            {nodes.map((f) => (
              <option key={f.node.id} value={f.node.id}>
                {'\u2003'.repeat(f.depth)}
                {nodeLabel(f.node)}
              </option>
            ))}
          </select>
          {errorText('node_id')}
        </div>
        <div class="field field-wide">
          <label for="m-text">{t('edit.text')}</label>
          <textarea
            id="m-text"
            rows={3}
            value={form.text}
            required
            onInput={(e) => set('text', e.currentTarget.value)}
            {...invalid('text')}
          />
          {errorText('text')}
        </div>
        <div class="field field-wide">
          <label for="m-target_group">{t('measure.targetGroup')}</label>
          <input
            id="m-target_group"
            value={form.target_group}
            onInput={(e) => set('target_group', e.currentTarget.value)}
            {...invalid('target_group')}
          />
          {errorText('target_group')}
        </div>
        <div class="field field-wide">
          <label for="m-expected_result">{t('measure.expectedResult')}</label>
          <textarea
            id="m-expected_result"
            rows={2}
            value={form.expected_result}
            onInput={(e) => set('expected_result', e.currentTarget.value)}
            {...invalid('expected_result')}
          />
          {errorText('expected_result')}
        </div>
        <div class="field">
          <label for="m-expected_result_year">{t('edit.year')}</label>
          <input
            id="m-expected_result_year"
            inputMode="numeric"
            value={form.expected_result_year}
            onInput={(e) => set('expected_result_year', e.currentTarget.value)}
            {...invalid('expected_result_year')}
          />
          {errorText('expected_result_year')}
        </div>
        <div class="field">
          <label for="m-tags">{t('measure.tags')}</label>
          <textarea
            id="m-tags"
            rows={Math.min(6, Math.max(2, form.tags.split('\n').length))}
            value={form.tags}
            aria-describedby={errorOf('tags') ? errorId('tags') : 'm-tags-hint'}
            aria-invalid={errorOf('tags') ? true : undefined}
            onInput={(e) => set('tags', e.currentTarget.value)}
          />
          <p class="hint" id="m-tags-hint">
            {t('edit.tagsHint')}
          </p>
          {errorText('tags')}
        </div>
      </div>

      <fieldset class="rows" aria-describedby={errorOf('responsible') ? errorId('responsible') : undefined}>
        <legend>{t('measure.responsible')}</legend>
        {form.responsible.length === 0 && (
          <p class="hint">
            {base.inherited_responsible
              ? t('edit.inherits', {
                  actor: actorLabel(
                    actorById.get(base.inherited_responsible.actor_id),
                    base.inherited_responsible.actor_id,
                  ),
                })
              : t('edit.noResponsible')}
          </p>
        )}
        {form.responsible.map((row, idx) => (
          <div class="row-item" key={idx}>
            {actorSelect(
              controlId('responsible', idx),
              row.actor_id,
              (value) => setRow('responsible', idx, { actor_id: value, unit_ids: [] }),
              t('edit.responsibleN', { n: idx + 1 }),
              invalid('responsible', idx),
            )}
            {unitChoice('responsible', idx, row, (ids) =>
              setRow('responsible', idx, { ...row, unit_ids: ids }),
            )}
            <button type="button" class="button-plain" onClick={() => removeRow('responsible', idx)}>
              {t('edit.remove')}
              <span class="visually-hidden"> {t('edit.responsibleN', { n: idx + 1 })}</span>
            </button>
            {errorText('responsible', idx)}
          </div>
        ))}
        {errorText('responsible')}
        <button
          type="button"
          class="button-plain"
          id={controlId('responsible', null)}
          onClick={() => set('responsible', [...form.responsible, { actor_id: '', unit_ids: [] }])}
        >
          {t('edit.addResponsible')}
        </button>
      </fieldset>

      <fieldset
        class="rows"
        aria-describedby={errorOf('partners') ? errorId('partners') : undefined}
      >
        <legend>{t('measure.partners')}</legend>
        {form.partners.map((row, idx) => (
          <div class="row-item" key={idx}>
            {actorSelect(
              controlId('partners', idx),
              row.actor_id,
              (value) => setRow<PartnerRow>('partners', idx, { ...row, actor_id: value, unit_ids: [] }),
              t('edit.partnerN', { n: idx + 1 }),
              invalid('partners', idx),
            )}
            <select
              aria-label={t('edit.roleN', { n: idx + 1 })}
              value={row.role}
              onChange={(e) =>
                setRow<PartnerRow>('partners', idx, { ...row, role: e.currentTarget.value as PartnerRole })
              }
            >
              {partnerRoles.map((r) => (
                <option key={r} value={r}>
                  {tk(`role.${r}`, r)}
                </option>
              ))}
            </select>
            {unitChoice('partners', idx, row, (ids) => setRow<PartnerRow>('partners', idx, { ...row, unit_ids: ids }))}
            <button type="button" class="button-plain" onClick={() => removeRow('partners', idx)}>
              {t('edit.remove')}
              <span class="visually-hidden"> {t('edit.partnerN', { n: idx + 1 })}</span>
            </button>
            {errorText('partners', idx)}
          </div>
        ))}
        {errorText('partners')}
        <button
          type="button"
          class="button-plain"
          id={controlId('partners', null)}
          onClick={() =>
            set('partners', [...form.partners, { actor_id: '', role: 'participant', unit_ids: [] }])
          }
        >
          {t('edit.addPartner')}
        </button>
      </fieldset>

      <div id="m-classifications" tabIndex={-1} class="classification-fields">
        {schemeBoxes('target_area', 'edit.targetAreas')}
        {schemeBoxes('prevention_level', 'edit.preventionLevels')}
        {errorText('classifications')}
      </div>

      {notice && (
        <p class="notice" role="status" data-testid="edit-notice">
          {notice}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="button-primary" disabled={saving} data-testid="save">
          {saving ? t('edit.saving') : create ? t('edit.create') : t('edit.save')}
        </button>
        {changed.length === 0 ? (
          <button type="button" class="button-plain" onClick={onClose} data-testid="cancel">
            {t('edit.close')}
          </button>
        ) : confirmDiscard ? (
          <span class="confirm" role="group" aria-label={t('edit.confirmDiscard')}>
            {t('edit.confirmDiscard')}{' '}
            <button type="button" class="button-plain" onClick={discard} data-testid="discard-yes">
              {t('edit.discardYes')}
            </button>{' '}
            <button type="button" class="button-plain" onClick={() => setConfirmDiscard(false)}>
              {t('edit.discardNo')}
            </button>
          </span>
        ) : (
          <button type="button" class="button-plain" onClick={() => setConfirmDiscard(true)} data-testid="discard">
            {t('edit.discard')}
          </button>
        )}
        <span class="muted" aria-live="polite" data-testid="changed-count">
          {changed.length > 0 && t('edit.changedCount', { count: changed.length })}
        </span>
      </div>
    </form>
  );
}
