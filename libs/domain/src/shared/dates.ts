/**
 * Valid-time handling. `occurredOn` is either a calendar date (`YYYY-MM-DD`) or an ISO date-time
 * with an explicit offset. Comparisons happen on the calendar day in the configured time zone
 * (America/Caracas by default), because that is the day a caseworker or a published balance means.
 */
export type IsoDay = string; // YYYY-MM-DD
export type DatePrecision = 'day' | 'month' | 'year';
export const DATE_PRECISIONS: readonly DatePrecision[] = ['day', 'month', 'year'];

export const DEFAULT_TIME_ZONE = 'America/Caracas';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The earliest date the tracker accepts: detentions from the 1999 amnesty horizon onwards, with margin. */
export const MIN_DAY: IsoDay = '1950-01-01';

function isRealCalendarDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= last;
}

/** True for `YYYY-MM-DD` of a real calendar day, or an ISO date-time with offset naming a real instant. */
export function isValidOccurredOn(value: string): boolean {
  const day = DAY.exec(value);
  if (day) return isRealCalendarDay(+day[1]!, +day[2]!, +day[3]!);
  const dt = DATE_TIME.exec(value);
  if (!dt) return false;
  if (!isRealCalendarDay(+dt[1]!, +dt[2]!, +dt[3]!)) return false;
  if (+dt[4]! > 23 || +dt[5]! > 59 || (dt[6] !== undefined && +dt[6] > 59)) return false;
  return !Number.isNaN(Date.parse(value));
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();
function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = dayFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, f);
  }
  return f;
}

/** The calendar day of an instant in a time zone. */
export function dayOfInstant(instant: Date, timeZone: string = DEFAULT_TIME_ZONE): IsoDay {
  return dayFormatter(timeZone).format(instant);
}

/** The calendar day an `occurredOn` value falls on, in the given time zone. Assumes a valid value. */
export function dayOf(occurredOn: string, timeZone: string = DEFAULT_TIME_ZONE): IsoDay {
  if (DAY.test(occurredOn)) return occurredOn;
  return dayOfInstant(new Date(occurredOn), timeZone);
}

export function addDays(day: IsoDay, days: number): IsoDay {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDay, to: IsoDay): number {
  const ms = Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`);
  return Math.round(ms / 86_400_000);
}
