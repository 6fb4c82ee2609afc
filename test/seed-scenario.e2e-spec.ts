import { request, startTestApp, type TestApp } from './support/test-app.js';

/**
 * The January–February 2026 releases as the public account tells them: about 800 people held
 * before 2026; Foro Penal confirming by name 9, 41, 68, 139, 154, 250, 302 and 545 releases since
 * 8 January; the government announcing 116, 406 and 626 without names. The read models must give
 * the confirmed numbers back for each day, and reconciliation must show the gap.
 */
const CONFIRMED_SINCE_JAN_8: [string, number][] = [
  ['2026-01-08', 9],
  ['2026-01-12', 41],
  ['2026-01-14', 68],
  ['2026-01-17', 139],
  ['2026-01-23', 154],
  ['2026-01-26', 250],
  ['2026-01-30', 302],
  ['2026-02-20', 545],
];
const GOVERNMENT: [string, number][] = [
  ['2026-01-12', 116],
  ['2026-01-14', 406],
  ['2026-01-23', 626],
];
const HELD_BEFORE_2026 = 800;
/** Releases that a family reported but nobody confirmed: they must not count as confirmed. */
const REPORTED_ONLY = 12;

describe('the seed scenario: published figures against named, confirmed cases', () => {
  let t: TestApp;
  const caseIds: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-02-25T16:00:00Z' });
    const inParallel = async <T>(items: T[], run: (item: T, i: number) => Promise<unknown>, width = 25) => {
      for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map((item, j) => run(item, i + j)));
    };
    const detentionDays = Array.from({ length: HELD_BEFORE_2026 }, (_, i) => `${2019 + (i % 7)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`);
    await inParallel(detentionDays, async (day, i) => {
      const res = await request(t)
        .post('/api/cases')
        .send({
          person: { fullName: `Persona ${i}`, nationalities: i % 40 === 0 ? ['ES', 'VE'] : ['VE'], gender: i % 9 === 0 ? 'female' : 'male', minor: false, affiliation: i % 10 === 0 ? 'military' : 'civilian' },
          detention: { occurredOn: day, facility: i % 2 ? 'El Helicoide' : 'Rodeo I', source: { kind: 'ngo', name: 'Foro Penal' } },
        })
        .expect(201);
      caseIds[i] = res.body.caseId;
    });
    const releases: { day: string; caseId: string; verification: 'confirmed' | 'reported' }[] = [];
    let next = 0;
    let previous = 0;
    for (const [day, cumulative] of CONFIRMED_SINCE_JAN_8) {
      for (let k = previous; k < cumulative; k++) releases.push({ day, caseId: caseIds[next++]!, verification: 'confirmed' });
      previous = cumulative;
    }
    for (let k = 0; k < REPORTED_ONLY; k++) releases.push({ day: '2026-01-14', caseId: caseIds[next++]!, verification: 'reported' });
    await inParallel(releases, (r, i) =>
      request(t)
        .post(`/api/cases/${r.caseId}/releases`)
        .send({
          occurredOn: r.day,
          legalBasis: r.day >= '2026-02-19' ? 'amnesty_law' : 'government_announcement',
          conditions: i % 3 === 0 ? null : { reportEveryDays: 30, speechRestriction: true },
          verification: r.verification,
          source: { kind: 'ngo', name: 'Foro Penal' },
        })
        .expect(201),
    );
    for (const [asOf, value] of GOVERNMENT) {
      await request(t)
        .post('/api/figures')
        .send({ source: { kind: 'government', name: 'Venezuelan government' }, metric: 'releases', value, since: '2026-01-08', asOf })
        .expect(201);
    }
    for (const [asOf, value] of CONFIRMED_SINCE_JAN_8) {
      await request(t).post('/api/figures').send({ source: { kind: 'ngo', name: 'Foro Penal' }, metric: 'releases', value, since: '2026-01-08', asOf }).expect(201);
    }
    await t.settle();
  }, 120_000);
  afterAll(async () => t.close());

  it.each(CONFIRMED_SINCE_JAN_8)('counts the confirmed releases from 8 January to %s: %i', async (to, expected) => {
    const res = await request(t).get(`/api/stats/flows?from=2026-01-08&to=${to}`).expect(200);
    expect(res.body.flows.releases.total).toBe(expected);
    const all = await request(t).get(`/api/stats/flows?from=2026-01-08&to=${to}&verification=all`).expect(200);
    expect(all.body.flows.releases.total).toBe(expected + (to >= '2026-01-14' ? REPORTED_ONLY : 0));
  });

  it('counts everyone held on 7 January, and who is still deprived of liberty on 20 February', async () => {
    const before = await request(t).get('/api/stats?asOf=2026-01-07').expect(200);
    expect(before.body.counts).toEqual({ detained: 800, disappeared: 0, house_arrest: 0, conditional_release: 0, released: 0, deceased: 0 });
    expect(before.body.deprivedOfLiberty).toBe(800);
    expect(before.body.breakdowns).toMatchObject({ foreignNationals: 20, military: 80, civilians: 720, women: 89, men: 711 });

    const after = await request(t).get('/api/stats?asOf=2026-02-20').expect(200);
    expect(after.body.counts.released + after.body.counts.conditional_release).toBe(545);
    expect(after.body.deprivedOfLiberty).toBe(800 - 545);
    const withReported = await request(t).get('/api/stats?asOf=2026-02-20&verification=all').expect(200);
    expect(withReported.body.deprivedOfLiberty).toBe(800 - 545 - REPORTED_ONLY);
  });

  it('gives the same numbers as a daily series', async () => {
    const res = await request(t).get('/api/stats/series?from=2026-01-08&to=2026-02-20&step=day').expect(200);
    let cumulative = 0;
    const byDay = new Map<string, number>();
    for (const p of res.body.points) {
      cumulative += p.flows.releases.total;
      byDay.set(p.day, cumulative);
      expect(p.deprivedOfLiberty).toBe(800 - cumulative);
    }
    for (const [day, expected] of CONFIRMED_SINCE_JAN_8) expect(byDay.get(day)).toBe(expected);
  });

  it('gives each point of a weekly series the flows of its own days, as /stats/flows answers them', async () => {
    const res = await request(t).get('/api/stats/series?from=2026-01-01&to=2026-02-20&step=week&verification=all').expect(200);
    let previous: string | null = null;
    for (const p of res.body.points as { day: string; flows: unknown }[]) {
      const from = previous === null ? p.day : new Date(Date.parse(`${previous}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      const flows = await request(t).get(`/api/stats/flows?from=${from}&to=${p.day}&verification=all`).expect(200);
      expect([p.day, p.flows]).toEqual([p.day, flows.body.flows]);
      previous = p.day;
    }
    expect(res.body.points.some((p: { flows: { releases: { total: number } } }) => p.flows.releases.total > 0)).toBe(true);
    const stats = await request(t).get('/api/stats').expect(200);
    expect([res.body.position, res.body.headHash]).toEqual([stats.body.position, stats.body.headHash]);
  });

  it('sets each published figure beside the named, confirmed releases of its window, and shows the gap', async () => {
    const res = await request(t).get('/api/stats/reconciliation?metric=releases&since=2026-01-08&asOf=2026-01-23').expect(200);
    expect(res.body.confirmedNamedCases).toBe(154);
    // Every statistics answer names the log position and chain hash it came from.
    const stats = await request(t).get('/api/stats').expect(200);
    expect([res.body.position, res.body.headHash]).toEqual([stats.body.position, stats.body.headHash]);
    expect(res.body.headHash).toMatch(/^[0-9a-f]{64}$/);
    const government = res.body.figures.filter((f: { source: { kind: string } }) => f.source.kind === 'government');
    expect(government.map((f: { asOf: string; value: number; confirmedNamedCases: number; gap: number }) => [f.asOf, f.value, f.confirmedNamedCases, f.gap])).toEqual([
      ['2026-01-12', 116, 41, 75],
      ['2026-01-14', 406, 68, 338],
      ['2026-01-23', 626, 154, 472],
    ]);
    const ngo = res.body.figures.filter((f: { source: { kind: string } }) => f.source.kind === 'ngo');
    expect(ngo.every((f: { gap: number }) => f.gap === 0)).toBe(true);
    const listed = await request(t).get('/api/figures?metric=releases&source=government').expect(200);
    expect(listed.body.figures.map((f: { value: number }) => f.value)).toEqual([116, 406, 626]);
    expect([listed.body.position, listed.body.headHash]).toEqual([stats.body.position, stats.body.headHash]);
  });

  it('groups by nationality (a dual national counts under each) and by facility', async () => {
    const res = await request(t).get('/api/stats?asOf=2026-01-07&groupBy=nationality').expect(200);
    const byNationality = Object.fromEntries(res.body.groups.map((g: { group: { nationality: string }; deprivedOfLiberty: number }) => [g.group.nationality, g.deprivedOfLiberty]));
    expect(byNationality).toEqual({ VE: 800, ES: 20 });
    const facilities = await request(t).get('/api/stats?asOf=2026-01-07&groupBy=facility').expect(200);
    expect(facilities.body.groups.map((g: { group: { facility: string }; deprivedOfLiberty: number }) => [g.group.facility, g.deprivedOfLiberty])).toEqual([
      ['El Helicoide', 400],
      ['Rodeo I', 400],
    ]);
    const bad = await request(t).get('/api/stats?groupBy=colour').expect(400);
    expect(bad.body.errors).toEqual([{ field: 'groupBy', messages: ['each value in groupBy must be one of: nationality, facility, gender, military, minor, sentenced'] }]);
  });
});
