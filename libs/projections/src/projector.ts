import type { DataSource, EntityManager } from 'typeorm';
import type { EventStore, RecordedEvent } from '#event-store';
import type { Projection } from './projection.js';
import { ProjectionCheckpointEntity } from './schema/read-model.entities.js';

export interface ProjectorOptions {
  /** Checkpoint name: one per projector, covering all its projections. */
  name?: string;
  batchSize?: number;
  now?: () => Date;
}

export interface CatchUpProgress {
  position: number;
  head: number;
  events: number;
}

/**
 * Feeds projections from the store's global log. Each batch and the checkpoint that follows it are
 * committed in one read-model transaction, so a crash or restart never skips or repeats an event.
 * The in-process bus is never the delivery path: `follow` reads the log from the checkpoint.
 */
export class Projector {
  readonly name: string;
  private readonly batchSize: number;
  private readonly now: () => Date;
  private position = 0;
  private readonly waiters = new Set<{ position: number; resolve: () => void }>();
  private running: Promise<void> | null = null;
  private abort: AbortController | null = null;
  private lastError: unknown = null;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly projections: readonly Projection[],
    options: ProjectorOptions = {},
  ) {
    this.name = options.name ?? 'main';
    this.batchSize = options.batchSize ?? 1000;
    this.now = options.now ?? (() => new Date());
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
  async catchUp(onProgress?: (p: CatchUpProgress) => void, signal?: AbortSignal, maxBatches = Number.POSITIVE_INFINITY): Promise<number> {
    let processed = 0;
    let batches = 0;
    const head = await this.store.headPosition();
    for await (const batch of this.store.readAll({ after: await this.checkpoint(), batchSize: this.batchSize, upTo: head })) {
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
          for await (const batch of this.store.follow({ after: await this.checkpoint(), batchSize: this.batchSize, signal: abort.signal })) {
            await this.applyBatch(batch);
            this.lastError = null;
          }
        } catch (error) {
          if (abort.signal.aborted) break;
          // A failed batch was rolled back; retry from the checkpoint after a pause.
          this.lastError = error;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    })();
  }

  /** Stops following, after the batch in flight is committed. */
  async stop(): Promise<void> {
    this.abort?.abort();
    await this.running;
    this.running = null;
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

  /** Empties every read model and its checkpoint, then replays the log from position zero. */
  async rebuild(onProgress?: (p: CatchUpProgress) => void): Promise<{ events: number; seconds: number }> {
    const wasRunning = this.running !== null;
    await this.stop();
    const started = process.hrtime.bigint();
    await this.dataSource.transaction(async (tx) => {
      for (const p of this.projections) for (const table of p.tables) await tx.query(`DELETE FROM ${table}`);
      await tx.delete(ProjectionCheckpointEntity, { name: this.name });
    });
    for (const p of this.projections) p.reset();
    this.position = 0;
    const events = await this.catchUp(onProgress);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (wasRunning) this.start();
    return { events, seconds };
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
    const row = await tx.findOneBy(ProjectionCheckpointEntity, { name: this.name });
    return row?.position ?? 0;
  }
}
