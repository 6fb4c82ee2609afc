import type { AmnestyRequestInterval, CaseHistory, FlowFact, StatusInterval } from '#domain';
import {
  OPEN_DAY,
  type AmnestyRequestIntervalRow,
  type FlowFactRow,
  type StatusIntervalRow,
} from '../schema/read-model.entities.js';

/** The content of a history row without its transaction-time columns; its JSON is its identity. */
type Content<R> = Omit<R, 'id' | 'caseId' | 'scope' | 'rowKey' | 'recordedFrom' | 'recordedFromPosition' | 'recordedTo' | 'recordedToPosition'>;

export type HistoryTable = 'status_intervals' | 'flow_facts' | 'amnesty_request_intervals';
export interface HistoryRow {
  table: HistoryTable;
  rowKey: string;
  content: Content<StatusIntervalRow> | Content<FlowFactRow> | Content<AmnestyRequestIntervalRow>;
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

/** Every row a history projects to, keyed by `<table>:<content>`. */
export function historyRows(history: CaseHistory): Map<string, HistoryRow> {
  const rows = new Map<string, HistoryRow>();
  const add = (table: HistoryTable, content: HistoryRow['content']) => {
    const rowKey = JSON.stringify(content);
    rows.set(`${table}:${rowKey}`, { table, rowKey, content });
  };
  for (const i of history.intervals) add('status_intervals', interval(i));
  for (const f of history.flows) add('flow_facts', flow(f));
  for (const r of history.requests) add('amnesty_request_intervals', request(r));
  return rows;
}
