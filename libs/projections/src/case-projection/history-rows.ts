import type { AmnestyRequestInterval, CaseHistory, FlowFact, StatusInterval } from '#domain';
import {
  OPEN_DAY,
  type AmnestyRequestIntervalRow,
  type FlowFactRow,
  type StatusIntervalRow,
} from '../schema/read-model.entities.js';

/** The content of a history row without its transaction-time columns: its identity within its case and scope. */
type Content<R> = Omit<R, 'id' | 'caseId' | 'scope' | 'recordedFrom' | 'recordedFromPosition' | 'recordedTo' | 'recordedToPosition'>;

export type HistoryTable = 'status_intervals' | 'flow_facts' | 'amnesty_request_intervals';
type AnyContent = Content<StatusIntervalRow> | Content<FlowFactRow> | Content<AmnestyRequestIntervalRow>;

/** A row of a history: its table and content. */
export interface HistoryRow {
  readonly table: HistoryTable;
  readonly content: AnyContent;
}

/**
 * A key with the same identity as the content (the fields and their types are fixed per table), cheap
 * to build and hash: the diff after every event compares every row of the history. Text that could
 * blur the separators falls back to the content's JSON.
 */
function diffKey(table: HistoryTable, content: AnyContent): string {
  let key = table;
  for (const v of Object.values(content)) {
    if (v === null) key += '\u0000\u0001';
    else if (typeof v === 'string') {
      if (v.includes('\u0000') || v.startsWith('\u0001')) return `${table}\u0002${JSON.stringify(content)}`;
      key += `\u0000${v}`;
    } else key += `\u0000${String(v)}`;
  }
  return key;
}

const interval = (i: StatusInterval): Content<StatusIntervalRow> => ({
  status: i.status,
  validFrom: i.from,
  validTo: i.to ?? OPEN_DAY,
  statusSince: i.statusSince,
  facility: i.facility,
  sentenced: i.sentenced,
  excludedOffences: i.excludedOffences.join(','),
  reportEveryDays: i.reportEveryDays,
  reportingAnchor: i.reportingAnchor,
  onHungerStrike: i.onHungerStrike,
});
const flow = (f: FlowFact): Content<FlowFactRow> => ({
  eventId: f.eventId,
  kind: f.kind,
  day: f.day,
  legalBasis: f.legalBasis,
  conditional: f.conditional,
  daysSinceRelease: f.daysSinceRelease,
  requestId: f.requestId,
});
const request = (r: AmnestyRequestInterval): Content<AmnestyRequestIntervalRow> => ({
  requestId: r.requestId,
  status: r.status,
  filedOn: r.filedOn,
  dueOn: r.dueOn,
  validFrom: r.from,
  validTo: r.to ?? OPEN_DAY,
});

/** Every row a history projects to, keyed by table and content. */
export function historyRows(history: CaseHistory): Map<string, HistoryRow> {
  const rows = new Map<string, HistoryRow>();
  const add = (table: HistoryTable, content: AnyContent) => rows.set(diffKey(table, content), { table, content });
  for (const i of history.intervals) add('status_intervals', interval(i));
  for (const f of history.flows) add('flow_facts', flow(f));
  for (const r of history.requests) add('amnesty_request_intervals', request(r));
  return rows;
}
