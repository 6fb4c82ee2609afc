import type { EntityManager, QueryRunner } from 'typeorm';
import { DEPRIVED_OF_LIBERTY } from '#domain';

/**
 * Counts "as of a day, as known now" without scanning status intervals: for every status interval
 * of the current knowledge (its `recorded_to` still open) the projection adds +1 on `valid_from`
 * and −1 on `valid_to` to each measure the interval counts towards, per scope and day, and keeps
 * the same sums per month. A count as of day D is then the sum of the months before D's month and
 * of D's month's days up to D: at most a few hundred rows, whatever the number of cases.
 *
 * `stock_knowledge.recorded_up_to` is the latest recording instant the projection has applied.
 * A query whose `knownAt` is at or after it sees exactly the open rows, so it may use the sums.
 */
export const STOCK_TABLES = ['stock_deltas_by_day', 'stock_deltas_by_month', 'stock_knowledge'] as const;
export const STOCK_KNOWLEDGE_NAME = 'case-history';

/** What a profile contributes to the breakdowns (from `CaseOpened`, which never changes). */
export interface StockProfile {
  foreignNational: boolean;
  gender: string;
  affiliation: string;
  minor: boolean;
}

export const profileOf = (opened: { nationalities: readonly string[]; gender: string; affiliation: string; minor: boolean }): StockProfile => ({
  foreignNational: opened.nationalities.some((n) => n !== 'VE'),
  gender: opened.gender,
  affiliation: opened.affiliation,
  minor: opened.minor,
});

const DEPRIVED = new Set<string>(DEPRIVED_OF_LIBERTY);

/**
 * The measures one status interval counts towards, each with weight 1: `status:<status>`, and for
 * people deprived of liberty the `deprived:<breakdown>` that `deprivedBreakdowns` sums.
 */
export function stockMeasures(status: string, onHungerStrike: boolean, profile: StockProfile): string[] {
  const m = [`status:${status}`];
  if (!DEPRIVED.has(status)) return m;
  if (profile.foreignNational) m.push('deprived:foreignNationals');
  if (status === 'disappeared') m.push('deprived:whereaboutsUnknown');
  if (profile.gender === 'female') m.push('deprived:women');
  if (profile.gender === 'male') m.push('deprived:men');
  if (profile.affiliation === 'civilian') m.push('deprived:civilians');
  if (profile.affiliation === 'military') m.push('deprived:military');
  m.push(profile.minor ? 'deprived:minors' : 'deprived:adults');
  if (onHungerStrike) m.push('deprived:onHungerStrike');
  return m;
}

type Runner = Pick<QueryRunner, 'query'> | Pick<EntityManager, 'query'>;

/** Deltas gathered over a batch, written with one upsert per table and chunk. */
export class StockDeltas {
  private readonly byDay = new Map<string, number>();
  private recordedUpTo = '';

  /** An interval of the current knowledge appeared (`sign` 1) or stopped being current (−1). */
  add(scope: string, status: string, validFrom: string, validTo: string, onHungerStrike: boolean, profile: StockProfile, sign: 1 | -1): void {
    // An empty interval counts on no day; its +1 and −1 would not cancel out for days between.
    if (!(validFrom < validTo)) return;
    for (const measure of stockMeasures(status, onHungerStrike, profile)) {
      this.bump(`${scope}\u0000${measure}\u0000${validFrom}`, sign);
      this.bump(`${scope}\u0000${measure}\u0000${validTo}`, -sign);
    }
  }

  /** The recording instant of an applied event. */
  recorded(at: string): void {
    if (at > this.recordedUpTo) this.recordedUpTo = at;
  }

  private bump(key: string, by: number): void {
    this.byDay.set(key, (this.byDay.get(key) ?? 0) + by);
  }

  async flush(q: Runner, postgres: boolean): Promise<void> {
    const byMonth = new Map<string, number>();
    const days: [string, string, string, number][] = [];
    for (const [key, delta] of this.byDay) {
      if (delta === 0) continue;
      const [scope, measure, day] = key.split('\u0000') as [string, string, string];
      days.push([scope, measure, day, delta]);
      const monthKey = `${scope}\u0000${measure}\u0000${day.slice(0, 7)}`;
      byMonth.set(monthKey, (byMonth.get(monthKey) ?? 0) + delta);
    }
    const months: [string, string, string, number][] = [];
    for (const [key, delta] of byMonth) if (delta !== 0) months.push([...(key.split('\u0000') as [string, string, string]), delta]);
    await upsertDeltas(q, postgres, 'stock_deltas_by_day', 'on_day', days);
    await upsertDeltas(q, postgres, 'stock_deltas_by_month', 'in_month', months);
    if (this.recordedUpTo !== '') {
      await q.query(
        `INSERT INTO stock_knowledge (name, recorded_up_to) VALUES (${ph(postgres, 1)}, ${ph(postgres, 2)})
         ON CONFLICT (name) DO UPDATE SET recorded_up_to = CASE WHEN excluded.recorded_up_to > stock_knowledge.recorded_up_to
           THEN excluded.recorded_up_to ELSE stock_knowledge.recorded_up_to END`,
        [STOCK_KNOWLEDGE_NAME, this.recordedUpTo],
      );
    }
    this.byDay.clear();
    this.recordedUpTo = '';
  }
}

const ph = (postgres: boolean, i: number) => (postgres ? `$${i}` : '?');

const UPSERT_CHUNK = 100;
async function upsertDeltas(q: Runner, postgres: boolean, table: string, period: string, rows: [string, string, string, number][]): Promise<void> {
  for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
    const chunk = rows.slice(i, i + UPSERT_CHUNK);
    const values = chunk.map((_, r) => `(${[1, 2, 3, 4].map((c) => ph(postgres, r * 4 + c)).join(', ')})`).join(', ');
    await q.query(
      `INSERT INTO ${table} (scope, measure, ${period}, delta) VALUES ${values}
       ON CONFLICT (scope, ${period}, measure) DO UPDATE SET delta = ${table}.delta + excluded.delta`,
      chunk.flat(),
    );
  }
}
