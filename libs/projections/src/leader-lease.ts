import type { DataSource, QueryRunner } from 'typeorm';

/**
 * Only one projector may apply events to a set of read models. The lease says who: on PostgreSQL a
 * session-level advisory lock held on a dedicated connection (released by the server if that
 * process dies), in the embedded default the only process there is.
 */
export interface LeaderLease {
  /** True when this process holds the lease (acquiring it if free). */
  tryAcquire(): Promise<boolean>;
  release(): Promise<void>;
}

export const soleProcessLease = (): LeaderLease => ({ tryAcquire: async () => true, release: async () => {} });

/** A stable 64-bit key per read-model set: the lock is `pg_try_advisory_lock(key)`. */
function lockKey(name: string): string {
  let h = 0n;
  for (const c of `projector:${name}`) h = (h * 31n + BigInt(c.codePointAt(0)!)) & 0x7fffffffffffffffn;
  return h.toString();
}

export class PostgresAdvisoryLease implements LeaderLease {
  private runner: QueryRunner | null = null;
  private readonly key: string;

  constructor(
    private readonly dataSource: DataSource,
    name: string,
  ) {
    this.key = lockKey(`${name}:${(dataSource.options as { schema?: string }).schema ?? 'public'}`);
  }

  async tryAcquire(): Promise<boolean> {
    if (this.runner) {
      try {
        // Still ours only while the session that took it is alive.
        await this.runner.query('SELECT 1');
        return true;
      } catch {
        await this.release();
      }
    }
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const [row] = (await runner.query('SELECT pg_try_advisory_lock($1) AS acquired', [this.key])) as { acquired: boolean }[];
    if (row?.acquired) {
      this.runner = runner;
      return true;
    }
    await runner.release();
    return false;
  }

  async release(): Promise<void> {
    const runner = this.runner;
    this.runner = null;
    if (!runner) return;
    try {
      await runner.query('SELECT pg_advisory_unlock($1)', [this.key]);
    } catch {
      // The session is gone, and the lock with it.
    }
    await runner.release();
  }
}

export function leaseFor(dataSource: DataSource, name: string): LeaderLease {
  return dataSource.options.type === 'postgres' ? new PostgresAdvisoryLease(dataSource, name) : soleProcessLease();
}
