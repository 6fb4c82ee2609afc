import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '../event-store.port.js';
import { newEvent } from '../testing/event-store.contract.js';
import { chainHash, GENESIS_HASH } from './canonical.js';
import { verifyChain, verifyEvent } from './verify-chain.js';

/** A well-chained log of `count` events over three streams, positions `start`, `start + step`... */
function makeLog(count: number, options: { start?: number; step?: number; previousHash?: string } = {}): RecordedEvent[] {
  const { start = 1, step = 1 } = options;
  const versions = new Map<string, number>();
  const log: RecordedEvent[] = [];
  let previousHash = options.previousHash ?? GENESIS_HASH;
  for (let i = 0; i < count; i++) {
    const streamId = `case-${i % 3}`;
    const version = (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, version);
    const commandId = randomUUID();
    const fields = {
      ...newEvent(commandId, { data: { i, ratio: i / 3 }, personal: i % 2 === 0 ? { name: `Person ${i}` } : null }),
      streamId,
      version,
      position: start + i * step,
      recordedAt: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString(),
    };
    const hash = chainHash(previousHash, fields);
    log.push({ ...fields, previousHash, hash });
    previousHash = hash;
  }
  return log;
}

/** Recomputes the hashes from `from` (an index) to the end, as a tamperer who rewrites the whole tail would. */
function rehashFrom(log: RecordedEvent[], from: number): RecordedEvent[] {
  const out = log.slice(0, from);
  let previousHash = from === 0 ? GENESIS_HASH : log[from - 1]!.hash;
  for (const event of log.slice(from)) {
    const hash = chainHash(previousHash, event);
    out.push({ ...event, previousHash, hash });
    previousHash = hash;
  }
  return out;
}

function batches<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function* slowly(items: RecordedEvent[][]): AsyncGenerator<RecordedEvent[]> {
  for (const batch of items) {
    await Promise.resolve();
    yield batch;
  }
}

describe('verifyChain', () => {
  const log = makeLog(12);

  it('accepts an untouched log, across batch boundaries, from sync and async iterables', async () => {
    const expected = {
      eventsChecked: 12,
      firstPosition: 1,
      lastPosition: 12,
      headHash: log[11]!.hash,
      valid: true,
      firstBroken: null,
    };
    expect(await verifyChain([log])).toEqual(expected);
    expect(await verifyChain(batches(log, 5))).toEqual(expected);
    expect(await verifyChain(slowly(batches(log, 1)))).toEqual(expected);
    expect(await verifyChain([[], log.slice(0, 4), [], log.slice(4)])).toEqual(expected);
  });

  it('accepts an empty log, whose head is genesis', async () => {
    expect(await verifyChain([])).toEqual({
      eventsChecked: 0,
      firstPosition: null,
      lastPosition: null,
      headHash: GENESIS_HASH,
      valid: true,
      firstBroken: null,
    });
  });

  it.each<[string, (e: RecordedEvent) => RecordedEvent]>([
    ['data', (e) => ({ ...e, data: { ...e.data, i: 999 } })],
    ['personal', (e) => ({ ...e, personal: { name: 'Someone else' } })],
    ['metadata', (e) => ({ ...e, metadata: { ...e.metadata, actor: 'user:mallory' } })],
    ['type', (e) => ({ ...e, type: 'CaseClosed' })],
    ['recordedAt', (e) => ({ ...e, recordedAt: '2030-01-01T00:00:00.000Z' })],
    ['streamId', (e) => ({ ...e, streamId: 'case-other' })],
    ['version', (e) => ({ ...e, version: e.version + 1 })],
    ['eventId', (e) => ({ ...e, eventId: randomUUID() })],
    ['schemaVersion', (e) => ({ ...e, schemaVersion: 2 })],
    ['a stored hash', (e) => ({ ...e, hash: 'f'.repeat(64) })],
  ])('reports an edited %s as a hash mismatch at that position', async (_field, edit) => {
    const edited = log.map((e, i) => (i === 6 ? edit(e) : e));
    const result = await verifyChain(batches(edited, 4));
    expect(result.valid).toBe(false);
    expect(result.firstBroken).toEqual({
      position: 7,
      eventId: edited[6]!.eventId,
      reason: 'hash-mismatch',
      expected: chainHash(edited[6]!.previousHash, edited[6]!),
      found: edited[6]!.hash,
    });
    expect(result).toMatchObject({ eventsChecked: 7, lastPosition: 7, headHash: log[5]!.hash });
  });

  it('reports an edit whose hash was recomputed at the next position, as a previous-hash mismatch', async () => {
    const forged = { ...log[6]!, data: { i: 999 } };
    forged.hash = chainHash(forged.previousHash, forged);
    const edited = log.map((e, i) => (i === 6 ? forged : e));
    expect(verifyEvent(forged)).toBe(true);
    const result = await verifyChain([edited]);
    expect(result.firstBroken).toEqual({
      position: 8,
      eventId: log[7]!.eventId,
      reason: 'previous-hash-mismatch',
      expected: forged.hash,
      found: log[6]!.hash,
    });
  });

  it('cannot tell a rewritten tail from the log alone: only a head hash recorded elsewhere does', async () => {
    const edited = log.map((e, i) => (i === 6 ? { ...e, data: { i: 999 } } : e));
    const rewritten = rehashFrom(edited, 6);
    const result = await verifyChain([rewritten]);
    expect(result.valid).toBe(true);
    const recordedHead = log[11]!.hash; // e.g. written to an audit record before the rewrite
    expect(result.headHash).not.toBe(recordedHead);
  });

  it('reports a deleted event as a gap at its position (dense positions)', async () => {
    const result = await verifyChain([[...log.slice(0, 4), ...log.slice(5)]]);
    expect(result.firstBroken).toEqual({ position: 5, eventId: null, reason: 'position-gap', expected: '5', found: '6' });
    expect(result).toMatchObject({ valid: false, eventsChecked: 5, lastPosition: 6, headHash: log[3]!.hash });

    const withoutFirst = await verifyChain([log.slice(1)]);
    expect(withoutFirst.firstBroken).toMatchObject({ position: 1, reason: 'position-gap' });
  });

  it('reports a deleted event at the next one when positions are sparse', async () => {
    const sparse = makeLog(6, { start: 100, step: 37 });
    expect((await verifyChain([sparse], { densePositions: false })).valid).toBe(true);
    const result = await verifyChain([[...sparse.slice(0, 2), ...sparse.slice(3)]], { densePositions: false });
    expect(result.firstBroken).toEqual({
      position: sparse[3]!.position,
      eventId: sparse[3]!.eventId,
      reason: 'previous-hash-mismatch',
      expected: sparse[1]!.hash,
      found: sparse[2]!.hash,
    });
    const withoutFirst = await verifyChain([sparse.slice(1)], { densePositions: false });
    expect(withoutFirst.firstBroken).toMatchObject({ position: sparse[1]!.position, expected: GENESIS_HASH });
  });

  it('reports events swapped in the log, positions relabelled or hashes swapped, at the lower position', async () => {
    // Rows 4 and 9 trade places (as `UPDATE ... SET position` would do): the log still reads in position order.
    const swapped = log.map((e, i) => (i === 3 ? { ...log[8]!, position: 4 } : i === 8 ? { ...log[3]!, position: 9 } : e));
    expect((await verifyChain([swapped])).firstBroken).toMatchObject({ position: 4, reason: 'previous-hash-mismatch' });

    // Neighbours trade places.
    const neighbours = log.map((e, i) => (i === 3 ? { ...log[4]!, position: 4 } : i === 4 ? { ...log[3]!, position: 5 } : e));
    expect((await verifyChain([neighbours])).firstBroken).toMatchObject({ position: 4, reason: 'previous-hash-mismatch' });

    // Only their hash columns are swapped.
    const hashes = log.map((e, i) =>
      i === 3 ? { ...e, previousHash: log[8]!.previousHash, hash: log[8]!.hash } : i === 8 ? { ...e, previousHash: log[3]!.previousHash, hash: log[3]!.hash } : e,
    );
    expect((await verifyChain([hashes])).firstBroken).toMatchObject({ position: 4, reason: 'previous-hash-mismatch' });

    // Events handed over out of order (an offline bundle shuffled).
    const outOfOrder = [...log.slice(0, 3), log[4]!, log[3]!, ...log.slice(5)];
    expect((await verifyChain([outOfOrder], { densePositions: false })).firstBroken).toMatchObject({
      position: 5,
      reason: 'previous-hash-mismatch',
    });
    expect((await verifyChain([outOfOrder])).firstBroken).toMatchObject({ position: 4, reason: 'position-gap' });
    const backwards = [...log.slice(0, 4), log[2]!];
    expect((await verifyChain([backwards])).firstBroken).toMatchObject({
      position: 3,
      reason: 'position-order',
      expected: '> 4',
      found: '3',
    });
  });

  it('verifies from a later position, anchored to an expected previous hash or trusting the first one', async () => {
    const tail = log.slice(5);
    expect(await verifyChain([tail], { from: 6, expectedPreviousHash: log[4]!.hash })).toMatchObject({
      valid: true,
      eventsChecked: 7,
      firstPosition: 6,
      headHash: log[11]!.hash,
    });
    expect((await verifyChain([tail], { from: 6 })).valid).toBe(true); // trusts event 6's previousHash

    const wrongAnchor = await verifyChain([tail], { from: 6, expectedPreviousHash: log[3]!.hash });
    expect(wrongAnchor.firstBroken).toMatchObject({ position: 6, reason: 'previous-hash-mismatch', expected: log[3]!.hash });
    // Without `from`, a range that does not start at 1 is missing its beginning.
    expect((await verifyChain([tail])).firstBroken).toMatchObject({ position: 1, reason: 'position-gap', found: '6' });
    // The first event must be where `from` says.
    expect((await verifyChain([tail], { from: 5 })).firstBroken).toMatchObject({ position: 5, reason: 'position-gap' });
    expect((await verifyChain([tail], { from: 7 })).firstBroken).toMatchObject({ position: 6, reason: 'position-order' });
    // An event that is edited right at the start of a trusted range is still caught by its own hash.
    const editedFirst = [{ ...tail[0]!, type: 'Other' }, ...tail.slice(1)];
    expect((await verifyChain([editedFirst], { from: 6 })).firstBroken).toMatchObject({ position: 6, reason: 'hash-mismatch' });
  });

  it('reports malformed hashes instead of throwing', async () => {
    const upper = log.map((e, i) => (i === 2 ? { ...e, previousHash: e.previousHash.toUpperCase() } : e));
    expect((await verifyChain([upper])).firstBroken).toMatchObject({ position: 3, reason: 'previous-hash-mismatch' });
    const empty = log.map((e, i) => (i === 2 ? { ...e, hash: '' } : e));
    expect((await verifyChain([empty])).firstBroken).toMatchObject({ position: 3, reason: 'hash-mismatch', found: '' });
    const trustedButMalformed = [{ ...log[5]!, previousHash: 'x' }];
    expect((await verifyChain([trustedButMalformed], { from: 6 })).firstBroken).toMatchObject({ reason: 'previous-hash-mismatch', found: 'x' });
    const unhashable = log.map((e, i) => (i === 2 ? { ...e, data: { n: Number.NaN } } : e));
    expect((await verifyChain([unhashable])).firstBroken).toMatchObject({ position: 3, reason: 'hash-mismatch' });
  });

  it('stops reading at the first break', async () => {
    const edited = log.map((e, i) => (i === 1 ? { ...e, type: 'X' } : e));
    let pulled = 0;
    function* counting(): Generator<RecordedEvent[]> {
      for (const batch of batches(edited, 2)) {
        pulled += 1;
        yield batch;
      }
    }
    expect((await verifyChain(counting())).firstBroken?.position).toBe(2);
    expect(pulled).toBe(1);
  });

  it('refuses options that cannot anchor anything', async () => {
    await expect(verifyChain([log], { expectedPreviousHash: 'abc' })).rejects.toThrow(RangeError);
    await expect(verifyChain([log], { from: -1 })).rejects.toThrow(RangeError);
  });
});

describe('verifyEvent', () => {
  it('recomputes one event from its own previousHash', () => {
    const [first, second] = makeLog(2);
    expect(verifyEvent(first!)).toBe(true);
    expect(verifyEvent(second!)).toBe(true);
    expect(verifyEvent({ ...second!, data: { changed: true } })).toBe(false);
    expect(verifyEvent({ ...second!, previousHash: GENESIS_HASH })).toBe(false);
    expect(verifyEvent({ ...second!, hash: second!.hash.toUpperCase() })).toBe(false);
    expect(verifyEvent({ ...second!, previousHash: 'nope' })).toBe(false);
  });
});
