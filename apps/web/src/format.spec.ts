import { addDays, caracasLocalToIso, dayInCaracas, formatChange, formatDate, formatNumber, isDay, isoToCaracasLocal } from './format.js';

describe('web formatters', () => {
  it('takes the calendar day in Caracas (UTC−4), not in UTC', () => {
    expect(dayInCaracas(new Date('2026-02-10T03:59:00Z'))).toBe('2026-02-09');
    expect(dayInCaracas(new Date('2026-02-10T04:00:00Z'))).toBe('2026-02-10');
  });

  it('adds days across month and year ends, and tells real days from others', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2026-2-1')).toBe(false);
  });

  it('formats a day in each language without shifting it by a time zone', () => {
    expect(formatDate('2026-01-08', 'es')).toBe('8 de enero de 2026');
    expect(formatDate('2026-01-08', 'en')).toBe('January 8, 2026');
    expect(formatDate('not a day', 'en')).toBe('not a day');
  });

  it('groups digits the way each language does, and signs changes', () => {
    expect(formatNumber(12345, 'es')).toBe('12.345');
    expect(formatNumber(12345, 'en')).toBe('12,345');
    expect(formatChange(3, 'en')).toBe('+3');
    expect(formatChange(-1200, 'en')).toBe('\u22121,200');
    expect(formatChange(0, 'es')).toBe('±0');
  });

  it('converts between a Caracas wall-clock time and an instant, both ways', () => {
    expect(caracasLocalToIso('2026-02-10T08:00')).toBe('2026-02-10T12:00:00.000Z');
    expect(isoToCaracasLocal('2026-02-10T12:00:00.000Z')).toBe('2026-02-10T08:00');
  });
});
