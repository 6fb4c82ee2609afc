/**
 * Where data keys live, wrapped: one row per subject (a case id), holding only the wrapped key, the
 * fingerprint of the master key that wrapped it, and when it was created and destroyed. Plain data
 * keys and the master key never reach a key store.
 *
 * Destroying a key (crypto-shredding) overwrites the wrapped key with NULL and sets `destroyedAt`;
 * the row stays as a tombstone, so that no new key is ever created for an erased subject. Destroying
 * a subject that has no row yet leaves such a tombstone too.
 */
export interface StoredDataKey {
  subjectId: string;
  /** `iv || ciphertext || tag` (see `key-wrap.ts`); null once destroyed. */
  wrappedKey: Buffer | null;
  masterKeyId: string;
  createdAt: string;
  destroyedAt: string | null;
}

export type DestroyOutcome =
  /** A live key was destroyed. */
  | 'destroyed'
  /** It had been destroyed before: nothing changed. */
  | 'already-destroyed'
  /** There was no key: a tombstone now stops one from being created. */
  | 'tombstoned';

export interface KeyStore {
  get(subjectId: string): Promise<StoredDataKey | null>;
  /** The rows of those subjects that have one (a list read opens many at once). */
  getMany(subjectIds: readonly string[]): Promise<Map<string, StoredDataKey>>;
  /**
   * Stores a wrapped key for a subject unless it already has a row (live or destroyed), and answers
   * the row that stands: the caller's, or the one another writer stored first.
   */
  create(subjectId: string, wrappedKey: Buffer, masterKeyId: string, at: Date): Promise<StoredDataKey>;
  destroy(subjectId: string, masterKeyId: string, at: Date): Promise<DestroyOutcome>;
  /** One row that holds a live key, or null (used to check the configured master key at start). */
  anyLive(): Promise<StoredDataKey | null>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
