import { canonicalJson, caseIdFor, idempotencyKeyFor, uuidFromName } from './deterministic-ids.js';

/** A fixed test secret; production derives it from the master key. */
const KEY = Buffer.alloc(32, 1);

const UUID_V5_LAYOUT = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('deterministic ids', () => {
  it('are UUIDs in the version-5 layout, from the SHA-256 of the name', () => {
    // sha256("abc") = ba7816bf 8f01 cfea 4141 40de5dae2223b00361a396177a9cb410ff61f20015ad
    expect(uuidFromName('abc', KEY)).toBe('73860612-aa6a-5df6-8985-b6e9c4233357');
    expect(uuidFromName('abc', KEY)).toMatch(UUID_V5_LAYOUT);
    expect(uuidFromName('abd', KEY)).not.toBe(uuidFromName('abc', KEY));
  });

  const rocio = { externalReference: null, fullName: 'Rocío San Miguel', detentionDate: '2024-02-09', nationalities: ['ES', 'VE'] };

  it('give a person the same case id from the same row, whatever the case, spacing, Unicode form or nationality order', () => {
    const id = caseIdFor(rocio, KEY);
    expect(id).toMatch(UUID_V5_LAYOUT);
    expect(caseIdFor({ ...rocio }, KEY)).toBe(id);
    expect(caseIdFor({ ...rocio, fullName: '  ROCÍO   san miguel ' }, KEY)).toBe(id);
    expect(caseIdFor({ ...rocio, fullName: 'Roci\u0301o San Miguel' }, KEY)).toBe(id); // decomposed accent (NFD)
    expect(caseIdFor({ ...rocio, nationalities: ['ve', 'ES'] }, KEY)).toBe(id);
  });

  it('tell people apart by name, first detention day and nationalities', () => {
    const id = caseIdFor(rocio, KEY);
    expect(caseIdFor({ ...rocio, fullName: 'Rocío San Martín' }, KEY)).not.toBe(id);
    expect(caseIdFor({ ...rocio, detentionDate: '2024-02-10' }, KEY)).not.toBe(id);
    expect(caseIdFor({ ...rocio, nationalities: ['VE'] }, KEY)).not.toBe(id);
    expect(caseIdFor({ ...rocio, fullName: null }, KEY)).not.toBe(id);
  });

  it('use the external reference alone when there is one', () => {
    const byRef = caseIdFor({ ...rocio, externalReference: 'FP-0001' }, KEY);
    expect(byRef).not.toBe(caseIdFor(rocio, KEY));
    expect(caseIdFor({ externalReference: 'FP-0001', fullName: null, detentionDate: '2025-01-01', nationalities: ['VE'] }, KEY)).toBe(byRef);
    expect(caseIdFor({ ...rocio, externalReference: 'FP-0002' }, KEY)).not.toBe(byRef);
    expect(caseIdFor({ ...rocio, externalReference: '   ' }, KEY)).toBe(caseIdFor(rocio, KEY));
  });

  it('derive idempotency keys from the case, the command type and the whole content, key order aside', () => {
    const key = idempotencyKeyFor('c1', 'RecordRelease', { a: 1, b: { c: [1, 2], d: null } }, KEY);
    expect(key).toMatch(/^import-[0-9a-f-]{36}$/);
    expect(idempotencyKeyFor('c1', 'RecordRelease', { b: { d: null, c: [1, 2] }, a: 1 }, KEY)).toBe(key);
    expect(idempotencyKeyFor('c2', 'RecordRelease', { a: 1, b: { c: [1, 2], d: null } }, KEY)).not.toBe(key);
    expect(idempotencyKeyFor('c1', 'RecordHouseArrest', { a: 1, b: { c: [1, 2], d: null } }, KEY)).not.toBe(key);
    expect(idempotencyKeyFor('c1', 'RecordRelease', { a: 1, b: { c: [2, 1], d: null } }, KEY)).not.toBe(key);
    expect(canonicalJson({ z: 1, a: [true, 'x'], u: undefined })).toBe('{"a":[true,"x"],"z":1}');
  });
});

describe('ids that reveal no name', () => {
  it('differ under another secret, so a list of candidate names cannot be matched against stored ids', () => {
    const person = { externalReference: null, fullName: 'Rocío San Miguel', detentionDate: '2024-02-09', nationalities: ['ES', 'VE'] };
    expect(caseIdFor(person, Buffer.alloc(32, 2))).not.toBe(caseIdFor(person, KEY));
    expect(idempotencyKeyFor('c1', 'OpenCase', { n: 1 }, Buffer.alloc(32, 2))).not.toBe(idempotencyKeyFor('c1', 'OpenCase', { n: 1 }, KEY));
  });
});
