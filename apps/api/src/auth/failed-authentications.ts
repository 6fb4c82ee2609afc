import { ApplicationError, ApplicationErrorCode } from '#application';

/** The address failed authentications are counted against (`X-Forwarded-For` when TRUST_PROXY says so). */
export const clientAddress = (request: { ip?: string | undefined; socket: { remoteAddress?: string | undefined } }): string =>
  request.ip ?? request.socket.remoteAddress ?? 'unknown';

/**
 * Counts failed authentications (a token presented but unknown, revoked or expired) per client
 * address in fixed one-minute windows. Once an address reaches the limit, every request of it that
 * presents a token is answered 429 until the window ends: guessing is slowed to `limit` tries a
 * minute, and valid tokens from that address wait too (a guess must not be told apart by its answer).
 */
export class FailedAuthentications {
  private readonly byAddress = new Map<string, { count: number; windowStart: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Refuses (429, with when to retry) an address that has used up its tries for this window. */
  assertMayTry(address: string): void {
    const wait = this.retryAfterSeconds(address);
    if (wait > 0) {
      throw new ApplicationError(ApplicationErrorCode.TooManyRequests, `Too many failed authentications from this address. Retry in ${wait} seconds.`, {
        details: { retryAfterSeconds: wait },
      });
    }
  }

  /** Seconds this address must wait before presenting a token again; 0 when it may. */
  retryAfterSeconds(address: string): number {
    const entry = this.current(address);
    if (!entry || entry.count < this.limit) return 0;
    return Math.max(1, Math.ceil((entry.windowStart + this.windowMs - this.now()) / 1000));
  }

  record(address: string): void {
    const entry = this.current(address);
    if (entry) entry.count += 1;
    else {
      if (this.byAddress.size >= 10_000) this.prune();
      this.byAddress.set(address, { count: 1, windowStart: this.now() });
    }
  }

  private current(address: string): { count: number; windowStart: number } | undefined {
    const entry = this.byAddress.get(address);
    if (entry && this.now() - entry.windowStart >= this.windowMs) {
      this.byAddress.delete(address);
      return undefined;
    }
    return entry;
  }

  private prune(): void {
    const now = this.now();
    for (const [address, entry] of this.byAddress) if (now - entry.windowStart >= this.windowMs) this.byAddress.delete(address);
  }
}
