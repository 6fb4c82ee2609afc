// The caseworker's case list: the filters of GET /api/cases, a search by name or external
// reference, pages; the filters live in the address, so a list can be bookmarked and Back works.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiProblem } from '../api.js';
import { formatDate, formatNumber, useLocale, useT } from '../i18n.js';
import { Link, navigate, useRoute } from '../router.js';
import { CAN_RECORD, useSession } from '../session.js';
import { Alert, DataTable, Field } from '../ui/index.js';
import { personName, StatusBadge } from './case-summary.js';
import { OpenCaseForm } from './open-case-form.js';
import './messages.js';
import { GENDERS, STATUS_FILTER_VALUES, type CaseListResponse } from './types.js';

const FILTERS = ['q', 'status', 'nationality', 'facility', 'gender', 'military', 'minor', 'asOf', 'verification'] as const;
type Filter = (typeof FILTERS)[number];
const PAGE_SIZES = [25, 50, 100, 200];

export function CaseListPage() {
  const t = useT();
  const locale = useLocale();
  const route = useRoute();
  const session = useSession();
  const canRecord = session !== null && CAN_RECORD.includes(session.role);
  const applied: Record<Filter, string> = Object.fromEntries(FILTERS.map((f) => [f, route.query.get(f) ?? ''])) as Record<Filter, string>;
  const page = Math.max(1, Number(route.query.get('page') ?? '1') || 1);
  const pageSize = PAGE_SIZES.includes(Number(route.query.get('pageSize'))) ? Number(route.query.get('pageSize')) : 50;
  const [draft, setDraft] = useState(applied);
  const [result, setResult] = useState<CaseListResponse | null>(null);
  const [error, setError] = useState<ApiProblem | null>(null);
  const [loading, setLoading] = useState(true);
  const [opening, setOpening] = useState(false);
  const queryKey = route.query.toString();

  useEffect(() => setDraft(applied), [queryKey]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    const query: Record<string, string | number | undefined> = { page, pageSize };
    for (const f of FILTERS) if (applied[f] !== '') query[f] = applied[f];
    api<CaseListResponse>('/api/cases', { query, signal: controller.signal })
      .then(({ data }) => {
        setResult(data);
        setError(null);
      })
      .catch((e: unknown) => {
        if (e instanceof ApiProblem) setError(e);
      })
      .finally(() => setLoading(false));
    return () => controller.abort();
  }, [queryKey]);

  const go = (filters: Record<string, string>, nextPage: number, size = pageSize) => {
    const params = new URLSearchParams();
    for (const f of FILTERS) if ((filters[f] ?? '').trim() !== '') params.set(f, filters[f]!.trim());
    if (nextPage > 1) params.set('page', String(nextPage));
    if (size !== 50) params.set('pageSize', String(size));
    const qs = params.toString();
    navigate(qs ? `/cases?${qs}` : '/cases', { replace: true });
  };

  const set = (f: Filter) => (e: Event) => setDraft({ ...draft, [f]: (e.currentTarget as HTMLInputElement | HTMLSelectElement).value });
  const fieldError = (name: string) => (error?.errors as { field: string; message?: string; messages?: string[] }[] | undefined)?.find((e) => e.field === name);
  const errorText = (name: string) => {
    const e = fieldError(name);
    return e ? (e.message ?? (e.messages ?? []).join(' ')) : undefined;
  };
  const pages = result ? Math.max(1, Math.ceil(result.total / result.pageSize)) : 1;
  const anyFilter = FILTERS.some((f) => applied[f] !== '');

  const rows = (result?.items ?? []).map((c) => ({
    name: (
      <Link href={`/cases/${encodeURIComponent(c.caseId)}`} data-case-id={c.caseId}>
        {personName(c, t)}
      </Link>
    ),
    ref: c.externalReference,
    status: <StatusBadge status={c.status} />,
    since: c.statusSince ? formatDate(c.statusSince, locale) : '—',
    facility: c.facility,
    nationalities: c.nationalities.join(', '),
  }));

  return (
    <section class="cw-page">
      <h1>{t('cw.list.title')}</h1>
      {canRecord ? (
        <div class="cw-open-case">
          <button type="button" class="button" aria-expanded={opening} aria-controls="cw-open-case" onClick={() => setOpening(!opening)}>
            {t(opening ? 'cw.open.close' : 'cw.open.title')}
          </button>
          {opening ? (
            <div id="cw-open-case" class="cw-panel">
              <h2>{t('cw.open.title')}</h2>
              <OpenCaseForm onOpened={(caseId) => navigate(`/cases/${encodeURIComponent(caseId)}`)} />
            </div>
          ) : null}
        </div>
      ) : null}

      <form
        class="cw-filters"
        role="search"
        aria-label={t('cw.list.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          go(draft, 1);
        }}
      >
        <Field label={t('cw.list.search')} name="cw-list.q" hint={t('cw.list.searchHint')} error={errorText('q')}>
          <input class="input" type="search" name="q" value={draft.q} onInput={set('q')} maxLength={200} />
        </Field>
        <Field label={t('cw.case.status')} name="cw-list.status" error={errorText('status')}>
          <select class="input" name="status" value={draft.status} onChange={set('status')}>
            <option value="">{t('cw.list.any')}</option>
            {STATUS_FILTER_VALUES.map((s) => (
              <option key={s} value={s}>
                {t(`cw.status.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('cw.list.nationality')} name="cw-list.nationality" hint={t('cw.list.nationalityHint')} error={errorText('nationality')}>
          <input class="input" name="nationality" value={draft.nationality} onInput={set('nationality')} maxLength={2} size={3} pattern="[A-Za-z]{2}" />
        </Field>
        <Field label={t('cw.field.facility')} name="cw-list.facility" error={errorText('facility')}>
          <input class="input" name="facility" value={draft.facility} onInput={set('facility')} maxLength={200} />
        </Field>
        <Field label={t('cw.field.person.gender')} name="cw-list.gender" error={errorText('gender')}>
          <select class="input" name="gender" value={draft.gender} onChange={set('gender')}>
            <option value="">{t('cw.list.any')}</option>
            {GENDERS.map((g) => (
              <option key={g} value={g}>
                {t(`cw.gender.${g}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('cw.field.person.affiliation')} name="cw-list.military" error={errorText('military')}>
          <select class="input" name="military" value={draft.military} onChange={set('military')}>
            <option value="">{t('cw.list.any')}</option>
            <option value="false">{t('cw.affiliation.civilian')}</option>
            <option value="true">{t('cw.affiliation.military')}</option>
          </select>
        </Field>
        <Field label={t('cw.list.age')} name="cw-list.minor" error={errorText('minor')}>
          <select class="input" name="minor" value={draft.minor} onChange={set('minor')}>
            <option value="">{t('cw.list.any')}</option>
            <option value="false">{t('cw.list.adults')}</option>
            <option value="true">{t('cw.list.minors')}</option>
          </select>
        </Field>
        <Field label={t('cw.list.asOf')} name="cw-list.asOf" hint={t('cw.list.asOfHint')} error={errorText('asOf')}>
          <input class="input" type="date" name="asOf" value={draft.asOf} onInput={set('asOf')} />
        </Field>
        <Field label={t('cw.list.verification')} name="cw-list.verification" error={errorText('verification')}>
          <select class="input" name="verification" value={draft.verification} onChange={set('verification')}>
            <option value="">{t('cw.list.verificationAll')}</option>
            <option value="confirmed">{t('cw.list.verificationConfirmed')}</option>
          </select>
        </Field>
        <div class="cw-form-actions">
          <button type="submit" class="button button-primary">
            {t('cw.list.apply')}
          </button>
          {anyFilter ? (
            <button type="button" class="button button-quiet" onClick={() => go({}, 1)}>
              {t('cw.list.clear')}
            </button>
          ) : null}
        </div>
      </form>

      {error ? <Alert kind="error">{error.errors.length > 0 ? t('cw.list.badFilters') : error.detail || error.title}</Alert> : null}

      <div aria-busy={loading} aria-live="polite">
        {result ? (
          <p class="cw-count">
            {t('cw.list.count', { total: formatNumber(result.total, locale), asOf: formatDate(result.asOf, locale) })}
          </p>
        ) : null}
        <DataTable
          caption={t('cw.list.caption')}
          captionHidden
          columns={[
            { key: 'name', label: t('cw.list.name') },
            { key: 'ref', label: t('cw.field.person.externalReference') },
            { key: 'status', label: t('cw.case.status') },
            { key: 'since', label: t('cw.list.since') },
            { key: 'facility', label: t('cw.field.facility') },
            { key: 'nationalities', label: t('cw.field.person.nationalities') },
          ]}
          rows={rows}
          empty={loading ? t('cw.loading') : t('cw.list.empty')}
        />
      </div>

      {result && result.total > 0 ? (
        <nav class="cw-pager" aria-label={t('cw.list.pages')}>
          <button type="button" class="button" disabled={page <= 1} onClick={() => go(applied, page - 1)}>
            {t('cw.list.previous')}
          </button>
          <span>{t('cw.list.page', { page: formatNumber(page, locale), pages: formatNumber(pages, locale) })}</span>
          <button type="button" class="button" disabled={page >= pages} onClick={() => go(applied, page + 1)}>
            {t('cw.list.next')}
          </button>
          <label for="cw-page-size">{t('cw.list.pageSize')}</label>
          <select id="cw-page-size" class="input" value={String(pageSize)} onChange={(e) => go(applied, 1, Number(e.currentTarget.value))}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={String(n)}>
                {n}
              </option>
            ))}
          </select>
        </nav>
      ) : null}
    </section>
  );
}
