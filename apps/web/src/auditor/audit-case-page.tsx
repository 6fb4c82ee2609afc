// A case replayed for an auditor: its state as of a day (valid time) as the record stood at an
// instant (transaction time), the events that counted then, and a verifiable bundle of the case.
import { useMemo, useState } from 'preact/hooks';
import { ApiProblem } from '../api.js';
import { caracasLocalToIso, formatDate, formatDateTime, isoToCaracasLocal, todayInCaracas, useLocale, useT } from '../i18n.js';
import { Link, navigate, useRoute } from '../router.js';
import { Alert, Field } from '../ui/index.js';
import { useCase } from '../caseworker/case-data.js';
import { AmnestyTable, CaseSummary, CustodyTable, personName } from '../caseworker/case-summary.js';
import { isRealDay } from '../caseworker/form-model.js';
import { Timeline } from '../caseworker/timeline.js';
import { BundleResult } from './audit-page.js';
import { downloadBundle, type BundleSummary } from './bundle.js';
import './messages.js';

const LOCAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

export function AuditCasePage({ id }: { id: string }) {
  const t = useT();
  const locale = useLocale();
  const route = useRoute();
  const asOf = route.query.get('asOf') ?? '';
  const knownAt = route.query.get('knownAt') ?? '';
  const time = useMemo(() => ({ asOf: asOf || undefined, knownAt: knownAt || undefined }), [asOf, knownAt]);
  const { data, error, loading } = useCase(id, time, false);

  const [draftAsOf, setDraftAsOf] = useState(asOf);
  const [draftKnownAt, setDraftKnownAt] = useState(knownAt ? isoToCaracasLocal(knownAt) : '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [bundle, setBundle] = useState<BundleSummary | null>(null);
  const [bundleError, setBundleError] = useState<string | null>(null);

  const apply = (e: Event) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (draftAsOf && !isRealDay(draftAsOf)) next['asOf'] = t('cw.error.date');
    else if (draftAsOf > todayInCaracas()) next['asOf'] = t('cw.error.future');
    if (draftKnownAt && !LOCAL_INSTANT.test(draftKnownAt)) next['knownAt'] = t('audit.error.instant');
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    const params = new URLSearchParams();
    if (draftAsOf) params.set('asOf', draftAsOf);
    if (draftKnownAt) params.set('knownAt', caracasLocalToIso(draftKnownAt));
    const qs = params.toString();
    navigate(`/audit/cases/${encodeURIComponent(id)}${qs ? `?${qs}` : ''}`, { replace: true });
  };

  const exportCase = async () => {
    setBundleError(null);
    setBundle(null);
    try {
      setBundle(await downloadBundle({ caseId: id }, todayInCaracas()));
    } catch (err) {
      setBundleError(err instanceof ApiProblem ? err.detail || err.title : String(err));
    }
  };

  const apiFieldError = (name: string) => {
    const e = (error?.errors as { field: string; message?: string; messages?: string[] }[] | undefined)?.find((x) => x.field === name);
    return e ? (e.message ?? (e.messages ?? []).join(' ')) : undefined;
  };

  return (
    <section class="cw-page" aria-busy={loading}>
      <p class="cw-breadcrumb">
        <Link href="/audit">{t('audit.title')}</Link> · <Link href={`/cases/${encodeURIComponent(id)}`}>{t('audit.case.casePage')}</Link>
      </p>
      <h1>{data ? t('audit.case.title', { name: personName(data.view.person, t) }) : t('audit.case.titleLoading')}</h1>

      <form class="cw-inline-form" onSubmit={apply} noValidate aria-label={t('audit.case.times')}>
        <Field label={t('audit.case.asOf')} name="audit-case.asOf" hint={t('audit.case.asOfHint')} error={errors['asOf'] ?? apiFieldError('asOf')}>
          <input class="input" type="date" value={draftAsOf} max={todayInCaracas()} onInput={(e) => setDraftAsOf(e.currentTarget.value)} />
        </Field>
        <Field label={t('audit.case.knownAt')} name="audit-case.knownAt" hint={t('audit.case.knownAtHint')} error={errors['knownAt'] ?? apiFieldError('knownAt')}>
          <input class="input" type="datetime-local" step={1} value={draftKnownAt} onInput={(e) => setDraftKnownAt(e.currentTarget.value)} />
        </Field>
        <div class="cw-form-actions">
          <button type="submit" class="button button-primary">
            {t('audit.case.apply')}
          </button>
          {asOf || knownAt ? (
            <button
              type="button"
              class="button button-quiet"
              onClick={() => {
                setDraftAsOf('');
                setDraftKnownAt('');
                navigate(`/audit/cases/${encodeURIComponent(id)}`, { replace: true });
              }}
            >
              {t('audit.case.now')}
            </button>
          ) : null}
        </div>
      </form>

      {error ? <Alert kind="error">{error.status === 404 ? t('cw.case.notFound') : error.detail || error.title}</Alert> : null}

      {data ? (
        <>
          <p class="audit-times" data-testid="audit-times">
            {t('audit.case.showing', {
              asOf: formatDate(data.history.asOf, locale),
              knownAt: formatDateTime(data.history.knownAt, locale),
            })}
          </p>
          <h2 id="audit-state">{t('audit.case.state')}</h2>
          <CaseSummary view={data.view} />
          <h2 id="audit-custody">{t('cw.case.custody')}</h2>
          <CustodyTable view={data.view} />
          <AmnestyTable view={data.view} />
          <h2 id="audit-history">{t('audit.case.history', { n: data.history.events.length })}</h2>
          <p class="cw-muted">{t('audit.case.historyHint')}</p>
          <Timeline events={data.history.events} showCounts headingId="audit-history" />
        </>
      ) : null}

      <section class="cw-panel" aria-labelledby="audit-case-export">
        <h2 id="audit-case-export">{t('audit.export.caseTitle')}</h2>
        <p class="cw-muted">{t('audit.export.caseIntro')}</p>
        <button type="button" class="button" onClick={exportCase}>
          {t('audit.export.caseRun')}
        </button>
        <div aria-live="polite">
          {bundleError ? <Alert kind="error">{bundleError}</Alert> : null}
          {bundle ? <BundleResult summary={bundle} /> : null}
        </div>
      </section>
    </section>
  );
}
