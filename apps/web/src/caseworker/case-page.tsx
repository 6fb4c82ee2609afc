// The caseworker's case page: who, where they stand now, custody periods, the timeline, and a form
// to record anything that happened (auditors see the same page without the forms).
import { useMemo, useState } from 'preact/hooks';
import { api } from '../api.js';
import { useT } from '../i18n.js';
import { Link } from '../router.js';
import { CAN_AUDIT, CAN_RECORD, useSession } from '../session.js';
import { Alert } from '../ui/index.js';
import { useCase, type CaseData } from './case-data.js';
import { AmnestyTable, CaseSummary, CustodyTable, personName } from './case-summary.js';
import { EVENT_KINDS, fieldsOf, type EventKind } from './event-catalogue.js';
import type { FormValues } from './form-model.js';
import './messages.js';
import { RecordForm, type Choice } from './record-form.js';
import { eventLabel, Timeline } from './timeline.js';
import type { RecordedEvent } from './types.js';

export function CasePage({ id }: { id: string }) {
  const t = useT();
  const session = useSession();
  const time = useMemo(() => ({}), []);
  const { data, error, loading, reload } = useCase(id, time);
  const canRecord = session !== null && CAN_RECORD.includes(session.role);
  const [kindId, setKindId] = useState('');
  const [preset, setPreset] = useState<FormValues | undefined>(undefined);
  const [announce, setAnnounce] = useState('');

  if (error && !data) {
    return (
      <section class="cw-page">
        <h1>{t('cw.case.title')}</h1>
        <Alert kind="error">{error.status === 404 ? t('cw.case.notFound') : error.detail || error.title}</Alert>
        <p>
          <Link href="/cases">{t('cw.case.backToList')}</Link>
        </p>
      </section>
    );
  }
  if (!data) {
    return (
      <section class="cw-page" aria-busy="true">
        <h1>{t('cw.case.title')}</h1>
        <p role="status">{t('cw.loading')}</p>
      </section>
    );
  }

  const { view, history } = data;
  const name = personName(view.person, t);
  const chooseKind = (next: string, values?: FormValues) => {
    setKindId(next);
    setPreset(values);
    if (next) setTimeout(() => document.getElementById('cw-record')?.scrollIntoView({ block: 'start' }), 0);
  };
  const actions = canRecord
    ? (e: (typeof history.events)[number]) =>
        e.type === 'CaseOpened' ? null : (
          <>
            <button
              type="button"
              class="button button-small button-quiet"
              aria-label={`${t(e.retracted ? 'cw.timeline.restore' : 'cw.timeline.retract')}: ${eventLabel(e, t)}`}
              onClick={() => chooseKind('retractions', { eventId: e.eventId })}
            >
              {t(e.retracted ? 'cw.timeline.restore' : 'cw.timeline.retract')}
            </button>
            {e.verification === 'reported' && !e.confirmedBy && !e.retracted ? (
              <button
                type="button"
                class="button button-small button-quiet"
                aria-label={`${t('cw.timeline.confirm')}: ${eventLabel(e, t)}`}
                onClick={() => chooseKind('confirmations', { eventId: e.eventId })}
              >
                {t('cw.timeline.confirm')}
              </button>
            ) : null}
          </>
        )
    : undefined;

  return (
    <section class="cw-page" aria-busy={loading}>
      <p class="cw-breadcrumb">
        <Link href="/cases">{t('cw.list.title')}</Link>
        {session && CAN_AUDIT.includes(session.role) ? (
          <>
            {' · '}
            <Link href={`/audit/cases/${encodeURIComponent(id)}`}>{t('audit.case.link')}</Link>
          </>
        ) : null}
      </p>
      <h1>{name}</h1>
      <p class="cw-muted">
        {t('cw.case.version', { version: view.version })} · <span class="cw-ref">{view.caseId}</span>
      </p>
      {error ? <Alert kind="error">{error.detail || error.title}</Alert> : null}
      <div class="sr-only" role="status" aria-live="polite">
        {announce}
      </div>

      <h2 id="cw-now">{t('cw.case.now')}</h2>
      <CaseSummary view={view} />

      <h2 id="cw-custody">{t('cw.case.custody')}</h2>
      <CustodyTable view={view} />
      <AmnestyTable view={view} />

      {canRecord ? (
        <RecordPanel
          data={data}
          kindId={kindId}
          preset={preset}
          onKind={(k) => chooseKind(k)}
          reload={reload}
          onRecorded={async (kind) => {
            await reload();
            setAnnounce(t('cw.record.done', { type: t(`cw.kind.${kind.id}`) }));
          }}
        />
      ) : null}

      <h2 id="cw-timeline">{t('cw.case.timeline', { n: history.events.length })}</h2>
      <Timeline events={history.events} personal={data.personal} actions={actions} headingId="cw-timeline" />
    </section>
  );
}

interface RecordPanelProps {
  data: CaseData;
  kindId: string;
  preset: FormValues | undefined;
  onKind: (kind: string) => void;
  reload: () => Promise<void>;
  onRecorded: (kind: EventKind) => Promise<void>;
}

function RecordPanel({ data, kindId, preset, onKind, reload, onRecorded }: RecordPanelProps) {
  const t = useT();
  const kind = EVENT_KINDS.find((k) => k.id === kindId);
  const fields = useMemo(() => (kind ? fieldsOf(kind) : []), [kind]);
  const caseId = data.view.caseId;

  const choices = (source: string): Choice[] => {
    const events = data.history.events;
    const requests = data.view.amnestyRequests;
    const requestLabel = (r: (typeof requests)[number]) => `${r.filedOn} · ${t(`cw.filer.${r.filedBy}`)} · ${t(`cw.amnestyStatus.${r.status}`)}`;
    switch (source) {
      case 'retractable-events':
        return events.filter((e) => e.type !== 'CaseOpened').map((e) => ({ value: e.eventId, label: `${e.retracted ? `[${t('cw.timeline.retracted')}] ` : ''}${eventLabel(e, t)}` }));
      case 'reported-events':
        return events.filter((e) => e.verification === 'reported' && !e.confirmedBy).map((e) => ({ value: e.eventId, label: eventLabel(e, t) }));
      case 'undecided-requests':
        return requests.filter((r) => r.status === 'pending' || r.status === 'appealed').map((r) => ({ value: r.requestId, label: requestLabel(r) }));
      case 'decided-requests':
        return requests.filter((r) => r.status === 'granted' || r.status === 'denied').map((r) => ({ value: r.requestId, label: requestLabel(r) }));
      default:
        return [];
    }
  };

  return (
    <section class="cw-record" id="cw-record" aria-labelledby="cw-record-title">
      <h2 id="cw-record-title">{t('cw.record.title')}</h2>
      <div class="field">
        <label for="cw-kind">{t('cw.record.kind')}</label>
        <select id="cw-kind" class="input" value={kindId} onChange={(e) => onKind(e.currentTarget.value)}>
          <option value="">{t('cw.form.choose')}</option>
          {EVENT_KINDS.map((k) => (
            <option key={k.id} value={k.id}>
              {t(`cw.kind.${k.id}`)}
            </option>
          ))}
        </select>
      </div>
      {kind ? (
        <RecordForm<RecordedEvent>
          key={kind.id}
          formId={`cw-ev-${kind.id}`}
          fields={fields}
          preset={preset}
          choices={choices}
          submitLabel={t('cw.record.submit', { type: t(`cw.kind.${kind.id}`) })}
          successText={t('cw.record.done', { type: t(`cw.kind.${kind.id}`) })}
          onReload={reload}
          send={async (body, values, idempotencyKey) => {
            const { data: result } = await api<RecordedEvent>(kind.path(caseId, values), {
              method: 'POST',
              body,
              headers: { 'If-Match': data.etag, 'Idempotency-Key': idempotencyKey },
            });
            return result;
          }}
          onSuccess={() => void onRecorded(kind)}
        />
      ) : null}
    </section>
  );
}
