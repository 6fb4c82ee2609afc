// The state of a case on a day: status, custody periods with their durations, amnesty requests.
// Shared by the caseworker's case page and the auditor's "as of / as known at" view.
import { formatDate, formatNumber, useLocale, useT } from '../i18n.js';
import { DataTable } from '../ui/index.js';
import type { CaseView } from './types.js';
import './messages.js';

type T = (key: string, vars?: Record<string, string | number>) => string;

export function personName(p: { fullName: string | null; nameWithheld?: boolean; personalDataErased?: boolean; nameErased?: true }, t: T): string {
  if (p.fullName) return p.fullName;
  if (p.personalDataErased || p.nameErased) return t('cw.name.erased');
  return t('cw.name.withheld');
}

export function StatusBadge({ status }: { status: string }) {
  const t = useT();
  return <span class={`cw-status cw-status-${status}`}>{t(`cw.status.${status}`)}</span>;
}

export function CaseSummary({ view }: { view: CaseView }) {
  const t = useT();
  const locale = useLocale();
  const p = view.person;
  const c = view.conditions;
  const conditions = c
    ? [
        c.reportEveryDays ? t('cw.case.reportEvery', { days: c.reportEveryDays }) : null,
        c.speechRestriction ? t('cw.field.conditions.speechRestriction') : null,
        c.travelBan ? t('cw.field.conditions.travelBan') : null,
        c.other,
      ].filter((x): x is string => !!x)
    : [];
  const item = (label: string, value: string | null | undefined) =>
    value ? (
      <div>
        <dt>{label}</dt>
        <dd>{value}</dd>
      </div>
    ) : null;
  return (
    <dl class="cw-summary">
      <div>
        <dt>{t('cw.case.status')}</dt>
        <dd>
          <StatusBadge status={view.status} />
          {view.statusSince ? <span> {t('cw.case.since', { date: formatDate(view.statusSince, locale) })}</span> : null}
        </dd>
      </div>
      {/* The last facility stays in the answer after a release; it is where the person is only while deprived of liberty. */}
      {view.deprivedOfLiberty ? item(t('cw.field.facility'), view.facility) : null}
      {item(t('cw.case.conditions'), conditions.join('; ') || null)}
      {item(t('cw.field.charges'), view.charges.join(', ') || null)}
      {item(t('cw.field.excludedOffences'), view.excludedOffences.map((o) => t(`cw.offence.${o}`)).join(', ') || null)}
      {view.sentenced ? item(t('cw.field.sentenced'), t('cw.yes')) : null}
      {view.hungerStrikeSince ? item(t('cw.case.hungerStrike'), t('cw.case.since', { date: formatDate(view.hungerStrikeSince, locale) })) : null}
      {view.missedPresentations > 0 ? item(t('cw.case.missedPresentations'), formatNumber(view.missedPresentations, locale)) : null}
      {item(t('cw.field.person.nationalities'), p.nationalities.join(', '))}
      {item(t('cw.field.person.gender'), t(`cw.gender.${p.gender}`))}
      {item(t('cw.field.person.affiliation'), t(`cw.affiliation.${p.affiliation}`))}
      {p.minor ? item(t('cw.field.person.minor'), t('cw.yes')) : null}
      {p.birthYear ? item(t('cw.field.person.birthYear'), String(p.birthYear)) : null}
      {item(t('cw.field.person.externalReference'), p.externalReference)}
      {item(t('cw.case.custodyTotal'), t('cw.case.days', { n: formatNumber(view.custody.totalDays, locale) }))}
      {view.anomalies.length > 0 ? item(t('cw.case.anomalies'), String(view.anomalies.length)) : null}
    </dl>
  );
}

export function CustodyTable({ view }: { view: CaseView }) {
  const t = useT();
  const locale = useLocale();
  const rows = view.custody.periods.map((p, i) => ({
    n: i + 1,
    startedOn: formatDate(p.startedOn, locale),
    endedOn: p.ongoing ? t('cw.case.ongoing') : p.endedOn ? formatDate(p.endedOn, locale) : '—',
    endedBy: p.endedBy ? t(`cw.status.${p.endedBy}`) : '—',
    days: p.days,
    placements: p.placements
      .map((pl) => `${t(`cw.status.${pl.status}`)}${pl.facility ? ` (${pl.facility})` : ''} ${t('cw.case.from', { date: formatDate(pl.from, locale) })}`)
      .join('; '),
  }));
  return (
    <DataTable
      caption={t('cw.case.custodyCaption', { asOf: formatDate(view.asOf, locale) })}
      columns={[
        { key: 'n', label: '#', align: 'right' },
        { key: 'startedOn', label: t('cw.case.startedOn') },
        { key: 'endedOn', label: t('cw.case.endedOn') },
        { key: 'endedBy', label: t('cw.case.endedBy') },
        { key: 'days', label: t('cw.case.duration'), align: 'right' },
        { key: 'placements', label: t('cw.case.placements') },
      ]}
      rows={rows}
      empty={t('cw.case.noCustody')}
    />
  );
}

export function AmnestyTable({ view }: { view: CaseView }) {
  const t = useT();
  const locale = useLocale();
  if (view.amnestyRequests.length === 0) return null;
  const rows = view.amnestyRequests.map((r) => ({
    filedOn: formatDate(r.filedOn, locale),
    filedBy: t(`cw.filer.${r.filedBy}`),
    status: t(`cw.amnestyStatus.${r.status}`),
    dueOn: formatDate(r.dueOn, locale),
    overdue: r.daysOverdue > 0 ? t('cw.case.days', { n: r.daysOverdue }) : '—',
    decidedOn: r.decidedOn ? formatDate(r.decidedOn, locale) : '—',
  }));
  return (
    <DataTable
      caption={t('cw.case.amnestyCaption')}
      columns={[
        { key: 'filedOn', label: t('cw.case.filedOn') },
        { key: 'filedBy', label: t('cw.field.filedBy') },
        { key: 'status', label: t('cw.case.status') },
        { key: 'dueOn', label: t('cw.case.dueOn') },
        { key: 'overdue', label: t('cw.case.overdue'), align: 'right' },
        { key: 'decidedOn', label: t('cw.case.decidedOn') },
      ]}
      rows={rows}
    />
  );
}
