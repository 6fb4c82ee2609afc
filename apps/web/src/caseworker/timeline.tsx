// A case's timeline: every event with its date, what it says, its source, whether it is confirmed,
// who recorded it and when, and any correction (a retracted event is struck through, with the reason).
import type { ComponentChildren } from 'preact';
import { formatDate, formatDateTime, useLocale, useT } from '../i18n.js';
import type { HistoryEvent, Source } from './types.js';
import './messages.js';

type T = (key: string, vars?: Record<string, string | number>) => string;

const CORRECTIONS = new Set(['EventRetracted', 'EventConfirmed']);

/** The actor as recorded (`token:maria`) without the mechanism's prefix. */
export const actorName = (actor: string): string => actor.replace(/^token:/, '');

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** What an event says, in a line of the reader's language. */
export function describeEvent(e: HistoryEvent, t: T, byId: Map<string, HistoryEvent>): string {
  const d = e.data;
  const parts: string[] = [];
  const add = (key: string, value: string | null) => {
    if (value) parts.push(`${t(key)}: ${value}`);
  };
  const label = (prefix: string, v: unknown) => (str(v) ? t(`${prefix}${String(v)}`) : null);
  switch (e.type) {
    case 'CaseOpened':
      add('cw.field.person.nationalities', list(d['nationalities']).join(', '));
      add('cw.field.person.externalReference', str(d['externalReference']));
      break;
    case 'Detained':
    case 'ReArrested':
      add('cw.field.facility', str(d['facility']));
      add('cw.field.arrestingAuthority', str(d['arrestingAuthority']));
      add('cw.field.charges', list(d['charges']).join(', ') || null);
      break;
    case 'Released': {
      add('cw.field.legalBasis', label('cw.legalBasis.', d['legalBasis']));
      add('cw.field.releasedFrom', str(d['facility']));
      const c = d['conditions'] as Record<string, unknown> | null | undefined;
      if (c) {
        const conditions: string[] = [];
        if (typeof c['reportEveryDays'] === 'number') conditions.push(t('cw.case.reportEvery', { days: c['reportEveryDays'] }));
        if (c['speechRestriction'] === true) conditions.push(t('cw.field.conditions.speechRestriction'));
        if (c['travelBan'] === true) conditions.push(t('cw.field.conditions.travelBan'));
        if (str(c['other'])) conditions.push(String(c['other']));
        add('cw.case.conditions', conditions.join('; ') || null);
      }
      break;
    }
    case 'ConditionsLifted':
      add('cw.field.legalBasis', label('cw.legalBasis.', d['legalBasis']));
      break;
    case 'PresentationRecorded':
      add('cw.field.outcome', label('cw.presentationOutcome.', d['outcome']));
      add('cw.field.court', str(d['court']));
      break;
    case 'HouseArrestImposed':
      add('cw.field.location', str(d['location']));
      add('cw.field.orderedBy', str(d['orderedBy']));
      break;
    case 'WhereaboutsUnknown':
      add('cw.field.takenBy', str(d['takenBy']));
      add('cw.field.lastSeenAt', str(d['lastSeenAt']));
      break;
    case 'WhereaboutsConfirmed':
      add('cw.field.facility', str(d['facility']));
      break;
    case 'Transferred':
      add('cw.field.toFacility', str(d['toFacility']));
      break;
    case 'ChargesRecorded':
      add('cw.field.charges', list(d['charges']).join(', '));
      add('cw.field.excludedOffences', list(d['excludedOffences']).map((o) => t(`cw.offence.${o}`)).join(', ') || null);
      if (d['sentenced'] === true) parts.push(t('cw.field.sentenced'));
      break;
    case 'DiedInCustody':
      add('cw.field.facility', str(d['facility']));
      break;
    case 'AmnestyRequested':
      add('cw.field.filedBy', label('cw.filer.', d['filedBy']));
      add('cw.field.tribunal', str(d['tribunal']));
      break;
    case 'AmnestyGranted':
      add('cw.field.tribunal', str(d['tribunal']));
      break;
    case 'AmnestyDenied':
      add('cw.field.reason', str(d['reason']));
      add('cw.field.excludedOffence', label('cw.offence.', d['excludedOffence']));
      add('cw.field.tribunal', str(d['tribunal']));
      break;
    case 'AmnestyAppealed':
      add('cw.field.appealedBy', label('cw.filer.', d['appealedBy']));
      break;
    case 'EventRetracted': {
      const target = byId.get(String(d['retractedEventId']));
      parts.push(t('cw.timeline.retracts', { event: target ? eventLabel(target, t) : String(d['retractedEventId']) }));
      add('cw.field.reason', str(d['reason']));
      break;
    }
    case 'EventConfirmed': {
      const target = byId.get(String(d['confirmedEventId']));
      parts.push(t('cw.timeline.confirms', { event: target ? eventLabel(target, t) : String(d['confirmedEventId']) }));
      break;
    }
    default:
      break;
  }
  return parts.join(' · ');
}

export const typeLabel = (type: string, t: T): string => t(`cw.type.${type}`);

/** "Released, 8 Jan 2026" style label of an event, for selects and cross-references. */
export function eventLabel(e: HistoryEvent, t: T): string {
  return `${typeLabel(e.type, t)} (${e.occurredOn.slice(0, 10)})`;
}

export function SourceText({ source }: { source: Source | null }) {
  const t = useT();
  if (!source) return <span class="cw-muted">{t('cw.timeline.noSource')}</span>;
  return (
    <span>
      {t(`cw.sourceKind.${source.kind}`)}: {source.name}
      {source.reference ? (
        <>
          {' '}
          (<span class="cw-ref">{source.reference}</span>)
        </>
      ) : null}
    </span>
  );
}

export function VerificationBadge({ event }: { event: HistoryEvent }) {
  const t = useT();
  const confirmed = event.verification === 'confirmed' || event.confirmedBy !== null;
  return <span class={`cw-badge ${confirmed ? 'cw-badge-confirmed' : 'cw-badge-reported'}`}>{t(confirmed ? 'cw.verification.confirmed' : 'cw.verification.reported')}</span>;
}

export interface TimelineProps {
  events: readonly HistoryEvent[];
  personal?: Record<string, Record<string, unknown> | null>;
  /** Buttons beside each event (retract, confirm) for those who may record. */
  actions?: (event: HistoryEvent) => ComponentChildren;
  /** The auditor's view: say whether each event counts on asOf as known at knownAt. */
  showCounts?: boolean;
  headingId: string;
}

/**
 * Newest first by the date it happened, then by the order recorded. The opening of the case is the
 * record's own act, dated the day it was typed in: it goes at the start of the story, not among its
 * latest events.
 */
export function timelineOrder(a: HistoryEvent, b: HistoryEvent): number {
  const opened = Number(b.type === 'CaseOpened') - Number(a.type === 'CaseOpened');
  if (opened !== 0) return -opened;
  const day = b.occurredOn.slice(0, 10).localeCompare(a.occurredOn.slice(0, 10));
  return day !== 0 ? day : b.version - a.version;
}

export function Timeline({ events, personal, actions, showCounts, headingId }: TimelineProps) {
  const t = useT();
  const locale = useLocale();
  const byId = new Map(events.map((e) => [e.eventId, e]));
  const sorted = [...events].sort(timelineOrder);
  return (
    <ol class="cw-timeline" aria-labelledby={headingId}>
      {sorted.map((e) => {
        const notes = personal?.[e.eventId];
        const noteText = notes ? [notes['notes'], notes['lawyerName']].filter((x): x is string => typeof x === 'string' && x !== '').join(' · ') : '';
        const summary = describeEvent(e, t, byId);
        const correction = CORRECTIONS.has(e.type);
        return (
          <li key={e.eventId} class={`cw-event${e.retracted ? ' cw-event-retracted' : ''}${correction ? ' cw-event-correction' : ''}`} data-event-type={e.type} data-event-id={e.eventId}>
            <div class="cw-event-head">
              <time dateTime={e.occurredOn} class="cw-event-date">
                {formatDate(e.occurredOn, locale)}
              </time>
              {e.retracted ? (
                <del class="cw-event-type">
                  <span class="sr-only">{t('cw.timeline.retractedSr')} </span>
                  {typeLabel(e.type, t)}
                </del>
              ) : (
                <strong class="cw-event-type">{typeLabel(e.type, t)}</strong>
              )}
              {correction ? null : <VerificationBadge event={e} />}
              {showCounts ? (
                <span class={`cw-badge ${e.countsOn ? 'cw-badge-counts' : 'cw-badge-ignored'}`}>{t(e.countsOn ? 'audit.counts' : 'audit.notCounted')}</span>
              ) : null}
            </div>
            {summary ? <p class="cw-event-summary">{e.retracted ? <del>{summary}</del> : summary}</p> : null}
            {noteText ? <p class="cw-event-notes">{e.retracted ? <del>{noteText}</del> : noteText}</p> : null}
            <dl class="cw-event-meta">
              <div>
                <dt>{t('cw.timeline.source')}</dt>
                <dd>
                  <SourceText source={e.source} />
                </dd>
              </div>
              <div>
                <dt>{t('cw.timeline.recorded')}</dt>
                <dd>
                  {t('cw.timeline.recordedBy', { actor: actorName(e.actor), at: formatDateTime(e.recordedAt, locale) })}
                </dd>
              </div>
              {e.confirmedBy ? (
                <div>
                  <dt>{t('cw.timeline.confirmation')}</dt>
                  <dd>
                    <SourceText source={e.confirmedBy.source} /> —{' '}
                    {t('cw.timeline.recordedBy', { actor: actorName(e.confirmedBy.actor), at: formatDateTime(e.confirmedBy.recordedAt, locale) })}
                  </dd>
                </div>
              ) : null}
              {e.retractedBy ? (
                <div class="cw-retraction">
                  <dt>{t('cw.timeline.retracted')}</dt>
                  <dd>
                    {e.retractedBy.reason} —{' '}
                    {t('cw.timeline.recordedBy', { actor: actorName(e.retractedBy.actor), at: formatDateTime(e.retractedBy.recordedAt, locale) })}
                  </dd>
                </div>
              ) : null}
            </dl>
            {actions ? <div class="cw-event-actions">{actions(e)}</div> : null}
          </li>
        );
      })}
    </ol>
  );
}
