import { randomUUID } from 'node:crypto';

// A believable data set recorded over HTTP, dated relative to today (nothing may be dated in the future):
// people detained over the last years, releases (some conditional) in the last weeks, re-arrests, house arrest,
// disappearances, deaths, amnesty requests (some decided, some past the 15-day limit), and published figures.

export interface SeededCase {
  caseId: string;
  fullName: string;
}

const FACILITIES = ['El Helicoide', 'Rodeo I', 'Tocorón', 'La Tumba', 'Tocuyito', 'DGCIM Boleíta', 'Yare III'];
const NATIONALITIES: string[][] = [['VE'], ['VE'], ['VE'], ['VE'], ['VE'], ['VE'], ['VE'], ['VE'], ['CO'], ['VE', 'ES'], ['PE'], ['US', 'VE'], ['AR'], ['UY'], ['VE', 'IT']];
const GIVEN = ['María', 'José', 'Luis', 'Ana', 'Carlos', 'Rosa', 'Jesús', 'Carmen', 'Pedro', 'Yolanda', 'Rafael', 'Daniela', 'Miguel', 'Gabriela', 'Jorge', 'Andreína'];
const FAMILY = ['Pérez', 'González', 'Rodríguez', 'Hernández', 'Martínez', 'Rojas', 'Ramírez', 'Salazar', 'Morales', 'Castillo', 'Guerrero', 'Medina', 'Vargas', 'Suárez'];

/** A small deterministic generator, so every run records the same data. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function todayInCaracas(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Caracas', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

type Post = (path: string, body: unknown) => Promise<Record<string, unknown>>;

export function poster(baseUrl: string, token: string): Post {
  return async (path, body) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
}

async function inParallel<T>(items: readonly T[], run: (item: T, i: number) => Promise<unknown>, width = 12): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map((item, j) => run(item, i + j)));
}

/** Records `people` cases (with their stories) and a few published figures; answers the cases with their names. */
export async function seedDemo(baseUrl: string, adminToken: string, opts: { people?: number; today?: string; seed?: number } = {}): Promise<SeededCase[]> {
  const post = poster(baseUrl, adminToken);
  const today = opts.today ?? todayInCaracas();
  const rnd = random(opts.seed ?? 7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const ngo = { kind: 'ngo', name: 'Foro Penal' };
  const people = Array.from({ length: opts.people ?? 120 }, (_, i) => {
    const female = rnd() < 0.16;
    return {
      i,
      fullName: `${female ? pick(GIVEN.filter((_, k) => k % 2 === 1)) : pick(GIVEN.filter((_, k) => k % 2 === 0))} ${pick(FAMILY)} ${pick(FAMILY)} ${i + 1}`,
      gender: female ? 'female' : 'male',
      nationalities: pick(NATIONALITIES),
      affiliation: rnd() < 0.12 ? 'military' : 'civilian',
      minor: rnd() < 0.03,
      detainedOn: addDays(today, -(120 + Math.floor(rnd() * 900))),
      facility: pick(FACILITIES),
      story: rnd(),
      offset: rnd(),
    };
  });
  const seeded: SeededCase[] = [];
  await inParallel(people, async (p) => {
    const opened = await post('/api/cases', {
      person: { fullName: p.fullName, nationalities: p.nationalities, gender: p.gender, minor: p.minor, affiliation: p.affiliation },
      detention: { occurredOn: p.detainedOn, facility: p.facility, source: ngo },
    });
    const caseId = String(opened['caseId']);
    seeded[p.i] = { caseId, fullName: p.fullName };
    const on = (path: string, body: Record<string, unknown>) => post(`/api/cases/${caseId}/${path}`, { source: ngo, ...body });
    const releaseDay = addDays(today, -(5 + Math.floor(p.offset * 75)));
    if (p.story < 0.36) {
      // Released in recent weeks, a third without conditions; some re-arrested days later (the revolving door).
      const conditional = p.story < 0.24;
      await on('releases', {
        occurredOn: releaseDay,
        legalBasis: p.story < 0.1 ? 'amnesty_law' : p.story < 0.3 ? 'government_announcement' : 'court_order',
        conditions: conditional ? { reportEveryDays: 15, speechRestriction: true } : null,
      });
      if (p.story < 0.05) await on('re-arrests', { occurredOn: addDays(releaseDay, 2), arrestingAuthority: 'SEBIN' });
    } else if (p.story < 0.42) {
      await on('house-arrests', { occurredOn: releaseDay });
    } else if (p.story < 0.46) {
      await on('disappearances', { occurredOn: addDays(today, -(3 + Math.floor(p.offset * 40))) });
    } else if (p.story < 0.465) {
      await on('deaths', { occurredOn: addDays(today, -(10 + Math.floor(p.offset * 60))) });
    } else if (p.story < 0.7) {
      // Amnesty requests: decided within the limit, or still pending (some past the 15 days).
      const filedOn = addDays(today, -(2 + Math.floor(p.offset * 40)));
      const requestId = randomUUID();
      await on('amnesty-requests', { occurredOn: filedOn, filedBy: p.story < 0.55 ? 'lawyer' : 'defence', requestId });
      const decideOn = addDays(filedOn, 10);
      if (p.story < 0.6 && decideOn <= today) {
        await on(`amnesty-requests/${requestId}/decision`, { occurredOn: decideOn, outcome: p.story < 0.53 ? 'granted' : 'denied', reason: 'tribunal decision' });
      }
    }
  });
  // Published figures: the government's announced releases run ahead of those confirmed by name.
  const since = addDays(today, -80);
  for (const [daysAgo, value] of [[60, 40], [35, 95], [10, 180]] as const) {
    await post('/api/figures', { source: { kind: 'government', name: 'Gobierno de Venezuela' }, metric: 'releases', value, since, asOf: addDays(today, -daysAgo) });
  }
  return seeded;
}
