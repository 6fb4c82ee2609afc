// Spanish first, English second: message lookup, the chosen language (kept in localStorage `lang`), date and number formats.
import { useEffect, useState } from 'preact/hooks';
import { type Locale } from './format.js';

export { addDays, caracasLocalToIso, formatChange, formatDate, formatDateTime, formatNumber, isDay, isoToCaracasLocal, todayInCaracas } from './format.js';
export type { Locale } from './format.js';

export const LOCALES: readonly Locale[] = ['es', 'en'];

type Messages = Record<string, string>;
const catalog: Record<Locale, Messages> = { es: {}, en: {} };

/** Adds messages (each module registers its own keys; later registrations win). */
export function registerMessages(messages: { es: Messages; en: Messages }): void {
  Object.assign(catalog.es, messages.es);
  Object.assign(catalog.en, messages.en);
}

function storedLocale(): Locale {
  try {
    const v = window.localStorage.getItem('lang');
    if (v === 'es' || v === 'en') return v;
  } catch {
    // Storage may be disabled: Spanish then.
  }
  return 'es';
}

let locale: Locale = typeof window === 'undefined' ? 'es' : storedLocale();
const listeners = new Set<() => void>();

export function getLocale(): Locale {
  return locale;
}

export function setLocale(next: Locale): void {
  locale = next;
  try {
    window.localStorage.setItem('lang', next);
  } catch {
    // Not persisted; the choice still holds for this page.
  }
  document.documentElement.lang = next;
  for (const l of listeners) l();
}

if (typeof document !== 'undefined') document.documentElement.lang = locale;

export function useLocale(): Locale {
  const [value, setValue] = useState(locale);
  useEffect(() => {
    const update = () => setValue(locale);
    listeners.add(update);
    update();
    return () => void listeners.delete(update);
  }, []);
  return value;
}

/** `{name}` placeholders are replaced by vars; a missing key shows itself, so it is noticed. */
export function translate(key: string, vars: Record<string, string | number> | undefined, lang: Locale): string {
  const text = catalog[lang][key] ?? catalog.es[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function useT(): (key: string, vars?: Record<string, string | number>) => string {
  const lang = useLocale();
  return (key, vars) => translate(key, vars, lang);
}
