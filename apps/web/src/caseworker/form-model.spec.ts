import { readFileSync } from 'node:fs';
import { AUDITOR_MESSAGES } from '../auditor/messages-data.js';
import { EVENT_KINDS, fieldsOf, OPEN_CASE_FIELDS } from './event-catalogue.js';
import { buildBody, initialValues, newIdempotencyKey, placeApiErrors, validate, type FieldSpec } from './form-model.js';
import { CASEWORKER_MESSAGES } from './messages-data.js';

const kind = (id: string) => EVENT_KINDS.find((k) => k.id === id)!;
const TODAY = '2026-02-10';

describe('browser-side validation', () => {
  const release = fieldsOf(kind('releases'));

  it('names every missing required field, and nothing else, on an empty release', () => {
    const errors = validate(release, initialValues(release), TODAY);
    expect(Object.keys(errors).sort()).toEqual(['legalBasis', 'occurredOn']);
  });

  it('refuses a day that does not exist and a day after today (Caracas)', () => {
    const values = { ...initialValues(release), legalBasis: 'court_order' };
    expect(validate(release, { ...values, occurredOn: '2026-02-30' }, TODAY)['occurredOn']).toEqual({ key: 'cw.error.date' });
    expect(validate(release, { ...values, occurredOn: '2026-02-11' }, TODAY)['occurredOn']).toEqual({ key: 'cw.error.future' });
    expect(validate(release, { ...values, occurredOn: TODAY }, TODAY)).toEqual({});
  });

  it('keeps the reporting period within the API range (1 to 365 whole days)', () => {
    const values = { ...initialValues(release), legalBasis: 'court_order', occurredOn: TODAY };
    expect(validate(release, { ...values, 'conditions.reportEveryDays': '0' }, TODAY)['conditions.reportEveryDays']).toMatchObject({ key: 'cw.error.range' });
    expect(validate(release, { ...values, 'conditions.reportEveryDays': '2.5' }, TODAY)['conditions.reportEveryDays']).toEqual({ key: 'cw.error.integer' });
    expect(validate(release, { ...values, 'conditions.reportEveryDays': '30' }, TODAY)).toEqual({});
  });

  it('asks for a source name once a source kind is chosen, and for neither when both are empty', () => {
    const values = { ...initialValues(release), legalBasis: 'court_order', occurredOn: TODAY };
    expect(validate(release, { ...values, 'source.kind': 'ngo' }, TODAY)).toEqual({ 'source.name': { key: 'cw.error.required' } });
    expect(validate(release, { ...values, 'source.name': 'Foro Penal' }, TODAY)).toEqual({ 'source.kind': { key: 'cw.error.required' } });
  });

  it('requires a reason only for a denial, and ignores the hidden reason of a grant', () => {
    const decision = fieldsOf(kind('amnesty-decision'));
    const base = { ...initialValues(decision), requestId: 'r1', occurredOn: TODAY };
    expect(validate(decision, { ...base, outcome: 'denied' }, TODAY)).toEqual({ reason: { key: 'cw.error.required' } });
    expect(validate(decision, { ...base, outcome: 'granted' }, TODAY)).toEqual({});
  });

  it('checks nationalities as two-letter codes when a case is opened', () => {
    const values = { ...initialValues(OPEN_CASE_FIELDS), 'person.fullName': 'Ana', 'person.gender': 'female', 'detention.occurredOn': TODAY };
    expect(validate(OPEN_CASE_FIELDS, { ...values, 'person.nationalities': 'VE, Spain' }, TODAY)).toEqual({ 'person.nationalities': { key: 'cw.error.country' } });
    expect(validate(OPEN_CASE_FIELDS, { ...values, 'person.nationalities': 've, es' }, TODAY)).toEqual({});
    expect(validate(OPEN_CASE_FIELDS, { ...values, 'person.fullName': '' }, TODAY)).toEqual({ 'person.fullName': { key: 'cw.error.required' } });
    expect(validate(OPEN_CASE_FIELDS, { ...values, 'person.fullName': '', 'person.nameWithheld': true }, TODAY)).toEqual({});
  });
});

describe('request bodies', () => {
  it('builds a conditional release as the API expects it (nested, numbers, empties left out)', () => {
    const fields = fieldsOf(kind('releases'));
    const body = buildBody(fields, {
      ...initialValues(fields),
      legalBasis: 'government_announcement',
      occurredOn: '2026-01-08',
      'conditions.reportEveryDays': ' 30 ',
      'conditions.speechRestriction': true,
      'source.kind': 'ngo',
      'source.name': 'Foro Penal',
    });
    expect(body).toEqual({
      legalBasis: 'government_announcement',
      occurredOn: '2026-01-08',
      datePrecision: 'day',
      verification: 'confirmed',
      conditions: { reportEveryDays: 30, speechRestriction: true },
      source: { kind: 'ngo', name: 'Foro Penal' },
    });
  });

  it('sends lists as arrays, required booleans as false, and no detention when it is not recorded yet', () => {
    const values = {
      ...initialValues(OPEN_CASE_FIELDS),
      'person.fullName': 'Ana',
      'person.nationalities': 've,es',
      'person.gender': 'female',
      withDetention: false,
      'detention.occurredOn': '2026-01-01',
    };
    expect(buildBody(OPEN_CASE_FIELDS, values)).toEqual({
      person: { fullName: 'Ana', nationalities: ['VE', 'ES'], gender: 'female', minor: false, affiliation: 'civilian' },
    });
  });

  it('leaves the amnesty request out of the body of a decision: it goes in the path', () => {
    const decision = kind('amnesty-decision');
    const values = { ...initialValues(fieldsOf(decision)), requestId: 'abc', outcome: 'granted', occurredOn: TODAY };
    expect(buildBody(fieldsOf(decision), values)).not.toHaveProperty('requestId');
    expect(decision.path('case-1', values)).toBe('/api/cases/case-1/amnesty-requests/abc/decision');
  });
});

describe("the API's field errors", () => {
  const fields: FieldSpec[] = [...fieldsOf(kind('charges'))];

  it('land on the field they name, on the list an item belongs to, or on the first field of a named object', () => {
    const placed = placeApiErrors(fields, [
      { field: 'occurredOn', messages: ['occurredOn must be a real date'] },
      { field: 'charges.1', messages: ['each value in charges should not be empty'] },
      { field: 'source', message: 'source must be an object' },
      { field: 'unexpected', messages: ['property unexpected should not exist'] },
    ]);
    expect(placed.byField).toEqual({
      occurredOn: 'occurredOn must be a real date',
      charges: 'each value in charges should not be empty',
      'source.kind': 'source must be an object',
    });
    expect(placed.unplaced).toEqual(['unexpected: property unexpected should not exist']);
  });
});

describe('idempotency keys', () => {
  it('are what the API accepts, and differ from one submission to the next', () => {
    const keys = new Set(Array.from({ length: 50 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(50);
    for (const k of keys) expect(k).toMatch(/^[A-Za-z0-9._:-]{1,200}$/);
  });
});

describe('the catalogue against the API and the texts', () => {
  const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');

  it('has a form for every command route of the README, and no route the README lacks', () => {
    const routes = [...readme.matchAll(/^\| `POST \/api\/cases\/:id\/([a-zA-Z/:-]+)` \|/gm)].map((m) => m[1]!);
    const formPaths = EVENT_KINDS.map((k) => k.path('CASE', { requestId: 'REQUEST' }).replace('/api/cases/CASE/', '').replace('REQUEST', ':requestId'));
    // Erasure is an admin's act, not a caseworker's form.
    expect(formPaths.sort()).toEqual(routes.filter((r) => r !== 'erasure').sort());
  });

  it('labels every form, field, option and section in Spanish and English', () => {
    const needed = new Set<string>();
    for (const k of EVENT_KINDS) {
      needed.add(`cw.kind.${k.id}`);
      for (const f of fieldsOf(k)) labelsOf(f).forEach((key) => needed.add(key));
    }
    for (const f of OPEN_CASE_FIELDS) labelsOf(f).forEach((key) => needed.add(key));
    const missing = (lang: 'es' | 'en') => [...needed].filter((key) => !(key in CASEWORKER_MESSAGES[lang]));
    expect(missing('es')).toEqual([]);
    expect(missing('en')).toEqual([]);
  });

  it('has the same keys in both languages', () => {
    for (const messages of [CASEWORKER_MESSAGES, AUDITOR_MESSAGES]) {
      expect(Object.keys(messages.en).sort()).toEqual(Object.keys(messages.es).sort());
    }
  });
});

function labelsOf(f: FieldSpec): string[] {
  const keys = [f.label ?? `cw.field.${f.name}`];
  if (f.hint) keys.push(f.hint);
  if (f.section) keys.push(`cw.section.${f.section}`);
  for (const o of f.options ?? []) keys.push(`${f.optionLabels ?? ''}${o}`);
  return keys;
}
