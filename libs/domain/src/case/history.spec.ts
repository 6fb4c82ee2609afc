import fc from 'fast-check';
import { addDays } from '../shared/dates.js';
import { ev } from '../testing/fixtures.js';
import type { CaseEvent, RecordedCaseEvent } from './events.js';
import { caseHistory, HistoryWalk, type CaseHistory } from './history.js';
import type { TimelineEntry } from './state.js';

/** Every row of a history as a string, for comparing histories as sets. */
const rowsOf = (h: CaseHistory): Set<string> =>
  new Set([...h.intervals.map((i) => `i${JSON.stringify(i)}`), ...h.flows.map((f) => `f${JSON.stringify(f)}`), ...h.requests.map((r) => `r${JSON.stringify(r)}`)]);
const minus = (a: Set<string>, b: Set<string>) => [...a].filter((x) => !b.has(x)).sort();

const byDayThenVersion = (a: TimelineEntry, b: TimelineEntry) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.event.version - b.event.version);

const KINDS: ((day: string) => CaseEvent)[] = [
  (d) => ev.detained(d),
  (d) => ev.released(d),
  (d) => ev.released(d, { reportEveryDays: 30, speechRestriction: true, travelBan: false, other: null }),
  (d) => ev.reArrested(d),
  (d) => ev.houseArrest(d),
  (d) => ev.disappeared(d),
  (d) => ev.whereabouts(d),
  (d) => ev.transferred(d),
  (d) => ev.amnestyRequested(d),
  (d) => ev.amnestyGranted(d),
  (d) => ev.amnestyDenied(d),
  (d) => ev.hungerStrikeStarted(d),
];

/** A step of a case's record: a new event on a day (often the latest, sometimes backdated), or the withdrawal of one. */
const stepArb = fc.oneof(
  { weight: 8, arbitrary: fc.record({ add: fc.integer({ min: 0, max: KINDS.length - 1 }), dayOffset: fc.integer({ min: -6, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ remove: fc.nat() }) },
);

describe('HistoryWalk', () => {
  it('after every advance, holds caseHistory of the timeline, and its change gives the same rows gone and new as the whole histories', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 40 }), (steps) => {
        const walk = new HistoryWalk();
        let timeline: TimelineEntry[] = [];
        let latest = '2024-01-01';
        let version = 1;
        for (const s of steps) {
          if ('remove' in s) {
            if (timeline.length === 0) continue;
            timeline = timeline.filter((_, i) => i !== s.remove % timeline.length);
          } else {
            // Mostly in valid-time order (the walk's fast path), sometimes backdated before the latest day.
            const day = addDays(latest, s.dayOffset);
            if (day > latest) latest = day;
            const event: RecordedCaseEvent = { ...KINDS[s.add]!(day), eventId: `e${version}`, version, position: version, recordedAt: '2026-01-01T00:00:00.000Z' } as RecordedCaseEvent;
            version += 1;
            // A new array each time, sorted as the fold keeps it (the walk must not rely on identity).
            timeline = [...timeline, { event, day }].sort(byDayThenVersion);
          }
          const previous = rowsOf(walk.history);
          const change = walk.advance(timeline);
          const expected = caseHistory(timeline);
          expect(walk.history).toEqual(expected);
          const [was, now] = [rowsOf(change.before), rowsOf(change.after)];
          expect(minus(was, now)).toEqual(minus(previous, rowsOf(expected)));
          expect(minus(now, was)).toEqual(minus(rowsOf(expected), previous));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('goes on from the last day when an event lands on or after it', () => {
    const walk = new HistoryWalk();
    const entry = (e: CaseEvent, version: number, day: string): TimelineEntry => ({
      event: { ...e, eventId: `e${version}`, version, position: version, recordedAt: '2026-01-01T00:00:00.000Z' } as RecordedCaseEvent,
      day,
    });
    const t1 = [
      entry(ev.detained('2024-01-01'), 1, '2024-01-01'),
      entry(ev.transferred('2024-02-01', 'Rodeo I'), 2, '2024-02-01'),
      entry(ev.transferred('2024-03-01', 'Rodeo II'), 3, '2024-03-01'),
    ];
    walk.advance(t1);
    const change = walk.advance([...t1, entry(ev.released('2024-04-01'), 4, '2024-04-01')]);
    // From the start of the last day walked (2024-03-01): the intervals ended before it are not reported.
    expect(change.before.intervals.map((i) => [i.facility, i.from, i.to])).toEqual([
      ['Rodeo I', '2024-02-01', '2024-03-01'],
      ['Rodeo II', '2024-03-01', null],
    ]);
    expect(change.after.intervals.map((i) => [i.status, i.from, i.to])).toEqual([
      ['detained', '2024-02-01', '2024-03-01'],
      ['detained', '2024-03-01', '2024-04-01'],
      ['released', '2024-04-01', null],
    ]);
    expect(change.after.flows.map((f) => f.kind)).toEqual(['transfer', 'release']);
  });
});
