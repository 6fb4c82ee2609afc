import { addDays, dayOf, dayOfInstant, daysBetween, isValidOccurredOn } from './dates.js';

describe('occurredOn values', () => {
  it.each(['2026-01-08', '2024-02-29', '2026-02-08T14:30:00-04:00', '2026-02-08T18:30Z', '2026-02-08T18:30:00.123+00:00'])(
    'accepts %s',
    (value) => expect(isValidOccurredOn(value)).toBe(true),
  );
  it.each(['2026-02-30', '2025-02-29', '2026-13-01', '2026-1-8', '08/01/2026', '2026-02-08T14:30:00', '2026-02-08T25:00Z', '', '0000-00-00'])(
    'rejects %s',
    (value) => expect(isValidOccurredOn(value)).toBe(false),
  );
});

describe('calendar days in Caracas (UTC-4)', () => {
  it('puts a late-evening UTC instant on the previous Caracas day', () => {
    expect(dayOf('2026-02-09T02:00:00Z')).toBe('2026-02-08');
    expect(dayOf('2026-02-09T05:00:00Z')).toBe('2026-02-09');
    expect(dayOfInstant(new Date('2026-01-01T03:59:00Z'))).toBe('2025-12-31');
  });
  it('keeps a plain date as it is', () => expect(dayOf('2026-01-08')).toBe('2026-01-08'));
  it('counts days across a leap year', () => {
    expect(daysBetween('2024-02-09', '2026-01-08')).toBe(699);
    expect(addDays('2026-02-20', 15)).toBe('2026-03-07');
  });
});
