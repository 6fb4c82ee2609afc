/**
 * Tampering with the SQL stores behind the adapters' back, as someone with database access would,
 * and what `verifyChain` over `readAll` then reports. Every kind of tampering runs on a fresh store.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { EventStore, RecordedEvent } from '../event-store.port.js';
import { PostgresEventStore } from '../postgres/postgres-event-store.js';
import { SqliteEventStore } from '../sqlite/sqlite-event-store.js';
import { collect, newEvent } from '../testing/event-store.contract.js';
import { chainHash } from './canonical.js';
import { verifyChain } from './verify-chain.js';

interface Tamperable {
  store: EventStore;
  /** Runs SQL straight on the database; `events` is the store's table, `$1`, `$2`... its parameters. */
  sql(statement: string, params?: unknown[]): Promise<void>;
  cleanup(): Promise<void>;
}

const EVENT_COUNT = 30;

/** 30 events over five streams, in appends of one to three events. */
async function fill(store: EventStore): Promise<void> {
  const versions = new Map<string, number>();
  let written = 0;
  for (let i = 0; written < EVENT_COUNT; i++) {
    const streamId = `case-t${i % 5}`;
    const count = Math.min(1 + (i % 3), EVENT_COUNT - written);
    const commandId = randomUUID();
    const events = Array.from({ length: count }, (_, k) =>
      newEvent(commandId, {
        data: { i, k, ratio: (i + k) / 7, tags: ['a', `t${k}`] },
        personal: k === 0 ? { fullName: `Person ${i}`, note: 'Łódź "quoted"' } : null,
      }),
    );
    const expectedVersion = versions.get(streamId) ?? 0;
    const result = await store.append(streamId, events, { expectedVersion, commandId });
    versions.set(streamId, result.version);
    written += count;
  }
}

async function readLog(store: EventStore): Promise<RecordedEvent[]> {
  return (await collect(store.readAll({ after: 0 }))).flat();
}

function describeTampering(name: string, open: () => Promise<Tamperable>): void {
  describe(`tampering with ${name}`, () => {
    let target: Tamperable;
    let store: EventStore;

    beforeEach(async () => {
      target = await open();
      store = target.store;
      await fill(store);
    });

    afterEach(async () => {
      await target.cleanup();
    });

    const verify = () => verifyChain(store.readAll({ after: 0, batchSize: 7 }));

    it('(e) finds an untouched log valid, 30 events up to the store head hash', async () => {
      const head = await store.headHash();
      expect(head.position).toBe(EVENT_COUNT);
      expect(await verify()).toEqual({
        eventsChecked: EVENT_COUNT,
        firstPosition: 1,
        lastPosition: EVENT_COUNT,
        headHash: head.hash,
        valid: true,
        firstBroken: null,
      });
    });

    it('(a) reports a row whose data JSON was updated as a hash mismatch at that row', async () => {
      const before = (await readLog(store))[12]!;
      await target.sql(`UPDATE events SET data = $1 WHERE position = $2`, [JSON.stringify({ ...before.data, i: 999 }), 13]);
      const result = await verify();
      expect(result.valid).toBe(false);
      expect(result.firstBroken).toMatchObject({ position: 13, eventId: before.eventId, reason: 'hash-mismatch', found: before.hash });
      expect(result.eventsChecked).toBe(13);
    });

    it.each<[string, string, unknown]>([
      ['personal', 'personal', JSON.stringify({ fullName: 'Someone Else' })],
      ['metadata', 'metadata', null],
      ['type', 'type', 'CaseClosed'],
      ['recorded_at', 'recorded_at', '2030-01-01T00:00:00.000Z'],
      ['stream_id', 'stream_id', 'case-elsewhere'],
    ])('(a) reports an updated %s column as a hash mismatch at that row', async (_label, column, value) => {
      const before = (await readLog(store))[20]!;
      const newValue = value ?? JSON.stringify({ ...before.metadata, actor: 'user:mallory' });
      await target.sql(`UPDATE events SET ${column} = $1 WHERE position = $2`, [newValue, 21]);
      expect((await verify()).firstBroken).toMatchObject({ position: 21, eventId: before.eventId, reason: 'hash-mismatch' });
    });

    it('(b) reports a deleted row at its position, as a gap', async () => {
      await target.sql(`DELETE FROM events WHERE position = $1`, [17]);
      const result = await verify();
      expect(result.firstBroken).toEqual({ position: 17, eventId: null, reason: 'position-gap', expected: '17', found: '18' });
    });

    it('(b) cannot see a deleted last row in the log alone, but the recorded head hash no longer matches', async () => {
      const recorded = await store.headHash();
      await target.sql(`DELETE FROM events WHERE position = $1`, [EVENT_COUNT]);
      const result = await verify();
      expect(result.valid).toBe(true);
      expect(result.eventsChecked).toBe(EVENT_COUNT - 1);
      expect(result.headHash).not.toBe(recorded.hash);
    });

    it('(c) reports two rows whose positions were swapped at the lower position', async () => {
      const log = await readLog(store);
      await target.sql(`UPDATE events SET position = -1 WHERE position = $1`, [9]);
      await target.sql(`UPDATE events SET position = $1 WHERE position = $2`, [9, 24]);
      await target.sql(`UPDATE events SET position = $1 WHERE position = -1`, [24]);
      const result = await verify();
      expect(result.firstBroken).toMatchObject({ position: 9, eventId: log[23]!.eventId });
      expect(['hash-mismatch', 'previous-hash-mismatch']).toContain(result.firstBroken!.reason);
    });

    it('(c) reports two rows whose hashes were swapped at the lower position', async () => {
      const log = await readLog(store);
      const [low, high] = [log[4]!, log[10]!];
      await target.sql(`UPDATE events SET previous_hash = $1, hash = $2 WHERE position = $3`, [high.previousHash, high.hash, 5]);
      await target.sql(`UPDATE events SET previous_hash = $1, hash = $2 WHERE position = $3`, [low.previousHash, low.hash, 11]);
      expect((await verify()).firstBroken).toMatchObject({ position: 5, reason: 'previous-hash-mismatch' });
    });

    it('(d) reports an edited row whose hash was recomputed at the next position, as a previous-hash mismatch', async () => {
      const log = await readLog(store);
      const edited: RecordedEvent = { ...log[14]!, data: { ...log[14]!.data, i: 999 } };
      const forgedHash = chainHash(edited.previousHash, edited);
      await target.sql(`UPDATE events SET data = $1, hash = $2 WHERE position = $3`, [JSON.stringify(edited.data), forgedHash, 15]);

      const reread = await readLog(store);
      expect(reread[14]!.hash).toBe(forgedHash); // the row itself verifies...
      const result = await verify();
      expect(result.firstBroken).toEqual({
        position: 16,
        eventId: log[15]!.eventId,
        reason: 'previous-hash-mismatch',
        expected: forgedHash,
        found: log[14]!.hash,
      });
    });

    it('(d) cannot see an edit whose tail was rewritten in the log alone, but the recorded head hash no longer matches', async () => {
      const recorded = await store.headHash();
      const log = await readLog(store);
      let previousHash = log[14]!.previousHash;
      for (const event of log.slice(14)) {
        const changed = event.position === 15 ? { ...event, data: { ...event.data, i: 999 } } : event;
        const hash = chainHash(previousHash, changed);
        await target.sql(`UPDATE events SET data = $1, previous_hash = $2, hash = $3 WHERE position = $4`, [
          JSON.stringify(changed.data),
          previousHash,
          hash,
          event.position,
        ]);
        previousHash = hash;
      }
      const result = await verify();
      expect(result.valid).toBe(true);
      expect(result.headHash).not.toBe(recorded.hash);
      expect(result.headHash).toBe((await store.headHash()).hash);
    });
  });
}

// --- SQLite ----------------------------------------------------------------------------------------

describeTampering('SqliteEventStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-tamper-'));
  const filename = join(dir, 'events.db');
  const store = new SqliteEventStore({ filename });
  const raw = new Database(filename);
  return {
    store,
    async sql(statement, params = []) {
      // `$1`, `$2`... (always written in that order here) as SQLite's anonymous `?`.
      const numbers = [...statement.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
      raw.prepare(statement.replace(/\$\d+/g, '?')).run(...params);
    },
    async cleanup() {
      raw.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

// --- PostgreSQL ------------------------------------------------------------------------------------

const DATABASE_URL = process.env.DATABASE_URL;
if (DATABASE_URL) {
  describeTampering('PostgresEventStore', async () => {
    const schema = `es_tamper_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
    const store = await PostgresEventStore.open({ connectionString: DATABASE_URL, schema });
    const raw = new pg.Client({ connectionString: DATABASE_URL });
    await raw.connect();
    await raw.query(`SET search_path TO "${schema}"`);
    return {
      store,
      async sql(statement, params = []) {
        await raw.query(statement, params);
      },
      async cleanup() {
        await raw.end();
        await store.dropSchema();
        await store.close();
      },
    };
  });
} else {
  console.warn('tampering.spec: DATABASE_URL is not set, so the PostgreSQL tampering tests are SKIPPED.');
}
