import { createHash } from 'node:crypto';
import { canonicalJson, verifyEvent, type Json, type RecordedEvent } from '#event-store';

/**
 * A self-contained, offline-verifiable export of part of the log: the events as stored with their
 * hashes, the chain's head when exported, and the store's identity. Each event carries the hash of
 * the event before it in the global log, so a bundle of one case verifies without the rest of the
 * log; where positions are consecutive the links between them are checked too.
 */
export const AUDIT_BUNDLE_FORMAT = 'prisoner-case-tracker/audit-bundle@1';

export interface AuditBundle {
  format: typeof AUDIT_BUNDLE_FORMAT;
  exportedAt: string;
  store: { storeId: string; kind: string };
  chainHead: { position: number; hash: string };
  scope: { caseId: string } | { fromPosition: number; toPosition: number };
  events: RecordedEvent[];
  /** SHA-256 of the canonical JSON of every member above: the file's own integrity. */
  digest: string;
}

export type UnsignedBundle = Omit<AuditBundle, 'digest'>;

export function bundleDigest(bundle: UnsignedBundle): string {
  return createHash('sha256').update(canonicalJson(bundle as unknown as Json), 'utf8').digest('hex');
}

export function sealBundle(bundle: UnsignedBundle): AuditBundle {
  return { ...bundle, digest: bundleDigest(bundle) };
}

export interface BundleVerification {
  valid: boolean;
  eventsChecked: number;
  linksChecked: number;
  chainHead: { position: number; hash: string } | null;
  problems: { position: number | null; problem: string }[];
}

/** Checks a bundle with nothing but the bundle: digest, every event's hash, and every link it can see. */
export function verifyBundle(input: unknown): BundleVerification {
  const problems: BundleVerification['problems'] = [];
  const b = input as Partial<AuditBundle> | null;
  if (!b || typeof b !== 'object' || b.format !== AUDIT_BUNDLE_FORMAT || !Array.isArray(b.events) || !b.chainHead) {
    return { valid: false, eventsChecked: 0, linksChecked: 0, chainHead: null, problems: [{ position: null, problem: `not an ${AUDIT_BUNDLE_FORMAT} document` }] };
  }
  const { digest, ...rest } = b as AuditBundle;
  let recomputed: string | null = null;
  try {
    recomputed = bundleDigest(rest);
  } catch (error) {
    problems.push({ position: null, problem: `the bundle cannot be canonicalised: ${(error as Error).message}` });
  }
  if (recomputed !== null && recomputed !== digest) problems.push({ position: null, problem: 'the bundle digest does not match its content' });

  let linksChecked = 0;
  const events = b.events;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    let ok = false;
    try {
      ok = verifyEvent(e);
    } catch (error) {
      problems.push({ position: e.position ?? null, problem: `event cannot be checked: ${(error as Error).message}` });
      continue;
    }
    if (!ok) problems.push({ position: e.position, problem: `event ${e.eventId}: its hash does not match its content and previous hash` });
    const prev = events[i - 1];
    if (prev) {
      if (e.position <= prev.position) problems.push({ position: e.position, problem: 'events are not in increasing position order' });
      if (e.position === prev.position + 1) {
        linksChecked++;
        if (e.previousHash !== prev.hash) problems.push({ position: e.position, problem: 'the link to the previous event is broken' });
      }
    }
  }
  if ('fromPosition' in b.scope! && events.length > 0) {
    const { fromPosition, toPosition } = b.scope;
    if (events[0]!.position !== fromPosition || events[events.length - 1]!.position !== toPosition || events.length !== toPosition - fromPosition + 1) {
      problems.push({ position: null, problem: `the range ${fromPosition}..${toPosition} is not complete in the bundle` });
    }
  }
  const last = events[events.length - 1];
  if (last && last.position > b.chainHead.position) problems.push({ position: last.position, problem: 'an event lies beyond the chain head' });
  if (last && last.position === b.chainHead.position && last.hash !== b.chainHead.hash) {
    problems.push({ position: last.position, problem: 'the last event is the head but its hash differs from the chain head' });
  }
  return { valid: problems.length === 0, eventsChecked: events.length, linksChecked, chainHead: b.chainHead, problems };
}
