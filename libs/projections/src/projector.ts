import type { DataSource, EntityManager } from 'typeorm';
import type { EventStore, RecordedEvent } from '#event-store';
import { leaseFor, type LeaderLease } from './leader-lease.js';
import type { Projection } from './projection.js';
import { ProjectionCheckpointEntity } from './schema/read-model.entities.js';
import { createIndexSql, dropIndexSql, SECONDARY_INDEXES } from './schema/secondary-indexes.js';

export interface ProjectorOptions {
  /** Checkpoint name: one per projector, covering all its projections. */
  name?: string;
  batchSize?: number;
  /** Events per transaction during `rebuild` (default 10,000; whole streams by stream, so a transaction may hold a few more). */
  rebuildBatchSize?: number;
  now?: () => Date;
  /** Who may apply events; by default a PostgreSQL advisory lock on PostgreSQL read models. */
  lease?: LeaderLease;
  /** How often a follower asks for the lease. */
  leaseRetryMs?: number;
}

export interface CatchUpProgress {
  position: number;
  head: number;
  events: number;
}

/** The checkpoint while a rebuild by stream is under way (or was cut short). */
const REBUILDING = -1;
/** Events per read of `readStreams` during a rebuild. */
const STREAM_READ_BATCH = 5000;

/**
 * Feeds projections from the store's global log. Each batch and the checkpoint that follows it are
 * committed in one read-model transaction, so a crash or restart never skips or repeats an event.
 * The in-process bus is never the delivery path: `follow` reads the log from the checkpoint.
 */
export class Projector {
  readonly name: string;
  private readonly batchSize: number;
  private readonly rebuildBatchSize: number;
  private readonly now: () => Date;
  private position = 0;
  private readonly waiters = new Set<{ position: number; resolve: () => void }>();
  private running: Promise<void> | null = null;
  private abort: AbortController | null = null;
  private lastError: unknown = null;
  private readonly lease: LeaderLease;
  private readonly leaseRetryMs: number;
  private leader = false;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly projections: readonly Projection[],
    options: ProjectorOptions = {},
  ) {
    this.name = options.name ?? 'main';
    this.batchSize = options.batchSize ?? 1000;
    this.rebuildBatchSize = options.rebuildBatchSize ?? Math.max(this.batchSize, 10_000);
    this.now = options.now ?? (() => new Date());
    this.lease = options.lease ?? leaseFor(dataSource, this.name);
    this.leaseRetryMs = options.leaseRetryMs ?? 1000;
  }

  /** Whether this process holds the lease and applies events (others wait as followers). */
  get isLeader(): boolean {
    return this.leader;
  }

  private async acquire(): Promise<boolean> {
    this.leader = await this.lease.tryAcquire();
    return this.leader;
  }

  /** The position the read models reflect. */
  async checkpoint(): Promise<number> {
    const row = await this.dataSource.getRepository(ProjectionCheckpointEntity).findOneBy({ name: this.name });
    this.position = row?.position ?? 0;
    return this.position;
  }

  /** Events in the log that the read models do not reflect yet. */
  async lag(): Promise<{ checkpoint: number; head: number; behind: number }> {
    const [checkpoint, head] = [await this.checkpoint(), await this.store.headPosition()];
    return { checkpoint, head, behind: Math.max(0, head - checkpoint) };
  }

  get error(): unknown {
    return this.lastError;
  }

  /** Applies everything stored after the checkpoint, up to the head as it is now. */
  /** Returns 0 without applying anything when another process holds the lease. */
  async catchUp(onProgress?: (p: CatchUpProgress) => void, signal?: AbortSignal, maxBatches = Number.POSITIVE_INFINITY): Promise<number> {
    return this.catchUpIn(this.batchSize, onProgress, signal, maxBatches);
  }

  private async catchUpIn(batchSize: number, onProgress?: (p: CatchUpProgress) => void, signal?: AbortSignal, maxBatches = Number.POSITIVE_INFINITY): Promise<number> {
    if (!(await this.acquire())) return 0;
    let processed = 0;
    let batches = 0;
    if ((await this.checkpoint()) === REBUILDING) return this.refill(onProgress);
    const head = await this.store.headPosition();
    for await (const batch of this.store.readAll({ after: await this.checkpoint(), batchSize, upTo: head })) {
      if (signal?.aborted) break;
      processed += await this.applyBatch(batch);
      onProgress?.({ position: this.position, head, events: processed });
      if (++batches >= maxBatches) break;
    }
    return processed;
  }

  /** Follows the log until `stop()`: catches up, then applies new events as they are committed. */
  start(): void {
    if (this.running) return;
    const abort = new AbortController();
    this.abort = abort;
    this.running = (async () => {
      while (!abort.signal.aborted) {
        try {
          if (!(await this.acquire())) {
            await sleep(this.leaseRetryMs, abort.signal);
            continue;
          }
          if ((await this.checkpoint()) === REBUILDING) await this.refill();
          for await (const batch of this.store.follow({ after: await this.checkpoint(), batchSize: this.batchSize, signal: abort.signal })) {
            await this.applyBatch(batch);
            this.lastError = null;
          }
        } catch (error) {
          if (abort.signal.aborted) break;
          // A failed batch was rolled back; give the lease up and retry from the checkpoint after a pause.
          this.lastError = error;
          this.leader = false;
          await this.lease.release().catch(() => undefined);
          await sleep(500, abort.signal);
        }
      }
    })();
  }

  /** Stops following, after the batch in flight is committed. */
  async stop(): Promise<void> {
    this.abort?.abort();
    await this.running;
    this.running = null;
    this.leader = false;
    await this.lease.release();
  }

  /** Resolves once the read models reflect `position` (read-your-writes for a client that just wrote). */
  async waitFor(position: number, timeoutMs = 10_000): Promise<boolean> {
    if ((await this.checkpoint()) >= position) return true;
    return new Promise<boolean>((resolve) => {
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /**
   * Empties every read model, then fills them again from the log as it stands when the rebuild starts
   * reading (its head then becomes the checkpoint; later events follow by the usual path). When the
   * store reads whole streams and every projection takes them, each stream is handled once and each
   * row written once in its final form; otherwise the log is replayed in position order.
   */
  async rebuild(onProgress?: (p: CatchUpProgress) => void): Promise<{ events: number; seconds: number }> {
    const wasRunning = this.running !== null;
    await this.stop();
    if (!(await this.acquire())) throw new Error(`another projector holds the lease on these read models; stop it before rebuilding`);
    const started = process.hrtime.bigint();
    const events = await this.refill(onProgress);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (wasRunning) this.start();
    return { events, seconds };
  }

  private get rebuildsByStream(): boolean {
    return this.store.readStreams !== undefined && this.projections.every((p) => p.rebuildStreams !== undefined);
  }

  private async refill(onProgress?: (p: CatchUpProgress) => void): Promise<number> {
    const byStream = this.rebuildsByStream;
    const tables = new Set(this.projections.flatMap((p) => p.tables));
    // Rebuilt after the rows are in (also by a rebuild started over after a crash: the list is in the code, not the catalog).
    const indexes = SECONDARY_INDEXES.filter((i) => tables.has(i.table));
    await this.dataSource.transaction(async (tx) => {
      for (const p of this.projections) for (const table of p.tables) await tx.query(`DELETE FROM ${table}`);
      await tx.delete(ProjectionCheckpointEntity, { name: this.name });
      // Streams are written in no position order, so a rebuild cut short cannot resume from a position:
      // the marker makes the next catch-up start it over instead of applying the log on top of it.
      if (byStream) {
        await tx.insert(ProjectionCheckpointEntity, { name: this.name, position: REBUILDING, updatedAt: this.now().toISOString() });
        for (const index of indexes) await tx.query(dropIndexSql(index));
      }
    });
    for (const p of this.projections) p.reset();
    this.position = 0;
    if (!byStream) return this.catchUpIn(this.rebuildBatchSize, onProgress);

    const head = await this.store.headPosition();
    let pending: RecordedEvent[] = [];
    let stream: RecordedEvent[] = [];
    let events = 0;
    const write = async (last: boolean) => {
      const chunk = pending;
      pending = [];
      await this.dataSource.transaction(async (tx) => {
        for (const p of this.projections) await p.rebuildStreams!(chunk, tx);
        if (last) for (const p of this.projections) await p.finishRebuild?.(tx);
        if (last) for (const index of indexes) await tx.query(createIndexSql(index));
        if (last) await tx.upsert(ProjectionCheckpointEntity, { name: this.name, position: head, updatedAt: this.now().toISOString() }, ['name']);
      });
      events += chunk.length;
      // Streams come in no position order: progress is counted in events, which ends at the head as positions do.
      onProgress?.({ position: last ? head : Math.min(events, head), head, events });
    };
    try {
      for await (const batch of this.store.readStreams!({ upTo: head, batchSize: STREAM_READ_BATCH })) {
        for (const e of batch) {
          if (stream.length > 0 && stream[0]!.streamId !== e.streamId) {
            for (const s of stream) pending.push(s);
            stream = [];
            if (pending.length >= this.rebuildBatchSize) await write(false);
          }
          stream.push(e);
        }
      }
      for (const s of stream) pending.push(s);
      await write(true);
    } catch (error) {
      for (const p of this.projections) p.reset();
      throw error;
    }
    this.position = head;
    for (const w of [...this.waiters]) if (w.position <= this.position) w.resolve();
    return events;
  }

  private async applyBatch(batch: readonly RecordedEvent[]): Promise<number> {
    let applied = 0;
    try {
      await this.dataSource.transaction(async (tx) => {
        const checkpoint = await this.readCheckpoint(tx);
        // Never apply an event twice, whatever the caller passed.
        const fresh = batch.filter((e) => e.position > checkpoint);
        if (fresh.length === 0) return;
        for (const p of this.projections) await p.apply(fresh, tx);
        const last = fresh[fresh.length - 1]!.position;
        await tx.upsert(ProjectionCheckpointEntity, { name: this.name, position: last, updatedAt: this.now().toISOString() }, ['name']);
        applied = fresh.length;
      });
    } catch (error) {
      for (const p of this.projections) p.reset();
      throw error;
    }
    if (batch.length > 0) this.position = Math.max(this.position, batch[batch.length - 1]!.position);
    for (const w of [...this.waiters]) if (w.position <= this.position) w.resolve();
    return applied;
  }

  private async readCheckpoint(tx: EntityManager): Promise<number> {
    // On PostgreSQL the row is locked too: even without the lease, two writers could not both apply a batch.
    const lock = tx.connection.options.type === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {};
    const row = await tx.findOne(ProjectionCheckpointEntity, { where: { name: this.name }, ...lock });
    return row?.position ?? 0;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
