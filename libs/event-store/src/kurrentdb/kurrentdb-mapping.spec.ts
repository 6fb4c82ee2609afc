import { randomUUID } from 'node:crypto';
import {
  ErrorType,
  jsonEvent,
  MaxAppendSizeExceededError,
  NO_STREAM,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { EventStoreError, WrongExpectedVersionError } from '../event-store.port.js';
import type { AppendResult, NewEvent, RecordedEvent } from '../event-store.port.js';
import { caught, newEvent } from '../testing/event-store.contract.js';
import { chainHash, GENESIS_HASH } from '../audit/canonical.js';
import { verifyChain, verifyEvent } from '../audit/verify-chain.js';
import {
  actualVersionFromClientError,
  afterToReadPosition,
  chainLinkFor,
  checkStreamPrefix,
  commandMarkerId,
  commandStreamName,
  currentStateToVersion,
  decodeCommandRecord,
  decodeEvent,
  decodeStoreIdentity,
  encodeCommandRecord,
  encodeEvent,
  EVENT_ID_PATTERN,
  expectedVersionToStreamState,
  fromKurrentStreamName,
  isClientError,
  KURRENT_ERROR,
  KURRENT_NO_STREAM,
  KURRENT_START,
  linkEvent,
  nextRecordedAt,
  ourStreamsRegex,
  positionToNumber,
  revisionToVersion,
  storeIdentityStreamName,
  toKurrentStreamName,
  translateClientError,
  validateAppend,
  versionToRevision,
} from './kurrentdb-mapping.js';
import type { KurrentStoredEvent, StoredChainLink } from './kurrentdb-mapping.js';

/** What KurrentDB hands back for an encoded event: JSON through the wire, plus revision and position. */
function stored(
  streamName: string,
  event: NewEvent,
  recordedAt: string,
  revision: bigint,
  logPosition: bigint,
  link: StoredChainLink = chainLinkFor(0, GENESIS_HASH),
): KurrentStoredEvent {
  const proposal = jsonEvent(encodeEvent(event, recordedAt, link));
  return {
    streamId: streamName,
    id: proposal.id,
    type: proposal.type,
    revision,
    isJson: true,
    data: JSON.parse(JSON.stringify(proposal.data)) as unknown,
    metadata: JSON.parse(JSON.stringify(proposal.metadata)) as unknown,
    position: { commit: logPosition, prepare: logPosition },
  };
}

describe('KurrentDB mapping', () => {
  describe('versions and expected stream states', () => {
    it('maps our 1-based versions to 0-based revisions and back', () => {
      expect(versionToRevision(1)).toBe(0n);
      expect(versionToRevision(42)).toBe(41n);
      expect(revisionToVersion(0n)).toBe(1);
      expect(revisionToVersion(41n)).toBe(42);
      for (const v of [1, 2, 3, 1000, 2 ** 40]) expect(revisionToVersion(versionToRevision(v))).toBe(v);
    });

    it('refuses versions and revisions that have no counterpart', () => {
      for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => versionToRevision(bad)).toThrow(RangeError);
      expect(() => revisionToVersion(-1n)).toThrow(RangeError);
      expect(() => revisionToVersion(BigInt(Number.MAX_SAFE_INTEGER))).toThrow(RangeError);
    });

    it('turns expectedVersion 0 into NO_STREAM and n into revision n - 1', () => {
      expect(expectedVersionToStreamState(0)).toBe(NO_STREAM);
      expect(KURRENT_NO_STREAM).toBe(NO_STREAM);
      expect(expectedVersionToStreamState(1)).toBe(0n);
      expect(expectedVersionToStreamState(7)).toBe(6n);
      expect(() => expectedVersionToStreamState(-1)).toThrow(RangeError);
      expect(() => expectedVersionToStreamState(0.5)).toThrow(RangeError);
    });

    it('reads a current stream state as our version', () => {
      expect(currentStateToVersion(NO_STREAM)).toBe(0);
      expect(currentStateToVersion(0n)).toBe(1);
      expect(currentStateToVersion(4n)).toBe(5);
      expect(currentStateToVersion(-5n)).toBeUndefined(); // deleted
      expect(currentStateToVersion('any')).toBeUndefined();
      expect(currentStateToVersion(undefined)).toBeUndefined();
    });
  });

  describe('positions', () => {
    it('uses the $all commit position as our position', () => {
      expect(positionToNumber({ commit: 1234n, prepare: 1234n })).toBe(1234);
      expect(positionToNumber({ commit: BigInt(Number.MAX_SAFE_INTEGER), prepare: 0n })).toBe(Number.MAX_SAFE_INTEGER);
    });

    it('refuses a missing, "no position", zero or oversized position', async () => {
      for (const bad of [
        undefined,
        { commit: 0xffff_ffff_ffff_ffffn, prepare: 0xffff_ffff_ffff_ffffn },
        { commit: -1n, prepare: -1n },
        { commit: 0n, prepare: 0n },
        { commit: BigInt(Number.MAX_SAFE_INTEGER) + 1n, prepare: 0n },
      ]) {
        const error = await caught(() => positionToNumber(bad));
        expect(error).toBeInstanceOf(EventStoreError);
        expect((error as EventStoreError).code).toBe('STORE_UNAVAILABLE');
      }
    });

    it('starts reading "after 0" at the start of $all and "after p" at position p', () => {
      expect(afterToReadPosition(0)).toBe(START);
      expect(KURRENT_START).toBe(START);
      expect(afterToReadPosition(98765)).toEqual({ commit: 98765n, prepare: 98765n });
      expect(() => afterToReadPosition(-1)).toThrow(RangeError);
      expect(() => afterToReadPosition(1.5)).toThrow(RangeError);
    });
  });

  describe('stream names', () => {
    it('prefixes our stream ids and recognises only its own streams', () => {
      expect(toKurrentStreamName('t1-', 'case-abc')).toBe('t1-case-abc');
      expect(fromKurrentStreamName('t1-', 't1-case-abc')).toBe('case-abc');
      expect(fromKurrentStreamName('', 'case-abc')).toBe('case-abc');
      expect(fromKurrentStreamName('t1-', 't2-case-abc')).toBeNull();
      expect(fromKurrentStreamName('t1-', 'case-abc')).toBeNull();
      expect(fromKurrentStreamName('t1-', commandStreamName('t1-', randomUUID()))).toBeNull();
      expect(fromKurrentStreamName('', '$$case-abc')).toBeNull();
      expect(fromKurrentStreamName('', '$ce-case')).toBeNull();
    });

    it('keeps the command index in <prefix>$cmd-<commandId>', () => {
      expect(commandStreamName('t1-', 'c-42')).toBe('t1-$cmd-c-42');
      expect(commandStreamName('', 'c-42')).toBe('$cmd-c-42');
    });

    it('keeps the store identity in <prefix>$store-identity, outside our streams', () => {
      expect(storeIdentityStreamName('t1-')).toBe('t1-$store-identity');
      expect(fromKurrentStreamName('t1-', storeIdentityStreamName('t1-'))).toBeNull();
      expect(new RegExp(ourStreamsRegex('t1-')).test(storeIdentityStreamName('t1-'))).toBe(false);
      const storeId = randomUUID();
      expect(decodeStoreIdentity({ storeId, kind: 'kurrentdb' })).toBe(storeId);
      for (const bad of [null, {}, { storeId: 'x' }, { storeId: storeId.toUpperCase() }]) expect(decodeStoreIdentity(bad)).toBeNull();
    });

    it('filters $all to our streams with an escaped prefix, leaving out $-streams and the index', () => {
      const regex = new RegExp(ourStreamsRegex('t.1-'));
      expect(regex.test('t.1-case-abc')).toBe(true);
      expect(regex.test('t.1-prisoner_case2-AB')).toBe(true);
      expect(regex.test('tx1-case-abc')).toBe(false); // the dot is literal
      expect(regex.test('t.1-$cmd-abc')).toBe(false);
      expect(regex.test('$$t.1-case-abc')).toBe(false);
      expect(regex.test('case-abc')).toBe(false);

      const all = new RegExp(ourStreamsRegex(''));
      expect(all.test('case-abc')).toBe(true);
      for (const name of ['$cmd-abc', '$$case-abc', '$ce-case', '$et-CaseOpened', '$settings', 'Case-1']) {
        expect(all.test(name)).toBe(false);
      }
    });

    it('accepts only prefixes that cannot reach into $-streams or break the filter', () => {
      for (const ok of ['', 't1-', 'test.run:7-', 'A_b']) expect(checkStreamPrefix(ok)).toBe(ok);
      for (const bad of ['$x-', '-x', 'a b', 'a/b', 'ä-', 'x'.repeat(101), 7]) {
        expect(() => checkStreamPrefix(bad)).toThrow(RangeError);
      }
    });
  });

  describe('recordedAt', () => {
    it('is the clock as ISO UTC with milliseconds, but never before the last one written', () => {
      expect(nextRecordedAt(new Date('2024-05-01T12:00:00.123Z'), null)).toBe('2024-05-01T12:00:00.123Z');
      expect(nextRecordedAt(new Date('2024-05-01T11:00:00Z'), '2024-05-01T12:00:00.123Z')).toBe('2024-05-01T12:00:00.123Z');
      expect(nextRecordedAt(new Date('2024-05-01T12:00:00.500Z'), '2024-05-01T12:00:00.123Z')).toBe('2024-05-01T12:00:00.500Z');
      expect(() => nextRecordedAt(new Date(Number.NaN), null)).toThrow(RangeError);
    });
  });

  describe('envelope', () => {
    const commandId = randomUUID();
    const event = newEvent(commandId, {
      type: 'CaseOpened',
      schemaVersion: 3,
      data: { caseNumber: 'PP-1', tags: ['a', 'b'], nested: { n: 1.5, ok: true, nothing: null, empty: {} } },
      personal: { fullName: 'Анна Петрова', note: 'quotes " \\ \n 🙂' },
      metadata: { occurredOn: '2023-05', datePrecision: 'month', source: { kind: 'court', pages: [3, 4] }, causationId: randomUUID() },
    });
    const recordedAt = '2024-03-01T10:00:00.000Z';

    it('writes type, id, { data, personal } and metadata + schemaVersion, recordedAt, commandId, chain', () => {
      const previousHash = 'ab'.repeat(32);
      const proposal = encodeEvent(event, recordedAt, chainLinkFor(0, previousHash));
      expect(proposal).toStrictEqual({
        id: event.eventId,
        type: 'CaseOpened',
        data: { data: event.data, personal: event.personal },
        metadata: { ...event.metadata, schemaVersion: 3, recordedAt, commandId, chain: { index: 0, previousHash } },
      });
      // Past the first event of an append, only the index: the previous hash is not known before the commit.
      expect(encodeEvent(event, recordedAt, chainLinkFor(2, previousHash)).metadata.chain).toStrictEqual({ index: 2 });
      const data = jsonEvent(proposal);
      expect(data).toMatchObject({ id: event.eventId, type: 'CaseOpened', contentType: 'application/json' });
    });

    it('round-trips an event through the stored form, and hashes it as read', () => {
      const previousHash = 'cd'.repeat(32);
      const decoded = decodeEvent(stored('t1-case-abc', event, recordedAt, 4n, 5120n, chainLinkFor(0, previousHash)), 't1-');
      expect(decoded.link).toStrictEqual({ index: 0, previousHash });
      const fields = { ...event, streamId: 'case-abc', version: 5, position: 5120, recordedAt };
      expect(decoded.event).toStrictEqual(fields);
      expect(decoded.event.metadata).not.toHaveProperty('recordedAt');
      expect(decoded.event.metadata).not.toHaveProperty('schemaVersion');
      expect(decoded.event.metadata).not.toHaveProperty('chain');

      const expected: RecordedEvent = { ...fields, previousHash, hash: chainHash(previousHash, fields) };
      expect(linkEvent(decoded, null)).toStrictEqual(expected);
    });

    it('round-trips personal: null', () => {
      const plain = newEvent(commandId, { personal: null });
      expect(decodeEvent(stored('case-x', plain, recordedAt, 0n, 77n), '').event.personal).toBeNull();
    });

    it('chains the events of an append from the stored link of the first one', async () => {
      const anchor = 'ef'.repeat(32);
      const events = [0, 1, 2].map((i) => newEvent(commandId, { data: { i } }));
      const decoded = events.map((e, i) =>
        decodeEvent(stored('case-x', e, recordedAt, BigInt(i), 100n + 40n * BigInt(i), chainLinkFor(i, anchor)), ''),
      );
      expect(decoded.map((d) => d.link)).toStrictEqual([
        { index: 0, previousHash: anchor },
        { index: 1, previousHash: null },
        { index: 2, previousHash: null },
      ]);
      const linked: RecordedEvent[] = [];
      for (const d of decoded) linked.push(linkEvent(d, linked.at(-1)?.hash ?? null));
      expect(linked[0]!.previousHash).toBe(anchor);
      expect(linked[1]!.previousHash).toBe(linked[0]!.hash);
      expect(linked[2]!.previousHash).toBe(linked[1]!.hash);
      expect(linked.every(verifyEvent)).toBe(true);
      const verification = await verifyChain([linked], { densePositions: false, expectedPreviousHash: anchor });
      expect(verification).toMatchObject({ valid: true, eventsChecked: 3, headHash: linked[2]!.hash });

      // A predecessor that could not be read restarts the chain at genesis, which a verifier reports.
      const orphan = linkEvent(decoded[2]!, null);
      expect(orphan.previousHash).toBe(GENESIS_HASH);
      const broken = await verifyChain([[linked[0]!, linked[1]!, orphan]], { densePositions: false, expectedPreviousHash: anchor });
      expect(broken.firstBroken).toMatchObject({ position: 180, reason: 'previous-hash-mismatch', found: GENESIS_HASH });
    });

    it('reads an event written before the chain existed with previousHash = genesis', () => {
      const good = stored('case-x', event, recordedAt, 0n, 77n);
      const { chain, ...legacy } = good.metadata as Record<string, unknown>;
      expect(chain).toBeDefined();
      const decoded = decodeEvent({ ...good, metadata: legacy }, '');
      expect(decoded.link).toBeNull();
      expect(linkEvent(decoded, 'aa'.repeat(32)).previousHash).toBe(GENESIS_HASH);
    });

    it('refuses stored events that are not well-formed envelopes', async () => {
      const good = stored('case-x', event, recordedAt, 0n, 77n);
      const metadata = good.metadata as Record<string, unknown>;
      const variants: KurrentStoredEvent[] = [
        { ...good, isJson: false, data: new Uint8Array([1]) },
        { ...good, data: event.data }, // not wrapped in { data, personal }
        { ...good, data: { data: event.data, personal: 'x' } },
        { ...good, metadata: undefined },
        { ...good, metadata: { ...metadata, schemaVersion: undefined } },
        { ...good, metadata: { ...metadata, recordedAt: 5 } },
        { ...good, metadata: { ...metadata, chain: 'x' } },
        { ...good, metadata: { ...metadata, chain: { index: -1 } } },
        { ...good, metadata: { ...metadata, chain: { index: 0 } } },
        { ...good, metadata: { ...metadata, chain: { index: 0, previousHash: 'AB'.repeat(32) } } },
        { ...good, streamId: 'other-prefix$x' },
      ];
      for (const bad of variants) {
        const error = await caught(() => decodeEvent(bad, ''));
        expect(error).toBeInstanceOf(EventStoreError);
        expect((error as EventStoreError).code).toBe('STORE_UNAVAILABLE');
      }
    });
  });

  describe('command index', () => {
    const result: AppendResult = {
      streamId: 'case-abc',
      version: 3,
      events: [
        { eventId: randomUUID(), version: 2, position: 1000 },
        { eventId: randomUUID(), version: 3, position: 1250 },
      ],
      recordedAt: '2024-03-01T10:00:00.000Z',
      duplicate: false,
    };

    it('round-trips an append result, which then reads as a duplicate', () => {
      const data = JSON.parse(JSON.stringify(encodeCommandRecord(result))) as unknown;
      expect(data).not.toHaveProperty('duplicate');
      expect(decodeCommandRecord(data, 'cmd-1')).toStrictEqual({ ...result, duplicate: true });
    });

    it('refuses a malformed entry', async () => {
      for (const bad of [null, 'x', {}, { ...encodeCommandRecord(result), events: [] }, { ...encodeCommandRecord(result), version: '3' }]) {
        const error = await caught(() => decodeCommandRecord(bad, 'cmd-1'));
        expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
      }
    });

    it('derives the marker event id from the command id: a stable UUID, distinct per command', () => {
      const a = commandMarkerId('command-a');
      expect(a).toMatch(EVENT_ID_PATTERN);
      expect(commandMarkerId('command-a')).toBe(a);
      expect(commandMarkerId('command-b')).not.toBe(a);
      expect(a[14]).toBe('8'); // RFC 9562 version 8
    });
  });

  describe('validation', () => {
    const commandId = randomUUID();

    it('accepts a well-formed append', () => {
      expect(() => validateAppend([newEvent(commandId)], { expectedVersion: 0, commandId })).not.toThrow();
    });

    it.each<[string, () => NewEvent]>([
      ['a non-UUID eventId', () => newEvent(commandId, { eventId: 'event-1' })],
      ['an upper-case UUID eventId', () => newEvent(commandId, { eventId: randomUUID().toUpperCase() })],
      ['a $-type', () => newEvent(commandId, { type: '$metadata' })],
      ['metadata carrying recordedAt', () => newEvent(commandId, { metadata: { recordedAt: 'x' } as never })],
      ['metadata carrying schemaVersion', () => newEvent(commandId, { metadata: { schemaVersion: 1 } as never })],
      ['metadata carrying chain', () => newEvent(commandId, { metadata: { chain: { index: 0 } } as never })],
    ])('refuses %s with INVALID_APPEND', async (_label, make) => {
      const error = await caught(() => validateAppend([make()], { expectedVersion: 0, commandId }));
      expect(error).toBeInstanceOf(EventStoreError);
      expect((error as EventStoreError).code).toBe('INVALID_APPEND');
    });
  });

  describe('error translation', () => {
    const context = { operation: 'append', streamId: 'case-abc', expectedVersion: 1 };

    it('turns the client WrongExpectedVersionError into ours, with the actual version it reports', () => {
      const clientError = new KurrentWrongExpectedVersionError(undefined, { streamName: 't1-case-abc', expected: 0n, current: 1n });
      expect(clientError.type).toBe(ErrorType.WRONG_EXPECTED_VERSION);
      expect(actualVersionFromClientError(clientError)).toBe(2);

      const error = translateClientError(clientError, context);
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', streamId: 'case-abc', expectedVersion: 1, actualVersion: 2 });
      expect((error as Error & { cause?: unknown }).cause).toBe(clientError);
    });

    it('reads no_stream as actual version 0', () => {
      const clientError = new KurrentWrongExpectedVersionError(undefined, { streamName: 'case-abc', expected: 2n, current: NO_STREAM });
      expect(translateClientError(clientError, { ...context, expectedVersion: 3 })).toMatchObject({
        expectedVersion: 3,
        actualVersion: 0,
      });
    });

    it('takes the actual version the adapter looked up when the error does not say', () => {
      const clientError = new KurrentWrongExpectedVersionError(undefined, { streamName: 'case-abc', expected: 0n, current: -5n });
      expect(actualVersionFromClientError(clientError)).toBeUndefined();
      expect(translateClientError(clientError, { ...context, actualVersion: 9 })).toMatchObject({ actualVersion: 9 });
      expect(translateClientError(clientError, context)).toBeInstanceOf(WrongExpectedVersionError);
    });

    it('recognises the client errors by their type', () => {
      expect(isClientError(new StreamNotFoundError(undefined, 'case-abc'), KURRENT_ERROR.streamNotFound)).toBe(true);
      expect(isClientError(StreamDeletedError.fromStreamName('case-abc'), KURRENT_ERROR.streamNotFound)).toBe(false);
      expect(isClientError(new Error('x'), KURRENT_ERROR.streamNotFound)).toBe(false);
      expect(isClientError(null, KURRENT_ERROR.streamNotFound)).toBe(false);
    });

    it('makes appends the server refuses as such INVALID_APPEND', () => {
      for (const clientError of [StreamDeletedError.fromStreamName('case-abc'), MaxAppendSizeExceededError.fromMaxAppendSize(1024)]) {
        expect(translateClientError(clientError, context)).toMatchObject({ code: 'INVALID_APPEND' });
      }
      // The same errors outside an append are the store failing.
      expect(translateClientError(StreamDeletedError.fromStreamName('case-abc'), { operation: 'readAll' })).toMatchObject({
        code: 'STORE_UNAVAILABLE',
      });
    });

    it('makes connection failures and unknown errors STORE_UNAVAILABLE, keeping the cause', () => {
      const unavailable = new UnavailableError();
      const error = translateClientError(unavailable, { operation: 'ping' });
      expect(error).toBeInstanceOf(EventStoreError);
      expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { kurrentError: 'unavailable' } });
      expect((error as Error & { cause?: unknown }).cause).toBe(unavailable);
      expect(translateClientError(new Error('14 UNAVAILABLE'), { operation: 'append' })).toMatchObject({
        code: 'STORE_UNAVAILABLE',
        details: { kurrentError: null },
      });
    });

    it('passes the port errors through unchanged', () => {
      const own = new EventStoreError('INVALID_APPEND', 'x');
      expect(translateClientError(own, context)).toBe(own);
    });
  });
});
