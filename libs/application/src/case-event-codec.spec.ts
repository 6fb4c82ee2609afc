import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { caseDecider, DomainError, DomainErrorCode, type CaseCommand } from '#domain';
import { SqliteEventStore, type RecordedEvent } from '#event-store';
import { ERASED, PersonalDataCipher, PersonalDataIntegrityError, SqliteKeyStore } from '#crypto';
import { ApplicationError } from './application-error.js';
import { CaseCommandExecutor, CaseRepository, PersonalDataEraser, type CommandContext } from './case-command-executor.js';
import { CaseEventCodec, caseStreamId, decodeCaseEvent } from './case-event-codec.js';

const TZ = { timeZone: 'America/Caracas' };
const CASE = '7a1e5c2e-0000-4000-8000-000000000001';
const OTHER = '7a1e5c2e-0000-4000-8000-000000000002';
const ctx = (over: Partial<CommandContext> = {}): CommandContext => ({ actor: 'test', correlationId: 'c', causationId: null, idempotencyKey: null, expectedVersion: null, ...over });
const open = (caseId: string, fullName: string | null): CaseCommand => ({
  type: 'OpenCase',
  caseId,
  source: null,
  data: { nameWithheld: fullName === null, nationalities: ['VE'], gender: 'male', minor: false, affiliation: 'civilian', externalReference: null },
  personal: { fullName, birthYear: 1971 },
  firstDetention: { facts: { occurredOn: '2025-08-14', datePrecision: 'day', source: null, verification: 'confirmed' }, data: { facility: 'El Helicoide', arrestingAuthority: null, charges: [] }, personal: { notes: 'visto en Quíbor' } },
});

describe('CaseEventCodec', () => {
  let store: SqliteEventStore;
  let keys: SqliteKeyStore;
  let codec: CaseEventCodec;
  let executor: CaseCommandExecutor;
  let n = 0;
  beforeEach(() => {
    store = new SqliteEventStore({ filename: ':memory:', now: () => new Date('2026-03-01T16:00:00Z') });
    keys = new SqliteKeyStore({ filename: ':memory:' });
    codec = new CaseEventCodec(new PersonalDataCipher(keys, randomBytes(32)));
    executor = new CaseCommandExecutor(store, { now: () => new Date('2026-03-01T16:00:00Z') }, { next: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` }, caseDecider(TZ), codec);
  });
  afterEach(async () => {
    await store.close();
    await keys.close();
  });
  const stored = () => store.readStream(caseStreamId(CASE));

  it('encrypts personal data under the case id before the append; null stays null', async () => {
    await executor.execute(open(CASE, 'Zacarías Quintero-Ybarra'), ctx());
    const [opened, detained] = await stored();
    expect(opened!.personal).toEqual({ $enc: 'aes-256-gcm', kid: CASE, iv: expect.any(String), tag: expect.any(String), ct: expect.any(String) });
    expect(detained!.personal).toMatchObject({ kid: CASE });
    expect(JSON.stringify(await stored())).not.toMatch(/Zacar|Quíbor/);
    await executor.execute({ type: 'RecordTransfer', caseId: CASE, facts: { occurredOn: '2025-09-01', datePrecision: 'day', source: null, verification: 'confirmed' }, data: { toFacility: 'Rodeo I' }, personal: null }, ctx());
    expect((await stored())[2]!.personal).toBeNull();
  });

  it('decodes without a key (personal null) to decide and fold, and with the key to answer', async () => {
    await executor.execute(open(CASE, 'Zacarías Quintero-Ybarra'), ctx());
    const events = await stored();
    expect(events.map((e) => decodeCaseEvent(e).personal)).toEqual([null, null]);
    const { events: decoded, personal } = await codec.decodeWithPersonalData(events);
    expect(personal).toEqual([{ fullName: 'Zacarías Quintero-Ybarra', birthYear: 1971 }, { notes: 'visto en Quíbor' }]);
    expect(decoded[0]!.personal).toEqual({ fullName: 'Zacarías Quintero-Ybarra', birthYear: 1971 });
    const { state } = await new CaseRepository(store, caseDecider(TZ), codec).load(CASE);
    expect(state.kind === 'opened' && state.situation.standing).toBe('detained');
  });

  it('reads plaintext written before encryption as it is', async () => {
    const plain = new CaseCommandExecutor(store, { now: () => new Date('2026-03-01T16:00:00Z') }, { next: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` }, caseDecider(TZ));
    await plain.execute(open(CASE, 'Legado'), ctx());
    const events = await stored();
    expect(events[0]!.personal).toEqual({ fullName: 'Legado', birthYear: 1971 });
    expect(await codec.openPersonal(events)).toEqual([{ fullName: 'Legado', birthYear: 1971 }, { notes: 'visto en Quíbor' }]);
    expect(await codec.readNames([{ caseId: CASE, sealed: JSON.stringify(events[0]!.personal) }, { caseId: OTHER, sealed: 'Nombre Suelto' }, { caseId: OTHER, sealed: null }])).toEqual([
      { fullName: 'Legado', nameErased: false },
      { fullName: 'Nombre Suelto', nameErased: false },
      { fullName: null, nameErased: false },
    ]);
  });

  it('refuses an envelope copied into another case’s stream', async () => {
    await executor.execute(open(CASE, 'Zacarías'), ctx());
    const [opened] = await stored();
    const moved: RecordedEvent = { ...opened!, streamId: caseStreamId(OTHER) };
    await expect(codec.openPersonal([moved])).rejects.toBeInstanceOf(PersonalDataIntegrityError);
    await expect(codec.readNames([{ caseId: OTHER, sealed: JSON.stringify(opened!.personal) }])).rejects.toBeInstanceOf(PersonalDataIntegrityError);
  });

  it('erases: the key goes after the decision, the event is recorded, and everything reads erased', async () => {
    await executor.execute(open(CASE, 'Zacarías'), ctx());
    await executor.execute(open(OTHER, 'Otra'), ctx());
    const eraser = new PersonalDataEraser(executor, codec);
    // A stale If-Match is refused before anything is destroyed.
    await expect(eraser.erase(CASE, 'ticket 1', ctx({ expectedVersion: 1 }))).rejects.toBeInstanceOf(ApplicationError);
    expect(await codec.cipher!.isErased(CASE)).toBe(false);

    const outcome = await eraser.erase(CASE, 'ticket 1', ctx({ expectedVersion: 2 }));
    expect(outcome.version).toBe(3);
    const events = await stored();
    expect(events[2]).toMatchObject({ type: 'PersonalDataErased', data: { reason: 'ticket 1' }, personal: null });
    expect(await codec.openPersonal(events)).toEqual([ERASED, ERASED, null]);
    expect((await codec.decodeWithPersonalData(events)).events.map((e) => e.personal)).toEqual([null, null, null]);
    const sealed = JSON.stringify(events[0]!.personal);
    const other = JSON.stringify((await store.readStream(caseStreamId(OTHER)))[0]!.personal);
    expect(await codec.readNames([{ caseId: CASE, sealed }, { caseId: OTHER, sealed: other }])).toEqual([
      { fullName: null, nameErased: true },
      { fullName: 'Otra', nameErased: false },
    ]);

    // Again: 409, and nothing more is written.
    const error = await eraser.erase(CASE, 'again', ctx()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(DomainErrorCode.PersonalDataErased);
    expect(await stored()).toHaveLength(3);
  });

  it('refuses to encrypt for a case whose key was destroyed, as a domain error (the erasure raced the command)', async () => {
    await executor.execute(open(CASE, 'Zacarías'), ctx());
    await codec.erase(CASE); // the key is gone, the PersonalDataErased event not yet recorded
    const error = await executor
      .execute({ type: 'RecordTransfer', caseId: CASE, facts: { occurredOn: '2025-09-01', datePrecision: 'day', source: null, verification: 'confirmed' }, data: { toFacility: 'Rodeo I' }, personal: { notes: 'de noche' } }, ctx())
      .catch((e: unknown) => e);
    expect((error as DomainError).code).toBe(DomainErrorCode.PersonalDataErased);
    expect(await stored()).toHaveLength(2);
  });
});

describe('CaseEventCodec: names opened once, served from memory while their key is trusted', () => {
  let keys: SqliteKeyStore;
  beforeEach(() => {
    keys = new SqliteKeyStore({ filename: ':memory:' });
  });
  afterEach(async () => {
    await keys.close();
  });
  const masterKey = randomBytes(32);
  const sealedName = async (cipher: PersonalDataCipher, caseId: string, fullName: string) => JSON.stringify(await cipher.encrypt(caseId, { fullName }));

  it('opens each name once: a second list of the same rows decrypts nothing', async () => {
    const cipher = new PersonalDataCipher(keys, masterKey);
    const codec = new CaseEventCodec(cipher);
    const rows = [
      { caseId: CASE, sealed: await sealedName(cipher, CASE, 'Zacarías') },
      { caseId: OTHER, sealed: await sealedName(cipher, OTHER, 'Otra') },
    ];
    const decryptMany = jest.spyOn(cipher, 'decryptMany');
    const expected = [
      { fullName: 'Zacarías', nameErased: false },
      { fullName: 'Otra', nameErased: false },
    ];
    expect(await codec.readNames(rows)).toEqual(expected);
    expect(await codec.readNames(rows)).toEqual(expected);
    expect(decryptMany).toHaveBeenCalledTimes(1);
  });

  it('shows an erasure made here at once, though the name was opened before', async () => {
    const cipher = new PersonalDataCipher(keys, masterKey);
    const codec = new CaseEventCodec(cipher);
    const rows = [{ caseId: CASE, sealed: await sealedName(cipher, CASE, 'Zacarías') }];
    expect(await codec.readNames(rows)).toEqual([{ fullName: 'Zacarías', nameErased: false }]);
    await codec.erase(CASE);
    expect(await codec.readNames(rows)).toEqual([{ fullName: null, nameErased: true }]);
  });

  it('shows an erasure made by another process once the key is no longer trusted here, as without the memory', async () => {
    const here = new CaseEventCodec(new PersonalDataCipher(keys, masterKey, { cacheTtlMs: 200 }));
    const elsewhere = new CaseEventCodec(new PersonalDataCipher(keys, masterKey));
    const rows = [{ caseId: CASE, sealed: await sealedName(elsewhere.cipher!, CASE, 'Zacarías') }];
    expect(await here.readNames(rows)).toEqual([{ fullName: 'Zacarías', nameErased: false }]);
    await elsewhere.erase(CASE);
    // Within the key's TTL this process still trusts the key it holds (the documented window)...
    expect(await here.readNames(rows)).toEqual([{ fullName: 'Zacarías', nameErased: false }]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    // ...and after it, the key store is asked again and the name reads erased.
    expect(await here.readNames(rows)).toEqual([{ fullName: null, nameErased: true }]);
  });

  it('opens afresh any sealed text other than the one it opened, so a tampered row is still refused', async () => {
    const cipher = new PersonalDataCipher(keys, masterKey);
    const codec = new CaseEventCodec(cipher);
    const sealed = await sealedName(cipher, CASE, 'Zacarías');
    expect(await codec.readNames([{ caseId: CASE, sealed }])).toEqual([{ fullName: 'Zacarías', nameErased: false }]);
    const envelope = JSON.parse(sealed) as { ct: string };
    const flipped = Buffer.from(envelope.ct, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    const tampered = JSON.stringify({ ...envelope, ct: flipped.toString('base64') });
    await expect(codec.readNames([{ caseId: CASE, sealed: tampered }])).rejects.toBeInstanceOf(PersonalDataIntegrityError);
  });

  it('keeps at most its limit of names, dropping the oldest first', async () => {
    const cipher = new PersonalDataCipher(keys, masterKey);
    const codec = new CaseEventCodec(cipher, 1);
    const first = { caseId: CASE, sealed: await sealedName(cipher, CASE, 'Zacarías') };
    const second = { caseId: OTHER, sealed: await sealedName(cipher, OTHER, 'Otra') };
    const decryptMany = jest.spyOn(cipher, 'decryptMany');
    await codec.readNames([first, second]);
    await codec.readNames([second]);
    expect(decryptMany).toHaveBeenCalledTimes(1);
    await codec.readNames([first]);
    expect(decryptMany).toHaveBeenCalledTimes(2);
  });
});

