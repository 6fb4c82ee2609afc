import { createHash } from 'node:crypto';
import { canonicalJson, chainHash, GENESIS_HASH, type HashedFields } from './canonical.js';

describe('canonical serialisation', () => {
  it('sorts keys at every depth, writes no whitespace, and escapes strings as JSON.stringify', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null, 'x"y'], c: 'ñ' } })).toBe('{"a":{"c":"ñ","d":[true,null,"x\\"y"]},"b":1}');
  });
  it('writes numbers as ECMAScript does (RFC 8785) and refuses those JSON cannot hold', () => {
    expect(canonicalJson([0, -0, 7, -12, 9007199254740991, 1.5, 0.1, 1e21, 1e-7, -2.5e-7, 0.30000000000000004])).toBe(
      '[0,0,7,-12,9007199254740991,1.5,0.1,1e+21,1e-7,-2.5e-7,0.30000000000000004]',
    );
    expect(() => canonicalJson({ v: Number.NaN })).toThrow(RangeError);
    expect(() => canonicalJson({ v: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });
  it('chains: SHA-256 of the previous hash bytes and the canonical bytes', () => {
    const event: HashedFields = {
      position: 1,
      eventId: '00000000-0000-4000-8000-000000000001',
      streamId: 'case-1',
      version: 1,
      type: 'CaseOpened',
      schemaVersion: 1,
      data: { z: 1, a: 'b' },
      personal: null,
      metadata: { occurredOn: '2026-01-08', datePrecision: 'day', actor: 'a', source: null, verification: 'confirmed', commandId: 'c', correlationId: 'r', causationId: null },
      recordedAt: '2026-01-08T12:00:00.000Z',
    };
    const canonical =
      '{"data":{"a":"b","z":1},"eventId":"00000000-0000-4000-8000-000000000001","metadata":{"actor":"a","causationId":null,"commandId":"c","correlationId":"r","datePrecision":"day","occurredOn":"2026-01-08","source":null,"verification":"confirmed"},"personal":null,"position":1,"recordedAt":"2026-01-08T12:00:00.000Z","schemaVersion":1,"streamId":"case-1","type":"CaseOpened","version":1}';
    const expected = createHash('sha256').update(Buffer.alloc(32)).update(canonical, 'utf8').digest('hex');
    expect(chainHash(GENESIS_HASH, event)).toBe(expected);
    expect(chainHash(expected, event)).not.toBe(expected);
  });
});
