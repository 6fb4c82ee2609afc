import { createHash } from 'node:crypto';
import type { Json, RecordedEvent } from '../event-store.port.js';

/**
 * The hash chain. Each event stores
 *   hash = SHA-256( previousHash (32 raw bytes) || canonical bytes of the event as stored )
 * with the genesis previousHash = 32 zero bytes, hashes written as lower-case hex.
 *
 * Canonical bytes: the UTF-8 encoding of a JSON text of the object
 *   { position, eventId, streamId, version, type, schemaVersion, data, personal, metadata, recordedAt }
 * where every object's keys are sorted by UTF-16 code units (as JSON Canonicalization, RFC 8785,
 * sorts them), there is no whitespace, strings are escaped as ECMAScript's JSON.stringify escapes
 * them, and numbers are written as ECMAScript writes them (RFC 8785, section 3.2.2.3): integers below
 * 10^21 in plain decimal, other values in the shortest form that reads back as the same IEEE 754
 * double (`1.5`, `0.1`, `1e+21`, `-2.5e-7`), `-0` as `0`. NaN and infinities have no JSON form and are
 * refused. That is exactly the JSON Canonicalization Scheme, so anyone can re-implement it (the
 * RFC lists implementations in several languages).
 *
 * The event store keeps non-integer numbers (a ratio, a coordinate), so they must be hashable; JSON
 * stores (SQLite text, PostgreSQL JSONB) read back the same double that was written, so the canonical
 * form of a stored event is stable.
 */
export const GENESIS_HASH = '0'.repeat(64);

export type HashedFields = Pick<
  RecordedEvent,
  'position' | 'eventId' | 'streamId' | 'version' | 'type' | 'schemaVersion' | 'data' | 'personal' | 'metadata' | 'recordedAt'
>;

export function canonicalJson(value: Json | undefined): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError(`${value} has no JSON form, hence no canonical one`);
      // ECMAScript's Number::toString, as RFC 8785 prescribes (JSON.stringify writes -0 as 0).
      return JSON.stringify(value);
  }
  // Plain loops, no intermediate arrays: this runs once per appended event.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return out + ']';
  }
  const keys = Object.keys(value).sort();
  let out = '{';
  for (const key of keys) {
    const member = value[key];
    if (member === undefined) continue;
    out += (out.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(member);
  }
  return out + '}';
}

export function canonicalBytes(event: HashedFields): Buffer {
  return Buffer.from(canonicalText(event), 'utf8');
}

function canonicalText(event: HashedFields): string {
  const fields: { [k: string]: Json } = {
    position: event.position,
    eventId: event.eventId,
    streamId: event.streamId,
    version: event.version,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    personal: event.personal,
    metadata: event.metadata as unknown as Json,
    recordedAt: event.recordedAt,
  };
  return canonicalJson(fields);
}

export function chainHash(previousHash: string, event: HashedFields): string {
  if (!/^[0-9a-f]{64}$/.test(previousHash)) throw new RangeError('previousHash must be 64 lower-case hex digits');
  return createHash('sha256').update(Buffer.from(previousHash, 'hex')).update(canonicalText(event), 'utf8').digest('hex');
}
