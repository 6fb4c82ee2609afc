// The shapes of the API answers these screens read (GET /api/cases, /api/cases/:id, /history, /events, the lists).

export type Standing = 'not_detained' | 'detained' | 'disappeared' | 'house_arrest' | 'conditional_release' | 'released' | 'deceased';

export const STATUS_FILTER_VALUES = [
  'deprived_of_liberty',
  'detained',
  'disappeared',
  'house_arrest',
  'conditional_release',
  'released',
  'deceased',
  'not_detained',
] as const;

export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export const AFFILIATIONS = ['civilian', 'military'] as const;
export const SOURCE_KINDS = ['ngo', 'government', 'family', 'lawyer', 'media', 'international-body', 'other'] as const;
export const VERIFICATIONS = ['confirmed', 'reported'] as const;
export const DATE_PRECISIONS = ['day', 'month', 'year'] as const;
export const RELEASE_LEGAL_BASES = ['amnesty_law', 'government_announcement', 'court_order', 'sentence_served', 'other'] as const;
export const AMNESTY_FILERS = ['lawyer', 'person', 'prosecutor', 'defence'] as const;
export const EXCLUDED_OFFENCES = ['homicide', 'drug_trafficking', 'corruption', 'grave_human_rights_violations', 'armed_actions_promoted_by_foreign_states'] as const;
export const PRESENTATION_OUTCOMES = ['attended', 'missed'] as const;
export const AMNESTY_OUTCOMES = ['granted', 'denied'] as const;
export const HUNGER_STRIKE_PHASES = ['started', 'ended'] as const;

export interface Source {
  kind: string;
  name: string;
  reference?: string | null;
}

export interface CaseListItem {
  caseId: string;
  fullName: string | null;
  nameErased?: true;
  nameWithheld: boolean;
  nationalities: string[];
  gender: string;
  minor: boolean;
  military: boolean;
  externalReference: string | null;
  status: Standing;
  statusSince: string | null;
  facility: string | null;
}

export interface CaseListResponse {
  asOf: string;
  knownAt: string;
  verification: 'all' | 'confirmed';
  page: number;
  pageSize: number;
  total: number;
  items: CaseListItem[];
}

export interface Placement {
  status: string;
  from: string;
  facility: string | null;
}

export interface CustodyPeriod {
  startedOn: string;
  endedOn: string | null;
  endedBy: string | null;
  releaseLegalBasis: string | null;
  ongoing: boolean;
  days: number;
  placements: Placement[];
}

export interface AmnestyRequestView {
  requestId: string;
  filedOn: string;
  filedBy: string;
  dueOn: string;
  status: string;
  decidedOn: string | null;
  deniedFor: string | null;
  daysOverdue: number;
}

export interface CaseView {
  caseId: string;
  version: number;
  asOf: string;
  knownAt: string | null;
  person: {
    fullName: string | null;
    personalDataErased: boolean;
    nameWithheld: boolean;
    nationalities: string[];
    gender: string;
    birthYear: number | null;
    minor: boolean;
    affiliation: string;
    externalReference: string | null;
  };
  status: Standing;
  statusSince: string | null;
  deprivedOfLiberty: boolean;
  facility: string | null;
  conditions: { reportEveryDays: number | null; speechRestriction: boolean; travelBan: boolean; other: string | null } | null;
  custody: { periods: CustodyPeriod[]; totalDays: number };
  openAmnestyRequests: AmnestyRequestView[];
  amnestyRequests: AmnestyRequestView[];
  charges: string[];
  excludedOffences: string[];
  sentenced: boolean;
  hungerStrikeSince: string | null;
  lastPresentation: unknown;
  missedPresentations: number;
  anomalies: unknown[];
}

export interface HistoryEvent {
  eventId: string;
  version: number;
  position: number;
  type: string;
  occurredOn: string;
  recordedAt: string;
  actor: string;
  source: Source | null;
  verification: 'confirmed' | 'reported';
  data: Record<string, unknown>;
  retracted: boolean;
  retractedBy: { eventId: string; recordedAt: string; actor: string; reason: string } | null;
  confirmedBy: { eventId: string; recordedAt: string; actor: string; source: Source } | null;
  countsOn: boolean;
}

export interface CaseHistory {
  caseId: string;
  asOf: string;
  knownAt: string;
  version: number;
  events: HistoryEvent[];
}

export interface StoredEvent {
  eventId: string;
  version: number;
  position: number;
  type: string;
  personal: Record<string, unknown> | null;
  hash?: string;
}

export interface CaseEvents {
  caseId: string;
  version: number;
  events: StoredEvent[];
}

export interface AmnestyRequestItem {
  caseId: string;
  fullName: string | null;
  nameErased?: true;
  requestId: string;
  status: string;
  filedOn: string;
  dueOn: string;
  daysOverdue: number;
  overdue: boolean;
}

export interface PresentationItem {
  caseId: string;
  fullName: string | null;
  nameErased?: true;
  reportEveryDays: number;
  lastReportedOn: string;
  dueOn: string;
}

export interface PresentationsDue {
  on: string;
  knownAt: string;
  due: PresentationItem[];
  missed: PresentationItem[];
}

/** The answer of every command route. */
export interface RecordedEvent {
  caseId: string;
  eventId?: string;
  version: number;
  position?: number;
  requestId?: string;
}
