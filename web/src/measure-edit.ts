// Editing a measure, without the view: the form's state, the PATCH it makes (only the fields
// the user changed), the API's errors placed at their field in plain words, and the draft kept
// in the browser so that nothing typed is lost (a reload, a lost connection, a conflict).
import {
  ApiError,
  type MeasureFull,
  type MeasureStatus,
  type PartnerRole,
} from './api';
import type { Translator } from './i18n';

export interface ResponsibleRow {
  actor_id: string;
  unit_ids: number[];
}

export interface PartnerRow extends ResponsibleRow {
  role: PartnerRole;
}

/** What the form holds: text as typed, ids as the selects give them. */
export interface MeasureForm {
  status: MeasureStatus;
  node_id: string;
  code: string;
  text: string;
  target_group: string;
  expected_result: string;
  expected_result_year: string;
  tags: string;
  responsible: ResponsibleRow[];
  partners: PartnerRow[];
  /** The stated classifications (target areas, prevention levels and any other scheme). */
  classifications: string[];
}

/** The fields a form edits, in the order the form shows them. */
export const formFields = [
  'status',
  'node_id',
  'code',
  'text',
  'target_group',
  'expected_result',
  'expected_result_year',
  'tags',
  'responsible',
  'partners',
  'classifications',
] as const;

export type FormField = (typeof formFields)[number];

export function formFromMeasure(m: MeasureFull): MeasureForm {
  return {
    status: m.status,
    node_id: String(m.node_id),
    code: m.code ?? '',
    text: m.text,
    target_group: m.target_group ?? '',
    expected_result: m.expected_result ?? '',
    expected_result_year: m.expected_result_year === null ? '' : String(m.expected_result_year),
    // One tag a line: a tag may itself hold a comma ("mat, fysisk aktivitet").
    tags: m.tags.join('\n'),
    responsible: m.responsible.map((r) => ({ actor_id: String(r.actor_id), unit_ids: r.unit_ids })),
    partners: m.partners.map((p) => ({
      actor_id: String(p.actor_id),
      role: p.role,
      unit_ids: p.unit_ids,
    })),
    classifications: [...m.classifications],
  };
}

/** An optional text: blank clears it. */
function optionalText(text: string): string | null {
  return text.trim() === '' ? null : text.trim();
}

/** A select's id, or null when none is chosen (the API then says which row lacks it). */
function idOrNull(text: string): number | null {
  return /^\d+$/.test(text) ? Number(text) : null;
}

/** The value the API is sent for one field of the form. */
export function apiValue(form: MeasureForm, field: FormField): unknown {
  switch (field) {
    case 'status':
      return form.status;
    case 'node_id':
      return idOrNull(form.node_id);
    case 'code':
    case 'target_group':
    case 'expected_result':
      return optionalText(form[field]);
    case 'text':
      return form.text.trim();
    case 'expected_result_year': {
      const year = form.expected_result_year.trim();
      if (year === '') return null;
      // Anything but digits goes as typed, so that the API's own message says what is wrong.
      return /^\d+$/.test(year) ? Number(year) : year;
    }
    case 'tags':
      return form.tags
        .split('\n')
        .map((tag) => tag.trim())
        .filter((tag) => tag !== '');
    case 'responsible':
      return form.responsible.map((r) => ({ actor_id: idOrNull(r.actor_id), unit_ids: r.unit_ids }));
    case 'partners':
      return form.partners.map((p) => ({
        actor_id: idOrNull(p.actor_id),
        role: p.role,
        unit_ids: p.unit_ids,
      }));
    case 'classifications':
      return form.classifications;
  }
}

/** The entity's value of a field, in the shape `apiValue` gives. */
export function entityValue(m: MeasureFull, field: FormField): unknown {
  return apiValue(formFromMeasure(m), field);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The fields whose value in the form differs from the entity's. */
export function changedFields(base: MeasureFull, form: MeasureForm): FormField[] {
  return formFields.filter((field) => !same(apiValue(form, field), entityValue(base, field)));
}

/**
 * The PATCH body: `version` and each changed field. A suggested classification the user
 * confirmed leaves the suggested list (an id may stand in only one of the two).
 */
export function patchBody(
  base: MeasureFull,
  form: MeasureForm,
  fields: FormField[] = changedFields(base, form),
): Record<string, unknown> & { version: number } {
  const body: Record<string, unknown> & { version: number } = { version: base.version };
  for (const field of fields) body[field] = apiValue(form, field);
  if (fields.includes('classifications')) {
    const suggested = base.suggested_classifications.filter(
      (id) => !form.classifications.includes(id),
    );
    if (!same(suggested, base.suggested_classifications)) body.suggested_classifications = suggested;
  }
  return body;
}

// --- The API's errors, at their field ----------------------------------------------------------

export interface FieldError {
  /** The form field, or null for the form as a whole. */
  field: FormField | null;
  /** The row of a responsible or partner list. */
  row: number | null;
  message: string;
}

/** `/partners/1/actor_id` → partners, row 1, leaf `actor_id`. */
export function locate(pointer: string): { field: FormField | null; row: number | null; leaf: string } {
  const parts = pointer.split('/').slice(1);
  const head = parts[0] ?? '';
  const leaf = parts[parts.length - 1] ?? '';
  if (head === 'responsible' || head === 'partners') {
    const row = parts[1] !== undefined && /^\d+$/.test(parts[1]) ? Number(parts[1]) : null;
    return { field: head, row, leaf };
  }
  if (head === 'suggested_classifications') return { field: 'classifications', row: null, leaf };
  const field = (formFields as readonly string[]).includes(head) ? (head as FormField) : null;
  return { field, row: null, leaf };
}

/** The message a reader sees for an API error: Swedish (or English), never the raw English. */
export function fieldError(t: Translator['t'], tk: Translator['tk'], error: ApiError): FieldError {
  const details = error.details;
  const pointer = typeof details.field === 'string' ? details.field : '';
  const { field, row, leaf } = locate(pointer);
  const plain = (message: string): FieldError => ({ field, row, message });
  switch (error.code) {
    case 'invalid_value':
      if (Array.isArray(details.allowed))
        return plain(t('edit.err.allowed', { allowed: details.allowed.join(', ') }));
      return plain(field === 'text' || field === 'tags' ? t('edit.err.empty') : t('edit.err.invalid'));
    case 'wrong_type':
    case 'missing_field':
      if (field === 'expected_result_year') return plain(t('edit.err.year'));
      if (leaf === 'actor_id') return plain(t('edit.err.chooseActor'));
      if (field === 'node_id') return plain(t('edit.err.chooseNode'));
      return plain(t('edit.err.invalid'));
    case 'rule_violation': {
      const rule = typeof details.rule === 'string' ? details.rule : '';
      return plain(tk(`edit.err.rule.${rule}`, t('edit.err.rule', { rule })));
    }
    case 'reference_not_found':
      if (leaf === 'actor_id') return plain(t('edit.err.actorGone'));
      if (pointer.includes('/unit_ids/')) return plain(t('edit.err.unitGone'));
      if (field === 'node_id') return plain(t('edit.err.nodeGone'));
      if (field === 'classifications') return plain(t('edit.err.classificationGone'));
      return plain(t('edit.err.gone'));
    case 'duplicate':
      return plain(t('edit.err.duplicateCode', { value: String(details.value ?? '') }));
    case 'immutable_field':
      return plain(t('edit.err.immutable'));
    case 'read_only':
      return { field: null, row: null, message: t('edit.err.readOnly') };
    case 'entity_deleted':
      return { field: null, row: null, message: t('edit.err.deleted') };
    default:
      return {
        field: null,
        row: null,
        message: t('edit.err.unexpected', { status: error.status ?? '?', code: error.code ?? '' }),
      };
  }
}

// --- The draft ------------------------------------------------------------------------------------

export interface Draft {
  /** The entity the form was started from (what "changed" is measured against). */
  base: MeasureFull;
  form: MeasureForm;
  /** When it was last written (ISO). */
  saved_at: string;
}

/** Where a draft lives: an existing measure by id, a new one by its framework. */
export type DraftId = { measure: number } | { newIn: number };

const draftKey = (id: DraftId) =>
  'measure' in id ? `halsonav:draft:measure:${id.measure}` : `halsonav:draft:new-measure:${id.newIn}`;

/** The browser's storage, or null where it is switched off (a private window, a policy). */
function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function loadDraft(id: DraftId): Draft | null {
  const text = storage()?.getItem(draftKey(id));
  if (!text) return null;
  try {
    const draft = JSON.parse(text) as Draft;
    return draft.base && draft.form ? draft : null;
  } catch {
    return null;
  }
}

/** Keeps the draft; false when the browser would not store it (the form says so). */
export function saveDraft(id: DraftId, base: MeasureFull, form: MeasureForm): boolean {
  try {
    const draft: Draft = { base, form, saved_at: new Date().toISOString() };
    const store = storage();
    if (!store) return false;
    store.setItem(draftKey(id), JSON.stringify(draft));
    return true;
  } catch {
    return false;
  }
}

export function clearDraft(id: DraftId): void {
  storage()?.removeItem(draftKey(id));
}

/** A measure not yet created: the starting point of the form for a new one under `nodeId`. */
export function blankMeasure(frameworkId: number, nodeId: number): MeasureFull {
  return {
    id: 0,
    framework_id: frameworkId,
    node_id: nodeId,
    status: 'not_stated',
    code: null,
    text: '',
    target_group: null,
    expected_result: null,
    expected_result_year: null,
    order: 0,
    responsible: [],
    partners: [],
    tags: [],
    classifications: [],
    suggested_classifications: [],
    inherited_responsible: null,
    version: 0,
    deleted: false,
    updated_at: '',
  };
}

/** The POST body of a new measure: every field the form holds, empty optional ones left out. */
export function createBody(form: MeasureForm): Record<string, unknown> {
  return Object.fromEntries(
    formFields.map((field) => [field, apiValue(form, field)]).filter(([, value]) => value !== null),
  );
}

/** Whether an error is the version conflict that the conflict view resolves. */
export function isConflict(error: unknown): error is ApiError {
  return error instanceof ApiError && error.code === 'version_conflict';
}
