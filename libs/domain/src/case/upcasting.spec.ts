import { upcast, UnknownEventError, type Upcaster, type UpcasterRegistry } from './upcasting.js';

describe('upcasting on read', () => {
  // A hypothetical history: v1 stored one nationality, v2 a list, v3 renamed `sex` to `gender`.
  const registry: UpcasterRegistry = new Map<string, Upcaster>([
    ['PersonNoted@1', (e) => ({ ...e, schemaVersion: 2, data: { ...e.data, nationalities: [e.data['nationality']], nationality: undefined } })],
    ['PersonNoted@2', (e) => ({ ...e, schemaVersion: 3, data: { nationalities: e.data['nationalities'], gender: e.data['sex'] } })],
  ]);
  const versions = { PersonNoted: 3 };

  it('lifts an old event through every step to the current schema', () => {
    const lifted = upcast({ type: 'PersonNoted', schemaVersion: 1, data: { nationality: 'ES', sex: 'female' }, personal: null }, registry, versions);
    expect(lifted).toEqual({ type: 'PersonNoted', schemaVersion: 3, data: { nationalities: ['ES'], gender: 'female' }, personal: null });
  });

  it('leaves a current event as it is', () => {
    const e = { type: 'PersonNoted', schemaVersion: 3, data: { nationalities: ['VE'], gender: 'male' }, personal: null };
    expect(upcast(e, registry, versions)).toBe(e);
  });

  it('refuses an unknown type, a missing step or a version from the future', () => {
    expect(() => upcast({ type: 'Nope', schemaVersion: 1, data: {}, personal: null }, registry, versions)).toThrow(UnknownEventError);
    expect(() => upcast({ type: 'PersonNoted', schemaVersion: 0, data: {}, personal: null }, registry, versions)).toThrow(UnknownEventError);
    expect(() => upcast({ type: 'PersonNoted', schemaVersion: 4, data: {}, personal: null }, registry, versions)).toThrow(UnknownEventError);
  });

  it('knows the current case events', () => {
    const e = { type: 'Released', schemaVersion: 1, data: {}, personal: null };
    expect(upcast(e)).toBe(e);
    expect(() => upcast({ ...e, type: 'Freed' })).toThrow(UnknownEventError);
  });
});
