/** Time and identity are injected so that decisions are reproducible in tests and replays. */
export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new UUID (v4 or v7). */
  next(): string;
}

export const systemClock: Clock = { now: () => new Date() };

export const fixedClock = (iso: string): Clock => ({ now: () => new Date(iso) });
