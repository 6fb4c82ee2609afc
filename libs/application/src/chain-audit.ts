import { GENESIS_HASH, verifyChain, type ChainVerification, type EventStore, type RecordedEvent } from '#event-store';
import { AUDIT_BUNDLE_FORMAT, sealBundle, type AuditBundle } from './audit-bundle.js';
import { caseStreamId } from './case-event-codec.js';

/** The hash of the event at `position` (the genesis hash for position 0): what a published figure cites. */
export async function hashAt(store: EventStore, position: number): Promise<string> {
  if (position <= 0) return GENESIS_HASH;
  for await (const batch of store.readAll({ after: position - 1, upTo: position, batchSize: 1 })) {
    const event = batch.find((e) => e.position === position);
    if (event) return event.hash;
  }
  throw new RangeError(`no event at position ${position}`);
}

/** Walks the chain over a range of the global log (default: all of it), anchored on the stored hash before it. */
export async function verifyLog(store: EventStore, range: { from?: number; to?: number } = {}): Promise<ChainVerification & { head: { position: number; hash: string } }> {
  const from = Math.max(1, range.from ?? 1);
  const head = await store.headHash();
  const to = range.to ?? head.position;
  const expectedPreviousHash = from > 1 ? await hashAt(store, from - 1) : GENESIS_HASH;
  const result = await verifyChain(store.readAll({ after: from - 1, upTo: to, batchSize: 1000 }), { from, expectedPreviousHash });
  return { ...result, head };
}

/** A bundle of one case's stream, or of a range of the global log, sealed with its digest. */
export async function exportBundle(
  store: EventStore,
  scope: { caseId: string } | { fromPosition: number; toPosition: number },
  now: Date,
): Promise<AuditBundle> {
  const chainHead = await store.headHash();
  let events: RecordedEvent[] = [];
  if ('caseId' in scope) {
    events = (await store.readStream(caseStreamId(scope.caseId))).filter((e) => e.position <= chainHead.position);
  } else {
    const to = Math.min(scope.toPosition, chainHead.position);
    for await (const batch of store.readAll({ after: scope.fromPosition - 1, upTo: to, batchSize: 1000 })) events.push(...batch);
  }
  const identity = store.identity ? await store.identity() : { storeId: 'unknown', kind: 'unknown' };
  return sealBundle({
    format: AUDIT_BUNDLE_FORMAT,
    exportedAt: now.toISOString(),
    store: { storeId: identity.storeId, kind: identity.kind },
    chainHead,
    scope: 'caseId' in scope ? { caseId: scope.caseId } : { fromPosition: scope.fromPosition, toPosition: Math.min(scope.toPosition, chainHead.position) },
    events,
  });
}
