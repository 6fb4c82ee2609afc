// Today's work: amnesty requests near or past the tribunal's 15-day limit, people due to report to a
// court, and people whose whereabouts are unknown (and for how long). The day can be changed.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiProblem } from '../api.js';
import { addDays, formatDate, formatNumber, todayInCaracas, useLocale, useT } from '../i18n.js';
import { Link } from '../router.js';
import { Alert, DataTable, DateInput, Field } from '../ui/index.js';
import { personName } from './case-summary.js';
import { daysFrom } from './form-model.js';
import './messages.js';
import type { AmnestyRequestItem, CaseListResponse, PresentationsDue } from './types.js';

const NEAR_DAYS = [3, 5, 7, 15];
const MAX_PAGE = 200;

interface TodayData {
  amnesty: AmnestyRequestItem[];
  presentations: PresentationsDue;
  disappeared: CaseListResponse;
}

export function TodayPage() {
  const t = useT();
  const locale = useLocale();
  const [day, setDay] = useState(todayInCaracas());
  const [near, setNear] = useState(5);
  const [data, setData] = useState<TodayData | null>(null);
  const [error, setError] = useState<ApiProblem | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return;
    const controller = new AbortController();
    const signal = controller.signal;
    setLoading(true);
    Promise.all([
      api<{ items: AmnestyRequestItem[] }>('/api/amnesty-requests', { query: { state: 'pending', asOf: day }, signal }),
      api<PresentationsDue>('/api/presentations/due', { query: { on: day }, signal }),
      api<CaseListResponse>('/api/cases', { query: { status: 'disappeared', asOf: day, pageSize: MAX_PAGE }, signal }),
    ])
      .then(([amnesty, presentations, disappeared]) => {
        setData({ amnesty: amnesty.data.items, presentations: presentations.data, disappeared: disappeared.data });
        setError(null);
      })
      .catch((e: unknown) => {
        if (e instanceof ApiProblem) setError(e);
      })
      .finally(() => setLoading(false));
    return () => controller.abort();
  }, [day]);

  const caseLink = (item: { caseId: string; fullName: string | null; nameErased?: true }) => (
    <Link href={`/cases/${encodeURIComponent(item.caseId)}`}>{personName(item, t)}</Link>
  );

  const horizon = addDays(day, near);
  const amnesty = (data?.amnesty ?? []).filter((r) => r.overdue || r.dueOn <= horizon).sort((a, b) => a.dueOn.localeCompare(b.dueOn));
  const presentations = [...(data?.presentations.missed ?? []).map((p) => ({ ...p, missed: true })), ...(data?.presentations.due ?? []).map((p) => ({ ...p, missed: false }))];
  const disappeared = [...(data?.disappeared.items ?? [])].sort((a, b) => (a.statusSince ?? '').localeCompare(b.statusSince ?? ''));

  return (
    <section class="cw-page" aria-busy={loading}>
      <h1>{t('cw.today.title')}</h1>
      <div class="cw-filters">
        <Field label={t('cw.today.day')} name="cw-today.day">
          <DateInput value={day} onChange={(v) => v && setDay(v)} />
        </Field>
        <Field label={t('cw.today.near')} name="cw-today.near">
          <select class="input" value={String(near)} onChange={(e) => setNear(Number(e.currentTarget.value))}>
            {NEAR_DAYS.map((n) => (
              <option key={n} value={String(n)}>
                {t('cw.today.nearDays', { n })}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {error ? <Alert kind="error">{error.detail || error.title}</Alert> : null}

      <h2 id="cw-today-amnesty">{t('cw.today.amnesty', { n: amnesty.length })}</h2>
      <p class="cw-muted">{t('cw.today.amnestyHint')}</p>
      <DataTable
        caption={t('cw.today.amnestyCaption', { day: formatDate(day, locale) })}
        captionHidden
        columns={[
          { key: 'name', label: t('cw.list.name') },
          { key: 'filedOn', label: t('cw.case.filedOn') },
          { key: 'dueOn', label: t('cw.case.dueOn') },
          { key: 'state', label: t('cw.case.status') },
        ]}
        rows={amnesty.map((r) => ({
          name: caseLink(r),
          filedOn: formatDate(r.filedOn, locale),
          dueOn: formatDate(r.dueOn, locale),
          state: r.overdue ? (
            <span class="cw-badge cw-badge-overdue">{t('cw.today.overdueBy', { n: formatNumber(r.daysOverdue, locale) })}</span>
          ) : (
            t('cw.today.dueIn', { n: formatNumber(daysFrom(day, r.dueOn), locale) })
          ),
        }))}
        empty={loading ? t('cw.loading') : t('cw.today.none')}
      />

      <h2 id="cw-today-presentations">{t('cw.today.presentations', { n: presentations.length })}</h2>
      <DataTable
        caption={t('cw.today.presentationsCaption', { day: formatDate(day, locale) })}
        captionHidden
        columns={[
          { key: 'name', label: t('cw.list.name') },
          { key: 'dueOn', label: t('cw.case.dueOn') },
          { key: 'last', label: t('cw.today.lastReported') },
          { key: 'every', label: t('cw.today.every'), align: 'right' },
          { key: 'state', label: t('cw.case.status') },
        ]}
        rows={presentations.map((p) => ({
          name: caseLink(p),
          dueOn: formatDate(p.dueOn, locale),
          last: formatDate(p.lastReportedOn, locale),
          every: t('cw.case.days', { n: p.reportEveryDays }),
          state: p.missed ? <span class="cw-badge cw-badge-overdue">{t('cw.today.missed')}</span> : t('cw.today.dueToday'),
        }))}
        empty={loading ? t('cw.loading') : t('cw.today.none')}
      />

      <h2 id="cw-today-disappeared">{t('cw.today.disappeared', { n: data?.disappeared.total ?? 0 })}</h2>
      <DataTable
        caption={t('cw.today.disappearedCaption', { day: formatDate(day, locale) })}
        captionHidden
        columns={[
          { key: 'name', label: t('cw.list.name') },
          { key: 'since', label: t('cw.today.missingSince') },
          { key: 'for', label: t('cw.today.missingFor'), align: 'right' },
          { key: 'ref', label: t('cw.field.person.externalReference') },
        ]}
        rows={disappeared.map((c) => ({
          name: caseLink(c),
          since: c.statusSince ? formatDate(c.statusSince, locale) : '—',
          for: c.statusSince ? t('cw.case.days', { n: formatNumber(daysFrom(c.statusSince, day), locale) }) : '—',
          ref: c.externalReference,
        }))}
        empty={loading ? t('cw.loading') : t('cw.today.none')}
      />
      {data && data.disappeared.total > data.disappeared.items.length ? (
        <p>
          <Link href={`/cases?status=disappeared&asOf=${day}`}>{t('cw.today.allDisappeared', { n: formatNumber(data.disappeared.total, locale) })}</Link>
        </p>
      ) : null}
    </section>
  );
}
