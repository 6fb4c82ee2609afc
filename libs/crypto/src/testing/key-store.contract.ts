import { randomBytes, randomUUID } from 'node:crypto';
import type { KeyStore } from '../key-store.port.js';

/** The behaviour every key-store adapter must have; run by each adapter's spec. */
export function keyStoreContract(name: string, open: () => Promise<KeyStore>, close: (store: KeyStore) => Promise<void> = (s) => s.close()): void {
  describe(`KeyStore contract: ${name}`, () => {
    let store: KeyStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await close(store);
    });
    const at = new Date('2026-03-01T12:00:00.000Z');

    it('stores a wrapped key once: a second create answers the first row', async () => {
      const subject = randomUUID();
      expect(await store.get(subject)).toBeNull();
      const first = randomBytes(60);
      const created = await store.create(subject, first, 'mk1', at);
      expect(created).toEqual({ subjectId: subject, wrappedKey: first, masterKeyId: 'mk1', createdAt: at.toISOString(), destroyedAt: null });
      const again = await store.create(subject, randomBytes(60), 'mk1', new Date(at.getTime() + 1000));
      expect(again.wrappedKey).toEqual(first);
      expect(await store.get(subject)).toEqual(created);
    });

    it('reads many subjects at once, leaving out those without a row', async () => {
      const subjects = Array.from({ length: 1200 }, () => randomUUID());
      for (const s of subjects.slice(0, 1100)) await store.create(s, randomBytes(60), 'mk1', at);
      const rows = await store.getMany([...subjects, subjects[0]!]);
      expect(rows.size).toBe(1100);
      expect([...rows.keys()].sort()).toEqual(subjects.slice(0, 1100).sort());
      expect((await store.getMany([])).size).toBe(0);
    });

    it('destroys a key by overwriting it, keeps a tombstone, and says what it did', async () => {
      const subject = randomUUID();
      await store.create(subject, randomBytes(60), 'mk1', at);
      const later = new Date(at.getTime() + 60_000);
      expect(await store.destroy(subject, 'mk1', later)).toBe('destroyed');
      expect(await store.get(subject)).toEqual({ subjectId: subject, wrappedKey: null, masterKeyId: 'mk1', createdAt: at.toISOString(), destroyedAt: later.toISOString() });
      expect(await store.destroy(subject, 'mk1', new Date(later.getTime() + 1))).toBe('already-destroyed');
      expect((await store.get(subject))!.destroyedAt).toBe(later.toISOString());
      // No key is ever created again for an erased subject.
      const recreated = await store.create(subject, randomBytes(60), 'mk1', later);
      expect(recreated.wrappedKey).toBeNull();
      expect(recreated.destroyedAt).toBe(later.toISOString());
    });

    it('destroys a subject that had no key by leaving a tombstone', async () => {
      const subject = randomUUID();
      expect(await store.destroy(subject, 'mk1', at)).toBe('tombstoned');
      expect(await store.get(subject)).toMatchObject({ wrappedKey: null, destroyedAt: at.toISOString() });
      expect((await store.create(subject, randomBytes(60), 'mk1', at)).wrappedKey).toBeNull();
    });

    it('finds a live key to check the master key with, and none when all are destroyed', async () => {
      expect(await store.anyLive()).toBeNull();
      const subject = randomUUID();
      await store.create(subject, randomBytes(60), 'mk1', at);
      expect((await store.anyLive())!.subjectId).toBe(subject);
      await store.destroy(subject, 'mk1', at);
      expect(await store.anyLive()).toBeNull();
      await store.ping();
    });
  });
}
