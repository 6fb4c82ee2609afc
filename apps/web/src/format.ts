// Pure formatting helpers (no DOM): dates in America/Caracas, numbers in the reader's language.
export type Locale = 'es' | 'en';

export const TIME_ZONE = 'America/Caracas';

const INTL_LOCALE: Record<Locale, string> = { es: 'es-VE', en: 'en-US' };

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

/** The calendar day (YYYY-MM-DD) an instant falls on in Caracas. */
export function dayInCaracas(instant: Date): string {
  // en-CA formats as YYYY-MM-DD.
  return cached('day', () => new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })).format(instant);
}

export function todayInCaracas(): string {
  return dayInCaracas(new Date());
}

/** Adds whole days to a YYYY-MM-DD day (calendar arithmetic, no zone involved). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return addDays(value, 0) === value;
}

/** A YYYY-MM-DD day in the locale's format; a day has no time, so no zone shift applies. */
export function formatDate(isoDate: string, locale: Locale, style: 'long' | 'medium' | 'short' = 'long'): string {
  const day = isoDate.slice(0, 10);
  if (!isDay(day)) return isoDate;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const f = cached(`date:${locale}:${style}`, () =>
    new Intl.DateTimeFormat(INTL_LOCALE[locale], {
      timeZone: 'UTC',
      day: 'numeric',
      month: style === 'long' ? 'long' : 'short',
      ...(style === 'short' ? {} : { year: 'numeric' }),
    }),
  );
  return f.format(new Date(Date.UTC(y, m - 1, d)));
}

/** An instant as a date and time in Caracas. */
export function formatDateTime(iso: string, locale: Locale): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  return cached(`datetime:${locale}`, () =>
    new Intl.DateTimeFormat(INTL_LOCALE[locale], { timeZone: TIME_ZONE, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }),
  ).format(instant);
}

export function formatNumber(n: number, locale: Locale): string {
  return cached(`number:${locale}`, () => new Intl.NumberFormat(INTL_LOCALE[locale])).format(n);
}

/** A change with its sign: +3, −2, ±0. */
export function formatChange(n: number, locale: Locale): string {
  if (n === 0) return '±0';
  return (n > 0 ? '+' : '\u2212') + formatNumber(Math.abs(n), locale);
}

/** A Caracas local date-time (from an <input type="datetime-local">) as an ISO instant; Caracas is UTC−4 all year. */
export function caracasLocalToIso(local: string): string {
  return new Date(`${local.length === 16 ? `${local}:00` : local}-04:00`).toISOString();
}

/** An ISO instant as the value of an <input type="datetime-local"> in Caracas time. */
export function isoToCaracasLocal(iso: string): string {
  const t = new Date(iso).getTime() - 4 * 3600_000;
  return new Date(t).toISOString().slice(0, 16);
}
