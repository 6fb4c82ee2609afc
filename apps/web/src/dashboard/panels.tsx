// The dashboard's panels: each turns one API answer into a chart, a table and a CSV.
import { formatChange, formatDate, formatNumber, useLocale, useT, type Locale } from '../i18n.js';
import type { Loaded } from '../use-api.js';
import type { Column } from '../ui/DataTable.js';
import { HBarChart, Legend, SplitBar, TimeChart, type BarRow, type Series, type TimePoint } from './charts.js';
import { Panel } from './Panel.js';
import { DEPRIVED, type AmnestyAnswer, type DashboardQuery, type Origin, type ReconciliationAnswer, type SeriesAnswer, type StatsAnswer } from './types.js';

const COLOR = {
  detained: '#8c2f39',
  disappeared: '#5d3f86',
  house_arrest: '#99521c',
  conditional_release: '#2f5f95',
  released: '#2b6e4f',
  deceased: '#3a3a3a',
  published: '#b0601d',
  confirmed: '#1f4b70',
  neutral: '#3f6c93',
  muted: '#8a8f96',
};

interface PanelInput<T> {
  q: DashboardQuery;
  loaded: Loaded<T>;
  origin: Origin | null;
}

function periodLabel(t: ReturnType<typeof useT>, step: DashboardQuery['step'], day: string, locale: Locale): string {
  return t(`period.${step}Label`, { date: formatDate(day, locale, 'medium') });
}

export function SeriesPanel({ q, loaded, origin }: PanelInput<SeriesAnswer>) {
  const t = useT();
  const locale = useLocale();
  const series: Series[] = DEPRIVED.map((s) => ({ key: s, label: t(`status.${s}`), color: COLOR[s] }));
  const points: TimePoint[] = (loaded.data?.points ?? []).map((p) => ({ day: p.day, values: { detained: p.counts.detained, disappeared: p.counts.disappeared, house_arrest: p.counts.house_arrest } }));
  const title = t('chart.series.title');
  const columns: Column[] = [
    { key: 'day', label: t('col.day'), format: (v) => formatDate(String(v), locale, 'medium') },
    ...DEPRIVED.map((s) => ({ key: s, label: t(`status.${s}`), align: 'right' as const })),
    { key: 'total', label: t('col.total'), align: 'right' },
  ];
  const rows = (loaded.data?.points ?? []).map((p) => ({ day: p.day, detained: p.counts.detained, disappeared: p.counts.disappeared, house_arrest: p.counts.house_arrest, total: p.deprivedOfLiberty }));
  return (
    <Panel
      id="panel-series"
      class="panel-wide"
      title={title}
      description={t('chart.series.desc', { step: t(`period.${q.step}`) })}
      chart={
        <>
          <Legend series={series} />
          <TimeChart points={points} series={series} kind="area" locale={locale} label={title} height={260} />
        </>
      }
      columns={columns}
      rows={rows}
      csvName={`deprived-of-liberty-${q.since}-${q.asOf}`}
      origin={origin}
      loading={loaded.loading}
      error={loaded.error}
      onRetry={loaded.reload}
      chartHeight={260}
    />
  );
}

export function ReleasesPanel({ q, loaded, origin }: PanelInput<SeriesAnswer>) {
  const t = useT();
  const locale = useLocale();
  // The first point's flows cover only its own day; the rest cover the days since the previous point.
  const data = loaded.data?.points ?? [];
  const series: Series[] = [
    { key: 'conditional', label: t('col.conditional'), color: COLOR.conditional_release },
    { key: 'unconditional', label: t('col.unconditional'), color: COLOR.released },
  ];
  const points: TimePoint[] = data.map((p) => ({ day: p.day, values: { conditional: p.flows.releases.conditional, unconditional: p.flows.releases.total - p.flows.releases.conditional } }));
  const total = data.reduce((s, p) => s + p.flows.releases.total, 0);
  const conditional = data.reduce((s, p) => s + p.flows.releases.conditional, 0);
  const title = t('chart.releases.title', { step: t(`period.${q.step}`) });
  const columns: Column[] = [
    { key: 'day', label: t('col.period'), format: (v) => periodLabel(t, q.step, String(v), locale) },
    { key: 'total', label: t('col.releases'), align: 'right' },
    { key: 'conditional', label: t('col.conditional'), align: 'right' },
    { key: 'unconditional', label: t('col.unconditional'), align: 'right' },
  ];
  const rows = data.map((p) => ({ day: p.day, total: p.flows.releases.total, conditional: p.flows.releases.conditional, unconditional: p.flows.releases.total - p.flows.releases.conditional }));
  return (
    <Panel
      id="panel-releases"
      title={title}
      description={t('chart.releases.desc', { total: formatNumber(total, locale), conditional: formatNumber(conditional, locale) })}
      chart={
        <>
          <Legend series={series} />
          <TimeChart points={points} series={series} kind="bars" locale={locale} label={title} pointLabel={(p) => periodLabel(t, q.step, p.day, locale)} />
        </>
      }
      columns={columns}
      rows={rows}
      csvName={`releases-${q.since}-${q.asOf}`}
      origin={origin}
      loading={loaded.loading}
      error={loaded.error}
      onRetry={loaded.reload}
      stacked
    />
  );
}

export function RevolvingDoorPanel({ q, loaded, origin }: PanelInput<SeriesAnswer>) {
  const t = useT();
  const locale = useLocale();
  const data = loaded.data?.points ?? [];
  const series: Series[] = [{ key: 'reArrests', label: t('col.reArrests'), color: COLOR.detained }];
  const points: TimePoint[] = data.map((p) => ({ day: p.day, values: { reArrests: p.flows.reArrests } }));
  const releases = data.reduce((s, p) => s + p.flows.releases.total, 0);
  const reArrests = data.reduce((s, p) => s + p.flows.reArrests, 0);
  const share = releases === 0 ? '—' : `${Math.round((reArrests / releases) * 100)} %`;
  const title = t('chart.revolving.title');
  const columns: Column[] = [
    { key: 'day', label: t('col.period'), format: (v) => periodLabel(t, q.step, String(v), locale) },
    { key: 'releases', label: t('col.releases'), align: 'right' },
    { key: 'reArrests', label: t('col.reArrests'), align: 'right' },
  ];
  const rows = data.map((p) => ({ day: p.day, releases: p.flows.releases.total, reArrests: p.flows.reArrests }));
  return (
    <Panel
      id="panel-revolving"
      title={title}
      description={t('chart.revolving.desc', { reArrests: formatNumber(reArrests, locale), releases: formatNumber(releases, locale), share })}
      chart={<TimeChart points={points} series={series} kind="bars" locale={locale} label={title} height={200} pointLabel={(p) => periodLabel(t, q.step, p.day, locale)} />}
      columns={columns}
      rows={rows}
      csvName={`re-arrests-${q.since}-${q.asOf}`}
      origin={origin}
      loading={loaded.loading}
      error={loaded.error}
      onRetry={loaded.reload}
      stacked
      chartHeight={200}
    />
  );
}

export function ReconciliationPanel({ q, loaded, origin }: PanelInput<ReconciliationAnswer>) {
  const t = useT();
  const locale = useLocale();
  const figures = loaded.data?.figures ?? [];
  const series: Series[] = [
    { key: 'published', label: t('col.published'), color: COLOR.published },
    { key: 'confirmed', label: t('col.confirmed'), color: COLOR.confirmed },
  ];
  const bars: BarRow[] = figures.map((f) => ({
    label: f.source.name,
    sublabel: formatDate(f.asOf, locale, 'medium'),
    values: { published: f.value, confirmed: f.confirmedNamedCases },
    note: t('chart.reconciliation.gap', { gap: formatChange(f.gap, locale) }),
  }));
  const title = t('chart.reconciliation.title');
  const columns: Column[] = [
    { key: 'source', label: t('col.source') },
    { key: 'window', label: t('col.window') },
    { key: 'published', label: t('col.published'), align: 'right' },
    { key: 'confirmed', label: t('col.confirmed'), align: 'right' },
    { key: 'gap', label: t('col.gap'), align: 'right', format: (v) => formatChange(Number(v), locale) },
  ];
  const rows = figures.map((f) => ({
    source: f.source.name,
    window: `${f.since ? formatDate(f.since, locale, 'short') : '…'} – ${formatDate(f.asOf, locale, 'short')}`,
    published: f.value,
    confirmed: f.confirmedNamedCases,
    gap: f.gap,
  }));
  return (
    <Panel
      id="panel-reconciliation"
      class="panel-wide"
      title={title}
      description={t('chart.reconciliation.desc', { since: formatDate(q.since, locale), confirmed: formatNumber(loaded.data?.confirmedNamedCases ?? 0, locale) })}
      chart={
        figures.length === 0 ? (
          <p class="muted chart-empty">{t('chart.reconciliation.empty')}</p>
        ) : (
          <>
            <Legend series={series} />
            <HBarChart rows={bars} series={series} locale={locale} label={title} mode="grouped" />
          </>
        )
      }
      columns={columns}
      rows={rows}
      csvName={`published-vs-confirmed-${q.since}-${q.asOf}`}
      origin={origin}
      loading={loaded.loading}
      error={loaded.error}
      onRetry={loaded.reload}
      stacked
    />
  );
}

export function AmnestyPanel({ q, loaded, origin }: PanelInput<AmnestyAnswer>) {
  const t = useT();
  const locale = useLocale();
  const a = loaded.data;
  const days = a?.limitDays ?? 15;
  const stages = [
    { key: 'filed', color: COLOR.neutral },
    { key: 'pending', color: COLOR.house_arrest },
    { key: 'overdue', color: COLOR.detained },
    { key: 'granted', color: COLOR.released },
    { key: 'denied', color: COLOR.deceased },
    { key: 'appealed', color: COLOR.disappeared },
  ] as const;
  const series: Series[] = stages.map((s) => ({ key: s.key, label: t(`amnesty.${s.key}`, { days }), color: s.color }));
  const bars: BarRow[] = stages.map((s) => ({ label: t(`amnesty.${s.key}`, { days }), values: { [s.key]: a ? a[s.key] : 0 } }));
  const title = t('chart.amnesty.title');
  const columns: Column[] = [
    { key: 'stage', label: t('col.stage') },
    { key: 'count', label: t('col.count'), align: 'right' },
  ];
  const rows = a ? stages.map((s) => ({ stage: t(`amnesty.${s.key}`, { days }), count: a[s.key] })) : [];
  const unavailable = loaded.error?.status === 404;
  return (
    <Panel
      id="panel-amnesty"
      title={title}
      description={t('chart.amnesty.desc', { asOf: formatDate(q.asOf, locale), days })}
      chart={unavailable ? <p class="muted chart-empty">{t('chart.amnesty.unavailable')}</p> : <HBarChart rows={bars} series={series} locale={locale} label={title} />}
      columns={columns}
      rows={rows}
      csvName={`amnesty-pipeline-${q.asOf}`}
      origin={origin}
      loading={loaded.loading}
      error={unavailable ? null : loaded.error}
      onRetry={loaded.reload}
    />
  );
}

export function ProfilePanel({ q, loaded, origin }: PanelInput<StatsAnswer>) {
  const t = useT();
  const locale = useLocale();
  const b = loaded.data?.breakdowns;
  const deprived = loaded.data?.deprivedOfLiberty ?? 0;
  const dims = b
    ? [
        {
          key: 'gender',
          parts: [
            { key: 'women', label: t('profile.women'), value: b.women, color: COLOR.disappeared },
            { key: 'men', label: t('profile.men'), value: b.men, color: COLOR.confirmed },
            { key: 'other', label: t('profile.otherGender'), value: Math.max(0, deprived - b.women - b.men), color: COLOR.muted },
          ],
        },
        {
          key: 'affiliation',
          parts: [
            { key: 'civilians', label: t('profile.civilians'), value: b.civilians, color: COLOR.released },
            { key: 'military', label: t('profile.military'), value: b.military, color: COLOR.house_arrest },
          ],
        },
        {
          key: 'age',
          parts: [
            { key: 'adults', label: t('profile.adults'), value: b.adults, color: COLOR.neutral },
            { key: 'minors', label: t('profile.minors'), value: b.minors, color: COLOR.detained },
          ],
        },
      ]
    : [];
  const title = t('chart.profile.title');
  const columns: Column[] = [
    { key: 'dimension', label: t('col.dimension') },
    { key: 'category', label: t('col.category') },
    { key: 'count', label: t('col.count'), align: 'right' },
  ];
  const rows = dims.flatMap((d) => d.parts.map((p) => ({ dimension: t(`profile.${d.key}`), category: p.label, count: p.value })));
  if (b) rows.push({ dimension: t('profile.hungerStrike'), category: t('profile.hungerStrike'), count: b.onHungerStrike });
  return (
    <Panel
      id="panel-profile"
      title={title}
      description={t('chart.profile.desc', { asOf: formatDate(q.asOf, locale) })}
      chart={
        <div class="profile">
          {dims.map((d) => (
            <div key={d.key} class="profile-row">
              <h3>{t(`profile.${d.key}`)}</h3>
              <SplitBar parts={d.parts} locale={locale} label={`${t(`profile.${d.key}`)}: ${d.parts.map((p) => `${p.label} ${formatNumber(p.value, locale)}`).join(', ')}`} />
            </div>
          ))}
        </div>
      }
      columns={columns}
      rows={rows}
      csvName={`profile-${q.asOf}`}
      origin={origin}
      loading={loaded.loading}
      error={loaded.error}
      onRetry={loaded.reload}
      stacked
    />
  );
}

const regionNames: Record<string, Intl.DisplayNames | null> = {};
function countryName(code: string, locale: Locale): string {
  if (!(locale in regionNames)) {
    try {
      regionNames[locale] = new Intl.DisplayNames([locale], { type: 'region' });
    } catch {
      regionNames[locale] = null;
    }
  }
  try {
    return regionNames[locale]?.of(code) ?? code;
  } catch {
    return code;
  }
}

const TOP = 8;

export function BreakdownPanel({ q, loaded, origin, dimension }: PanelInput<StatsAnswer> & { dimension: 'nationality' | 'facility' }) {
  const t = useT();
  const locale = useLocale();
  const groups = (loaded.data?.groups ?? []).filter((g) => g.deprivedOfLiberty > 0);
  const name = (v: string | number | boolean | null | undefined) =>
    v === null || v === undefined || v === '' ? t(`${dimension}.unknown`) : dimension === 'nationality' ? countryName(String(v), locale) : String(v);
  const series: Series[] = DEPRIVED.map((s) => ({ key: s, label: t(`status.${s}`), color: COLOR[s] }));
  const shown = groups.slice(0, TOP);
  const rest = groups.slice(TOP);
  const bars: BarRow[] = shown.map((g) => ({ label: name(g.group[dimension]), values: { detained: g.counts.detained, disappeared: g.counts.disappeared, house_arrest: g.counts.house_arrest } }));
  if (rest.length > 0) {
    const sum = (s: (typeof DEPRIVED)[number]) => rest.reduce((n, g) => n + g.counts[s], 0);
    bars.push({ label: t('others', { n: rest.length }), values: { detained: sum('detained'), disappeared: sum('disappeared'), house_arrest: sum('house_arrest') } });
  }
  const title = t(`chart.${dimension}.title`);
  const columns: Column[] = [
    { key: 'name', label: t(`col.${dimension}`) },
    ...DEPRIVED.map((s) => ({ key: s, label: t(`status.${s}`), align: 'right' as const })),
    { key: 'total', label: t('col.deprived'), align: 'right' },
  ];
  const rows = groups.map((g) => ({
    name: name(g.group[dimension]),
    ...(dimension === 'nationality' ? { code: g.group[dimension] } : {}),
    detained: g.counts.detained,
    disappeared: g.counts.disappeared,
    house_arrest: g.counts.house_arrest,
    total: g.deprivedOfLiberty,
  }));
  return (
    <Panel
      id={`panel-${dimension}`}
      title={title}
      description={t(`chart.${dimension}.desc`)}
      chart={
        <>
          <Legend series={series} />
          <HBarChart rows={bars} series={series} locale={locale} label={title} />
        </>
      }
      columns={columns}
      rows={rows}
      csvName={`by-${dimension}-${q.asOf}`}
      origin={origin}
      loading={loaded.loading}
      error={loaded.error}
      onRetry={loaded.reload}
      stacked
    />
  );
}
