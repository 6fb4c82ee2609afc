// Every event a caseworker can record, as the API's routes and request bodies define it
// (apps/api/src/cases/commands/*/*.request.dto.ts): the route, its fields and their rules.
import type { FieldSpec, FormValues } from './form-model.js';
import {
  AFFILIATIONS,
  AMNESTY_FILERS,
  AMNESTY_OUTCOMES,
  DATE_PRECISIONS,
  EXCLUDED_OFFENCES,
  GENDERS,
  HUNGER_STRIKE_PHASES,
  PRESENTATION_OUTCOMES,
  RELEASE_LEGAL_BASES,
  SOURCE_KINDS,
  VERIFICATIONS,
} from './types.js';

const MAX_TEXT = 200;
const MAX_NOTES = 4000;

const sourceGiven = (prefix: string) => (v: FormValues) =>
  String(v[`${prefix}.kind`] ?? '').trim() !== '' || String(v[`${prefix}.name`] ?? '').trim() !== '';

/** The source of a fact: optional as a whole, but a kind needs a name and a name a kind. */
export function sourceFields(prefix = 'source', required = false): FieldSpec[] {
  const when = required ? () => true : sourceGiven(prefix);
  return [
    { name: `${prefix}.kind`, kind: 'select', options: SOURCE_KINDS, optionLabels: 'cw.sourceKind.', label: 'cw.field.source.kind', requiredWhen: when },
    { name: `${prefix}.name`, kind: 'text', maxLength: MAX_TEXT, label: 'cw.field.source.name', requiredWhen: when },
    { name: `${prefix}.reference`, kind: 'text', maxLength: 500, label: 'cw.field.source.reference', hint: 'cw.hint.source.reference' },
  ];
}

/** What every world event states about itself: when, how precisely, on whose word, and notes. */
export const FACT_FIELDS: FieldSpec[] = (
  [
  { name: 'occurredOn', kind: 'date', required: true, notFuture: true },
  { name: 'datePrecision', kind: 'select', options: DATE_PRECISIONS, optionLabels: 'cw.precision.', initial: 'day' },
  ...sourceFields(),
  { name: 'verification', kind: 'select', options: VERIFICATIONS, optionLabels: 'cw.verification.', initial: 'confirmed' },
  ] as FieldSpec[]
).map((f): FieldSpec => ({ ...f, section: 'facts' }));
const NOTES: FieldSpec = { name: 'notes', kind: 'textarea', maxLength: MAX_NOTES, hint: 'cw.hint.personal', section: 'facts' };

const text = (name: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({ name, kind: 'text', maxLength: MAX_TEXT, ...extra });

const CUSTODY_FIELDS: FieldSpec[] = [
  text('facility'),
  text('arrestingAuthority'),
  { name: 'charges', kind: 'list', maxLength: MAX_TEXT, hint: 'cw.hint.list' },
];

export interface EventKind {
  /** Route under /api/cases/:id/ (`amnesty-requests/:requestId/decision` for decisions). */
  id: string;
  /** Whether the common facts (date, precision, source, verification) apply. */
  facts: boolean;
  fields: FieldSpec[];
  /** The route, once the form's values are known (decisions and appeals name a request). */
  path: (caseId: string, values: FormValues) => string;
}

const simple = (id: string, fields: FieldSpec[], facts = true): EventKind => ({
  id,
  facts,
  fields,
  path: (caseId) => `/api/cases/${encodeURIComponent(caseId)}/${id}`,
});

const onRequest = (id: 'decision' | 'appeals', fields: FieldSpec[]): EventKind => ({
  id: `amnesty-${id}`,
  facts: true,
  fields,
  path: (caseId, v) => `/api/cases/${encodeURIComponent(caseId)}/amnesty-requests/${encodeURIComponent(String(v['requestId'] ?? ''))}/${id}`,
});

const denied = (v: FormValues) => v['outcome'] === 'denied';

export const EVENT_KINDS: EventKind[] = [
  simple('detentions', CUSTODY_FIELDS),
  simple('releases', [
    { name: 'legalBasis', kind: 'select', options: RELEASE_LEGAL_BASES, optionLabels: 'cw.legalBasis.', required: true },
    text('facility', { label: 'cw.field.releasedFrom' }),
    { name: 'conditions.reportEveryDays', kind: 'number', min: 1, max: 365, hint: 'cw.hint.reportEveryDays' },
    { name: 'conditions.speechRestriction', kind: 'checkbox' },
    { name: 'conditions.travelBan', kind: 'checkbox' },
    text('conditions.other'),
  ]),
  simple('re-arrests', CUSTODY_FIELDS),
  simple('house-arrests', [text('location', { hint: 'cw.hint.location' }), text('orderedBy')]),
  simple('disappearances', [text('takenBy'), text('lastSeenAt')]),
  simple('whereabouts', [text('facility', { required: true })]),
  simple('transfers', [text('toFacility', { required: true })]),
  simple('charges', [
    { name: 'charges', kind: 'list', required: true, maxLength: MAX_TEXT, hint: 'cw.hint.list' },
    { name: 'excludedOffences', kind: 'checkboxes', options: EXCLUDED_OFFENCES, optionLabels: 'cw.offence.' },
    { name: 'sentenced', kind: 'checkbox' },
  ]),
  simple('presentations', [
    { name: 'outcome', kind: 'select', options: PRESENTATION_OUTCOMES, optionLabels: 'cw.presentationOutcome.', required: true },
    text('court'),
  ]),
  simple('conditions-lifted', [{ name: 'legalBasis', kind: 'select', options: RELEASE_LEGAL_BASES, optionLabels: 'cw.legalBasis.' }]),
  simple('hunger-strikes', [{ name: 'phase', kind: 'select', options: HUNGER_STRIKE_PHASES, optionLabels: 'cw.phase.', required: true }]),
  simple('deaths', [text('facility')]),
  simple('amnesty-requests', [
    { name: 'filedBy', kind: 'select', options: AMNESTY_FILERS, optionLabels: 'cw.filer.', required: true },
    text('tribunal'),
    text('lawyerName', { hint: 'cw.hint.personal' }),
  ]),
  onRequest('decision', [
    { name: 'requestId', kind: 'select', dynamicOptions: 'undecided-requests', required: true, inPath: true },
    { name: 'outcome', kind: 'select', options: AMNESTY_OUTCOMES, optionLabels: 'cw.amnestyOutcome.', required: true },
    { name: 'reason', kind: 'textarea', maxLength: 2000, requiredWhen: denied, visibleWhen: denied },
    { name: 'excludedOffence', kind: 'select', options: EXCLUDED_OFFENCES, optionLabels: 'cw.offence.', visibleWhen: denied },
    text('tribunal'),
  ]),
  onRequest('appeals', [
    { name: 'requestId', kind: 'select', dynamicOptions: 'decided-requests', required: true, inPath: true },
    { name: 'appealedBy', kind: 'select', options: AMNESTY_FILERS, optionLabels: 'cw.filer.', required: true },
  ]),
  simple(
    'retractions',
    [
      { name: 'eventId', kind: 'select', dynamicOptions: 'retractable-events', required: true },
      { name: 'reason', kind: 'textarea', maxLength: 2000, required: true, label: 'cw.field.retractionReason' },
    ],
    false,
  ),
  simple('confirmations', [{ name: 'eventId', kind: 'select', dynamicOptions: 'reported-events', required: true }, ...sourceFields('source', true)], false),
];

/** The fields of a kind's form, facts first, notes last (retractions and confirmations have neither). */
export function fieldsOf(kind: EventKind): FieldSpec[] {
  if (!kind.facts) return kind.fields;
  return [...kind.fields, ...FACT_FIELDS, NOTES];
}

/** Opening a case (POST /api/cases): the person, optionally the first detention, and who reported it. */
export const OPEN_CASE_FIELDS: FieldSpec[] = [
  ...([
  { name: 'person.fullName', kind: 'text', maxLength: MAX_TEXT, requiredWhen: (v) => v['person.nameWithheld'] !== true, hint: 'cw.hint.personal' },
  { name: 'person.nameWithheld', kind: 'checkbox' },
  { name: 'person.nationalities', kind: 'list', required: true, countryCodes: true, hint: 'cw.hint.nationalities', initial: 'VE' },
  { name: 'person.gender', kind: 'select', options: GENDERS, optionLabels: 'cw.gender.', required: true },
  { name: 'person.birthYear', kind: 'number', min: 1900, max: 2100 },
  { name: 'person.minor', kind: 'checkbox', sendFalse: true },
  { name: 'person.affiliation', kind: 'select', options: AFFILIATIONS, optionLabels: 'cw.affiliation.', required: true, initial: 'civilian' },
  text('person.externalReference'),
  { name: 'person.notes', kind: 'textarea', maxLength: MAX_NOTES, hint: 'cw.hint.personal' },
  ] as FieldSpec[]).map((f): FieldSpec => ({ ...f, section: 'person' })),
  { name: 'withDetention', kind: 'checkbox', inPath: true, initial: true, section: 'detention' },
  ...[
    { name: 'detention.occurredOn', kind: 'date', required: true, notFuture: true, label: 'cw.field.occurredOn' } as FieldSpec,
    text('detention.facility', { label: 'cw.field.facility' }),
    text('detention.arrestingAuthority', { label: 'cw.field.arrestingAuthority' }),
    { name: 'detention.charges', kind: 'list', maxLength: MAX_TEXT, label: 'cw.field.charges', hint: 'cw.hint.list' } as FieldSpec,
    ...sourceFields('detention.source'),
    { name: 'detention.verification', kind: 'select', options: VERIFICATIONS, optionLabels: 'cw.verification.', initial: 'confirmed', label: 'cw.field.verification' } as FieldSpec,
  ].map((f): FieldSpec => ({ ...f, section: 'detention', visibleWhen: (v) => v['withDetention'] === true })),
  ...sourceFields('source').map((f): FieldSpec => ({ ...f, section: 'reporter' })),
];
