// The auditor's start page: walk the hash chain, export a bundle of a range of the log, and find a
// case to replay as of a date and as known at a time.
import { useState } from 'preact/hooks';
import { api, ApiProblem } from '../api.js';
import { formatNumber, todayInCaracas, useLocale, useT } from '../i18n.js';
import { Link } from '../router.js';
import { Alert, Field } from '../ui/index.js';
import { personName, StatusBadge } from '../caseworker/case-summary.js';
import type { CaseListResponse } from '../caseworker/types.js';
import { downloadBundle, type BundleSummary } from './bundle.js';
import './messages.js';

export interface ChainVerification {
  eventsChecked: number;
  firstPosition: number | null;
  lastPosition: number | null;
  headHash: string;
  valid: boolean;
  firstBroken: { position: number; eventId: string | null; reason: string; expected: string; found: string } | null;
  head?: { position: number; hash: string } | null;
}

const positiveInt = (v: string): boolean => /^[1-9]\d*$/.test(v.trim());

export function AuditPage() {
  const t = useT();
  return (
    <section class="cw-page">
      <h1>{t('audit.title')}</h1>
      <p class="cw-muted">{t('audit.intro')}</p>
      <VerifyPanel />
      <RangeExportPanel />
      <FindCasePanel />
    </section>
  );
}

function problemText(e: unknown): string {
  return e instanceof ApiProblem ? e.detail || e.title : String(e);
}

function VerifyPanel() {
  const t = useT();
  const locale = useLocale();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [result, setResult] = useState<ChainVerification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);

  const run = async (e: Event) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (from.trim() && !positiveInt(from)) errors['from'] = t('audit.error.position');
    if (to.trim() && !positiveInt(to)) errors['to'] = t('audit.error.position');
    if (!errors['from'] && !errors['to'] && from.trim() && to.trim() && Number(from) > Number(to)) errors['to'] = t('audit.error.range');
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setPending(true);
    setError(null);
    try {
      const { data } = await api<ChainVerification>('/api/audit/verify', { query: { from: from.trim() || undefined, to: to.trim() || undefined } });
      setResult(data);
    } catch (err) {
      setResult(null);
      setError(problemText(err));
    } finally {
      setPending(false);
    }
  };

  return (
    <section class="cw-panel" aria-labelledby="audit-verify-title">
      <h2 id="audit-verify-title">{t('audit.verify.title')}</h2>
      <p class="cw-muted">{t('audit.verify.intro')}</p>
      <form class="cw-inline-form" onSubmit={run} noValidate>
        <Field label={t('audit.verify.from')} name="audit-verify.from" error={fieldErrors['from']} hint={t('audit.verify.optional')}>
          <input class="input" type="number" min={1} inputMode="numeric" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </Field>
        <Field label={t('audit.verify.to')} name="audit-verify.to" error={fieldErrors['to']} hint={t('audit.verify.optional')}>
          <input class="input" type="number" min={1} inputMode="numeric" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </Field>
        <div class="cw-form-actions">
          <button type="submit" class="button button-primary" disabled={pending}>
            {pending ? t('audit.verify.running') : t('audit.verify.run')}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {error ? <Alert kind="error">{error}</Alert> : null}
        {result ? (
          <div class={`audit-result ${result.valid ? 'audit-valid' : 'audit-broken'}`} data-testid="chain-result" data-valid={String(result.valid)}>
            <Alert kind={result.valid ? 'success' : 'error'}>
              <strong>{t(result.valid ? 'audit.verify.valid' : 'audit.verify.broken')}</strong>
            </Alert>
            <dl class="cw-summary">
              <div>
                <dt>{t('audit.verify.checked')}</dt>
                <dd>{formatNumber(result.eventsChecked, locale)}</dd>
              </div>
              <div>
                <dt>{t('audit.verify.positions')}</dt>
                <dd>{result.firstPosition === null ? '—' : `${formatNumber(result.firstPosition, locale)} – ${formatNumber(result.lastPosition ?? 0, locale)}`}</dd>
              </div>
              <div>
                <dt>{t('audit.verify.headHash')}</dt>
                <dd>
                  <code class="cw-hash">{result.headHash}</code>
                </dd>
              </div>
              {result.firstBroken ? (
                <>
                  <div>
                    <dt>{t('audit.verify.brokenAt')}</dt>
                    <dd>
                      {formatNumber(result.firstBroken.position, locale)} · {t(`audit.reason.${result.firstBroken.reason}`)}
                    </dd>
                  </div>
                  <div>
                    <dt>{t('audit.verify.expected')}</dt>
                    <dd>
                      <code class="cw-hash">{result.firstBroken.expected}</code>
                    </dd>
                  </div>
                  <div>
                    <dt>{t('audit.verify.found')}</dt>
                    <dd>
                      <code class="cw-hash">{result.firstBroken.found}</code>
                    </dd>
                  </div>
                </>
              ) : null}
            </dl>
          </div>
        ) : null}
      </div>
    </section>
  );
}

export function BundleResult({ summary }: { summary: BundleSummary }) {
  const t = useT();
  const locale = useLocale();
  return (
    <Alert kind="success">
      <p data-testid="bundle-result">
        {t('audit.export.done', { file: summary.filename, n: formatNumber(summary.events, locale) })}
      </p>
      {summary.digest ? (
        <p>
          {t('audit.export.digest')} <code class="cw-hash">{summary.digest}</code>
        </p>
      ) : null}
      <p class="cw-muted">{t('audit.export.verifyHint')}</p>
    </Alert>
  );
}

function RangeExportPanel() {
  const t = useT();
  const [from, setFrom] = useState('1');
  const [to, setTo] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<BundleSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const run = async (e: Event) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (!positiveInt(from)) next['from'] = t('audit.error.position');
    if (!positiveInt(to)) next['to'] = t('audit.error.position');
    if (!next['from'] && !next['to'] && Number(from) > Number(to)) next['to'] = t('audit.error.range');
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    setPending(true);
    setError(null);
    setSummary(null);
    try {
      setSummary(await downloadBundle({ from: Number(from), to: Number(to) }, todayInCaracas()));
    } catch (err) {
      if (err instanceof ApiProblem && err.errors.length > 0) {
        const byField: Record<string, string> = {};
        for (const fe of err.errors as { field: string; message?: string; messages?: string[] }[]) byField[fe.field] = fe.message ?? (fe.messages ?? []).join(' ');
        setErrors(byField);
      }
      setError(problemText(err));
    } finally {
      setPending(false);
    }
  };

  return (
    <section class="cw-panel" aria-labelledby="audit-export-title">
      <h2 id="audit-export-title">{t('audit.export.title')}</h2>
      <p class="cw-muted">{t('audit.export.intro')}</p>
      <form class="cw-inline-form" onSubmit={run} noValidate>
        <Field label={t('audit.verify.from')} name="audit-export.from" error={errors['from']}>
          <input class="input" type="number" min={1} inputMode="numeric" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </Field>
        <Field label={t('audit.verify.to')} name="audit-export.to" error={errors['to']}>
          <input class="input" type="number" min={1} inputMode="numeric" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </Field>
        <div class="cw-form-actions">
          <button type="submit" class="button button-primary" disabled={pending}>
            {t('audit.export.run')}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {error ? <Alert kind="error">{error}</Alert> : null}
        {summary ? <BundleResult summary={summary} /> : null}
      </div>
    </section>
  );
}

function FindCasePanel() {
  const t = useT();
  const [q, setQ] = useState('');
  const [result, setResult] = useState<CaseListResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const { data } = await api<CaseListResponse>('/api/cases', { query: { q: q.trim() || undefined, pageSize: 25 } });
      setResult(data);
    } catch (err) {
      setError(problemText(err));
    }
  };

  return (
    <section class="cw-panel" aria-labelledby="audit-find-title">
      <h2 id="audit-find-title">{t('audit.find.title')}</h2>
      <form class="cw-inline-form" role="search" aria-label={t('audit.find.title')} onSubmit={run}>
        <Field label={t('cw.list.search')} name="audit-find.q" hint={t('cw.list.searchHint')}>
          <input class="input" type="search" value={q} maxLength={200} onInput={(e) => setQ(e.currentTarget.value)} />
        </Field>
        <div class="cw-form-actions">
          <button type="submit" class="button">
            {t('audit.find.run')}
          </button>
        </div>
      </form>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {result ? (
        result.items.length === 0 ? (
          <p role="status">{t('cw.list.empty')}</p>
        ) : (
          <ul class="audit-found">
            {result.items.map((c) => (
              <li key={c.caseId}>
                <Link href={`/audit/cases/${encodeURIComponent(c.caseId)}`}>{personName(c, t)}</Link> <StatusBadge status={c.status} />
                {c.externalReference ? <span class="cw-muted"> · {c.externalReference}</span> : null}
              </li>
            ))}
          </ul>
        )
      ) : null}
    </section>
  );
}
