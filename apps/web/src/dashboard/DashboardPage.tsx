// The dashboard: counts for a day as known at an instant, every panel moved by the same controls.
// The headline counts are asked first, then every panel at once; each draws a skeleton until its answer arrives.
import { addDays, caracasLocalToIso, formatChange, formatDate, formatDateTime, formatNumber, isDay, isoToCaracasLocal, todayInCaracas, useLocale, useT } from '../i18n.js';
import { navigate, useRoute } from '../router.js';
import { CAN_AUDIT, useSession } from '../session.js';
import { Alert } from '../ui/Alert.js';
import { CsvButton } from '../ui/CsvButton.js';
import { DataTable } from '../ui/DataTable.js';
import { DateInput } from '../ui/DateInput.js';
import { Field } from '../ui/Field.js';
import { Provenance } from '../ui/Provenance.js';
import { Skeleton } from '../ui/Skeleton.js';
import { useApi } from '../use-api.js';
import './messages.js';
import { AmnestyPanel, BreakdownPanel, ProfilePanel, ReconciliationPanel, ReleasesPanel, RevolvingDoorPanel, SeriesPanel } from './panels.js';
import type { AmnestyAnswer, DashboardQuery, Origin, ReconciliationAnswer, SeriesAnswer, StatsAnswer, Status, Step } from './types.js';

const STEPS: readonly Step[] = ['day', 'week', 'month'];

/** A step that keeps a series short enough to draw and quick to compute. */
export function autoStep(since: string, asOf: string): Step {
  const days = (Date.parse(asOf) - Date.parse(since)) / 86_400_000;
  // A daily series over a quarter costs ~90 stock counts on the server: weeks keep the first render fast.
  if (days <= 45) return 'day';
  if (days <= 730) return 'week';
  return 'month';
}

export function readQuery(params: URLSearchParams, mayTimeTravel: boolean): DashboardQuery {
  const today = todayInCaracas();
  const asOfRaw = params.get('asOf') ?? '';
  const asOf = isDay(asOfRaw) && asOfRaw <= today ? asOfRaw : today;
  const sinceRaw = params.get('since') ?? '';
  const since = isDay(sinceRaw) && sinceRaw < asOf ? sinceRaw : addDays(asOf, -90);
  const knownAtRaw = params.get('knownAt') ?? '';
  const knownAt = mayTimeTravel && knownAtRaw && !Number.isNaN(Date.parse(knownAtRaw)) ? new Date(knownAtRaw).toISOString() : undefined;
  const stepRaw = params.get('step') as Step | null;
  const stepChoice = stepRaw && STEPS.includes(stepRaw) ? stepRaw : 'auto';
  return { asOf, since, knownAt, stepChoice, step: stepChoice === 'auto' ? autoStep(since, asOf) : stepChoice };
}

/** The chain head hash is known for the positions the stats answers name; other answers borrow it when their position matches. */
export function originOf(own: { position?: number | null; headHash?: string | null } | null, reference: StatsAnswer | null): Origin | null {
  if (own && typeof own.position === 'number') {
    return { position: own.position, headHash: own.headHash ?? (reference && reference.position === own.position ? reference.headHash : null) };
  }
  return reference ? { position: reference.position, headHash: reference.headHash } : null;
}

function Controls({ q, mayTimeTravel }: { q: DashboardQuery; mayTimeTravel: boolean }) {
  const t = useT();
  const route = useRoute();
  const today = todayInCaracas();
  const set = (changes: Record<string, string | undefined>) => {
    const params = new URLSearchParams(route.query);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') params.delete(k);
      else params.set(k, v);
    }
    const qs = params.toString();
    navigate(qs ? `/?${qs}` : '/', { replace: true });
  };
  return (
    <form class="controls card" aria-label={t('dash.controls')} onSubmit={(e) => e.preventDefault()}>
      <Field label={t('dash.asOf')} name="asOf">
        <DateInput value={q.asOf} max={today} onChange={(v) => set({ asOf: v && v !== today ? v : undefined, ...(v && v <= q.since ? { since: undefined } : {}) })} />
      </Field>
      <Field label={t('dash.since')} name="since" hint={t('dash.sinceHint')}>
        <DateInput value={q.since} max={addDays(q.asOf, -1)} onChange={(v) => set({ since: v && v < q.asOf ? v : undefined })} />
      </Field>
      <Field label={t('dash.step')} name="step">
        <select class="input" value={q.stepChoice} onChange={(e) => set({ step: (e.currentTarget as HTMLSelectElement).value === 'auto' ? undefined : (e.currentTarget as HTMLSelectElement).value })}>
          <option value="auto">{`${t('dash.step.auto')} (${t(`dash.step.${autoStep(q.since, q.asOf)}`).toLowerCase()})`}</option>
          {STEPS.map((s) => (
            <option key={s} value={s}>
              {t(`dash.step.${s}`)}
            </option>
          ))}
        </select>
      </Field>
      {mayTimeTravel ? (
        <Field label={t('dash.knownAt')} name="knownAt" hint={t('dash.knownAtHint')}>
          <input
            class="input"
            type="datetime-local"
            value={q.knownAt ? isoToCaracasLocal(q.knownAt) : ''}
            onChange={(e) => {
              const v = (e.currentTarget as HTMLInputElement).value;
              set({ knownAt: v ? caracasLocalToIso(v) : undefined });
            }}
          />
        </Field>
      ) : null}
      {q.asOf !== today || route.query.toString() ? (
        <div class="controls-reset">
          <button type="button" class="button button-small button-quiet" onClick={() => navigate('/', { replace: true })}>
            {t('dash.today')}
          </button>
        </div>
      ) : null}
    </form>
  );
}

interface Headline {
  key: string;
  label: string;
  note?: string;
  now: number;
  then: number;
  tone: string;
}

function Headlines({ now, then, q, loading }: { now: StatsAnswer | null; then: StatsAnswer | null; q: DashboardQuery; loading: boolean }) {
  const t = useT();
  const locale = useLocale();
  const sinceLabel = formatDate(q.since, locale, 'medium');
  const statusCard = (s: Status): Headline => ({ key: s, label: t(`status.${s}`), now: now?.counts[s] ?? 0, then: then?.counts[s] ?? 0, tone: s });
  const cards: Headline[] = [
    { key: 'deprived', label: t('dash.deprived'), note: t('dash.deprivedNote'), now: now?.deprivedOfLiberty ?? 0, then: then?.deprivedOfLiberty ?? 0, tone: 'deprived' },
    statusCard('detained'),
    statusCard('disappeared'),
    statusCard('house_arrest'),
    statusCard('conditional_release'),
    statusCard('released'),
    statusCard('deceased'),
    { key: 'foreign', label: t('dash.foreign'), note: t('dash.foreignNote'), now: now?.breakdowns.foreignNationals ?? 0, then: then?.breakdowns.foreignNationals ?? 0, tone: 'foreign' },
  ];
  return (
    <section class="headlines" aria-labelledby="headlines-title" aria-busy={loading ? 'true' : 'false'}>
      <h2 id="headlines-title" class="sr-only">
        {t('dash.headline')}
      </h2>
      <ul class="headline-grid">
        {cards.map((c) => (
          <li key={c.key} class={`headline tone-${c.tone}${c.key === 'deprived' ? ' headline-primary' : ''}${c.key === 'foreign' ? ' headline-wide' : ''}`} data-metric={c.key}>
            <span class="headline-label">{c.label}</span>
            {now ? (
              <span class="headline-value">{formatNumber(c.now, locale)}</span>
            ) : (
              <span class="headline-value">
                <Skeleton height={34} width={90} />
              </span>
            )}
            {now && then ? (
              <span class={`headline-change${c.now - c.then > 0 ? ' up' : c.now - c.then < 0 ? ' down' : ''}`}>
                <span aria-hidden="true">{c.now - c.then > 0 ? '▲ ' : c.now - c.then < 0 ? '▼ ' : ''}</span>
                {formatChange(c.now - c.then, locale)} {t('dash.change', { since: sinceLabel })}
              </span>
            ) : (
              <span class="headline-change">&nbsp;</span>
            )}
            {c.note ? <span class="headline-note">{c.note}</span> : null}
          </li>
        ))}
      </ul>
      <details class="headline-details">
        <summary>{t('ui.table')}</summary>
        <HeadlineTable cards={cards} q={q} now={now} />
      </details>
    </section>
  );
}

function HeadlineTable({ cards, q, now }: { cards: Headline[]; q: DashboardQuery; now: StatsAnswer | null }) {
  const t = useT();
  const locale = useLocale();
  const columns = [
    { key: 'indicator', label: t('col.indicator') },
    { key: 'asOf', label: t('col.asOf', { date: formatDate(q.asOf, locale) }), align: 'right' as const },
    { key: 'since', label: t('col.since', { date: formatDate(q.since, locale) }), align: 'right' as const },
    { key: 'change', label: t('col.change'), align: 'right' as const },
  ];
  const rows = cards.map((c) => ({ indicator: c.label, asOf: c.now, since: c.then, change: c.now - c.then }));
  return (
    <div class="headline-table">
      <div class="table-tools">
        <CsvButton filename={`headline-${q.asOf}`} columns={columns} rows={rows} />
      </div>
      <DataTable
        caption={t('dash.headlineTable', { asOf: formatDate(q.asOf, locale), since: formatDate(q.since, locale) })}
        columns={columns.map((c) => (c.key === 'change' ? { ...c, format: (v: unknown) => formatChange(Number(v), locale) } : c))}
        rows={rows}
      />
      {now ? <Provenance position={now.position} headHash={now.headHash} /> : null}
    </div>
  );
}

/** The two `/api/stats` queries of the headline counts: on `asOf` and on `since`. `main.tsx` prefetches them for a plain visit. */
export function headlineQueries(q: DashboardQuery): [Record<string, string | undefined>, Record<string, string | undefined>] {
  return [
    { asOf: q.asOf, knownAt: q.knownAt },
    { asOf: q.since, knownAt: q.knownAt },
  ];
}

export function DashboardPage() {
  const t = useT();
  const locale = useLocale();
  const route = useRoute();
  const session = useSession();
  const mayTimeTravel = session ? CAN_AUDIT.includes(session.role) : false;
  const q = readQuery(route.query, mayTimeTravel);
  const base = { knownAt: q.knownAt };

  // The headline counts first: they take milliseconds, while a breakdown or a series over 100,000 cases takes
  // seconds and the server's SQLite connection answers one query at a time. Once they are in, every panel's
  // request goes out at once, and each panel fills in as its answer arrives (skeletons until then).
  const [nowQuery, thenQuery] = headlineQueries(q);
  const now = useApi<StatsAnswer>('/api/stats', nowQuery);
  const then = useApi<StatsAnswer>('/api/stats', thenQuery);
  const headlineDone = !now.loading && !then.loading;
  const after = { enabled: headlineDone };
  const reconciliation = useApi<ReconciliationAnswer>('/api/stats/reconciliation', { metric: 'releases', since: q.since, asOf: q.asOf, ...base }, after);
  const amnesty = useApi<AmnestyAnswer>('/api/stats/amnesty', { asOf: q.asOf, ...base }, after);
  const series = useApi<SeriesAnswer>('/api/stats/series', { from: q.since, to: q.asOf, step: q.step, ...base }, after);
  const byFacility = useApi<StatsAnswer>('/api/stats', { asOf: q.asOf, groupBy: 'facility', ...base }, after);
  const byNationality = useApi<StatsAnswer>('/api/stats', { asOf: q.asOf, groupBy: 'nationality', ...base }, after);

  const reference = now.data;
  return (
    <div class="page dashboard">
      <div class="page-head">
        <h1>{t('dash.title')}</h1>
        <p class="lede">
          {t('dash.lede', { asOf: formatDate(q.asOf, locale), since: formatDate(q.since, locale) })}
          {q.knownAt ? ` ${t('dash.ledeKnownAt', { knownAt: formatDateTime(q.knownAt, locale) })}` : ''}
        </p>
      </div>
      <Controls q={q} mayTimeTravel={mayTimeTravel} />
      {now.error ? <Alert kind="error">{t('panel.error', { detail: now.error.detail || now.error.title })}</Alert> : null}
      <Headlines now={now.data} then={then.data} q={q} loading={now.loading || then.loading} />
      <div class="panel-grid">
        <SeriesPanel q={q} loaded={series} origin={originOf(series.data, reference)} />
        <ReleasesPanel q={q} loaded={series} origin={originOf(series.data, reference)} />
        <RevolvingDoorPanel q={q} loaded={series} origin={originOf(series.data, reference)} />
        <ReconciliationPanel q={q} loaded={reconciliation} origin={originOf(reconciliation.data, reference)} />
        <AmnestyPanel q={q} loaded={amnesty} origin={originOf(amnesty.data, reference)} />
        <ProfilePanel q={q} loaded={now} origin={originOf(now.data, reference)} />
        <BreakdownPanel q={q} loaded={byNationality} dimension="nationality" origin={originOf(byNationality.data, reference)} />
        <BreakdownPanel q={q} loaded={byFacility} dimension="facility" origin={originOf(byFacility.data, reference)} />
      </div>
    </div>
  );
}
