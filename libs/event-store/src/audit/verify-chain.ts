/**
 * Verifies the hash chain of the global log from what a store reads back (`readAll`), or from an
 * offline bundle of events. Pure: it never talks to a store, so it checks any adapter the same way.
 *
 * What it catches, for a log read in position order:
 * - an edited event (data, personal, metadata, type, recordedAt... anything hashed): its stored `hash`
 *   no longer matches → `hash-mismatch` at that position;
 * - a deleted event: the positions jump → `position-gap` at the missing position (dense logs), or,
 *   where positions are sparse (KurrentDB), the next event's `previousHash` no longer matches →
 *   `previous-hash-mismatch` at the next position;
 * - reordered events (positions or hashes swapped): the first affected position no longer links to
 *   its predecessor, or no longer hashes to its stored hash;
 * - an edited event whose stored hash the tamperer recomputed: it verifies on its own, but the NEXT
 *   event's `previousHash` still names the old hash → `previous-hash-mismatch` at the next position.
 *
 * What it cannot catch from the log alone: a tamperer who rewrites an event AND recomputes the
 * hashes of every event after it up to the head (or who deletes the tail of the log) leaves a chain
 * that is consistent in itself. Only a head hash recorded elsewhere (`store.headHash()` written to an
 * audit record, a bundle, another system) shows that: compare it with the chain's hash at that
 * position. The chain makes tampering evident against such an external anchor; it is not a signature.
 */
import type { RecordedEvent } from '../event-store.port.js';
import { chainHash, GENESIS_HASH } from './canonical.js';

export type ChainBreakReason = 'hash-mismatch' | 'previous-hash-mismatch' | 'position-gap' | 'position-order';

export interface ChainBreak {
  /** Where the chain breaks: the event's position, or for a gap the first missing position. */
  position: number;
  /** The event found there (null for a gap: nothing is there). */
  eventId: string | null;
  reason: ChainBreakReason;
  /** The hash (or, for gaps and order, the position) the chain required... */
  expected: string;
  /** ...and what the log holds instead. */
  found: string;
}

export interface ChainVerification {
  /** Events examined, including the one where the chain broke. */
  eventsChecked: number;
  firstPosition: number | null;
  /** Position of the last event examined (the broken one when invalid). */
  lastPosition: number | null;
  /**
   * Hash of the last event that verified: when valid, the head of the verified range, to compare
   * with an externally recorded head hash; with no event, the previous hash the range started from.
   */
  headHash: string;
  valid: boolean;
  firstBroken: ChainBreak | null;
}

export interface VerifyChainOptions {
  /**
   * Position the verified range starts at (default 1, the start of the log). With dense positions
   * the first event must be exactly there; a later first event means the events before it are gone.
   */
  from?: number;
  /**
   * `previousHash` the first event must carry. Default: `GENESIS_HASH` when verifying from the start
   * (`from` ≤ 1); otherwise the first event's own `previousHash` is trusted (pass the value recorded
   * elsewhere, e.g. the stored `hash` of event `from - 1`, to anchor it).
   */
  expectedPreviousHash?: string;
  /**
   * Positions are consecutive integers (SQLite, PostgreSQL; default true). KurrentDB positions are
   * sparse byte offsets: pass false, and only their strict increase is checked (a deleted event then
   * shows as a `previous-hash-mismatch` at the next one).
   */
  densePositions?: boolean;
}

const HASH_PATTERN = /^[0-9a-f]{64}$/;

export async function verifyChain(
  batches: AsyncIterable<RecordedEvent[]> | Iterable<RecordedEvent[]>,
  options: VerifyChainOptions = {},
): Promise<ChainVerification> {
  const from = options.from ?? 1;
  if (!Number.isSafeInteger(from) || from < 0) throw new RangeError(`from must be a non-negative integer, got ${String(from)}`);
  if (options.expectedPreviousHash !== undefined && !HASH_PATTERN.test(options.expectedPreviousHash)) {
    throw new RangeError('expectedPreviousHash must be 64 lower-case hex digits');
  }
  const dense = options.densePositions ?? true;
  const anchored = options.expectedPreviousHash ?? (from <= 1 ? GENESIS_HASH : null);

  let eventsChecked = 0;
  let firstPosition: number | null = null;
  let lastPosition: number | null = null;
  /** Hash of the last event that verified (null before the first one, when the start is trusted). */
  let head: string | null = anchored;
  let previousPosition: number | null = null;

  const result = (firstBroken: ChainBreak | null): ChainVerification => ({
    eventsChecked,
    firstPosition,
    lastPosition,
    headHash: head ?? GENESIS_HASH,
    valid: firstBroken === null,
    firstBroken,
  });

  for await (const batch of batches) {
    for (const event of batch) {
      eventsChecked += 1;
      firstPosition ??= event.position;
      lastPosition = event.position;
      const broken = check(event);
      if (broken !== null) return result(broken);
      head = event.hash;
      previousPosition = event.position;
    }
  }
  return result(null);

  function check(event: RecordedEvent): ChainBreak | null {
    const { position, eventId } = event;
    const at = (reason: ChainBreakReason, expected: string, found: string): ChainBreak => ({
      position,
      eventId,
      reason,
      expected,
      found,
    });

    // Order and gaps first: a missing or displaced event is the finding, not its consequences.
    if (!Number.isSafeInteger(position) || position < 1) return at('position-order', 'a positive integer', String(position));
    const lowest = previousPosition === null ? from : previousPosition + 1;
    if (position < lowest) {
      return at('position-order', previousPosition === null ? `>= ${from}` : `> ${previousPosition}`, String(position));
    }
    if (dense && position > lowest) {
      return { position: lowest, eventId: null, reason: 'position-gap', expected: String(lowest), found: String(position) };
    }

    const expectedPrevious = head ?? event.previousHash; // null only for a trusted first event
    if (event.previousHash !== expectedPrevious || !HASH_PATTERN.test(event.previousHash)) {
      return at('previous-hash-mismatch', head ?? 'a 64-digit lower-case hex hash', String(event.previousHash));
    }

    let recomputed: string;
    try {
      recomputed = chainHash(event.previousHash, event);
    } catch (error) {
      return at('hash-mismatch', `a hashable event (${(error as Error).message})`, String(event.hash));
    }
    if (event.hash !== recomputed) return at('hash-mismatch', recomputed, String(event.hash));
    return null;
  }
}

/**
 * Whether one event is consistent in itself: its `hash` is `chainHash(previousHash, event)`. It says
 * nothing about its neighbours (use `verifyChain` for that); offline bundles check each event with
 * it and the links between them with `verifyChain`.
 */
export function verifyEvent(event: RecordedEvent): boolean {
  if (typeof event.previousHash !== 'string' || !HASH_PATTERN.test(event.previousHash)) return false;
  if (typeof event.hash !== 'string' || !HASH_PATTERN.test(event.hash)) return false;
  try {
    return chainHash(event.previousHash, event) === event.hash;
  } catch {
    return false;
  }
}
