import { createHmac } from 'node:crypto';

/**
 * Ids derived from content, so that importing the same file twice writes nothing the second time.
 * A UUID in the layout of version 5 (name-based), from HMAC-SHA256 under a secret derived from the
 * master key: a plain hash of a name would let anyone holding a list of candidates confirm who is
 * in the database (case ids and command ids are stored in clear, and survive erasure). The first 16
 * bytes of the MAC, with the version nibble set to 5 and the RFC 4122 variant bits.
 */
export function uuidFromName(name: string, key: Buffer): string {
  const bytes = createHmac('sha256', key).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const NAMESPACE = 'prisoner-case-tracker/import/v1';

/** A name as it identifies a person: Unicode NFC, spaces collapsed, lower case. */
export function normaliseName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('und');
}

export interface PersonKey {
  /** Another organisation's reference; when present, it alone identifies the person. */
  externalReference: string | null;
  /** Null when withheld. */
  fullName: string | null;
  detentionDate: string;
  nationalities: readonly string[];
}

/**
 * The case id of a person in an import file: from the external reference if there is one, otherwise
 * from the name, the first detention day and the nationalities (in any order, any case).
 */
export function caseIdFor(key: PersonKey, idKey: Buffer): string {
  if (key.externalReference !== null && key.externalReference.trim() !== '') {
    return uuidFromName(`${NAMESPACE}\u0000case\u0000ref\u0000${key.externalReference.trim()}`, idKey);
  }
  const nationalities = [...new Set(key.nationalities.map((n) => n.toUpperCase()))].sort().join('|');
  return uuidFromName(`${NAMESPACE}\u0000case\u0000person\u0000${normaliseName(key.fullName ?? '')}\u0000${key.detentionDate}\u0000${nationalities}`, idKey);
}

/** JSON with object keys sorted, so that equal content gives an equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The idempotency key of one command of an imported row: the case id, the command type and the
 * command's whole content. The same row gives the same keys (a re-run writes nothing); a row whose
 * content changed gives new keys, so the change is decided by the domain rather than silently dropped.
 */
export function idempotencyKeyFor(caseId: string, commandType: string, content: unknown, idKey: Buffer): string {
  return `import-${uuidFromName(`${NAMESPACE}\u0000command\u0000${caseId}\u0000${commandType}\u0000${canonicalJson(content)}`, idKey)}`;
}
