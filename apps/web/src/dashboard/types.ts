// The statistics answers the dashboard reads (see apps/api/src/statistics/**): counts only, never a name.
export const STATUSES = ['detained', 'disappeared', 'house_arrest', 'conditional_release', 'released', 'deceased'] as const;
export type Status = (typeof STATUSES)[number];
export const DEPRIVED: readonly Status[] = ['detained', 'disappeared', 'house_arrest'];
export type StatusCounts = Record<Status, number>;

export interface Breakdowns {
  foreignNationals: number;
  whereaboutsUnknown: number;
  women: number;
  men: number;
  civilians: number;
  military: number;
  adults: number;
  minors: number;
  onHungerStrike: number;
}

export interface GroupCount {
  group: Record<string, string | number | boolean | null>;
  counts: StatusCounts;
  deprivedOfLiberty: number;
}

export interface StatsAnswer {
  asOf: string;
  knownAt: string;
  position: number;
  headHash: string;
  counts: StatusCounts;
  deprivedOfLiberty: number;
  breakdowns: Breakdowns;
  groups?: GroupCount[];
}

export interface Flows {
  detentions: number;
  releases: { total: number; conditional: number; byLegalBasis: Record<string, number | undefined> };
  reArrests: number;
  houseArrests: number;
  disappearances: number;
  whereaboutsConfirmed: number;
  transfers: number;
  deaths: number;
  conditionsLifted: number;
  presentationsMissed: number;
  amnesty: { requested: number; granted: number; denied: number; appealed: number };
}

export type Step = 'day' | 'week' | 'month';

/** What the dashboard shows: a day, the earlier day it compares with (the charts' start), a known-at instant, a step. */
export interface DashboardQuery {
  asOf: string;
  since: string;
  knownAt: string | undefined;
  step: Step;
  stepChoice: Step | 'auto';
}

export interface SeriesAnswer {
  from: string;
  to: string;
  step: Step;
  knownAt: string;
  position: number;
  headHash?: string;
  points: { day: string; counts: StatusCounts; deprivedOfLiberty: number; flows: Flows }[];
}

export interface ReconciledFigure {
  figureId: string;
  source: { kind: string; name: string };
  value: number;
  since: string | null;
  asOf: string;
  reference: string | null;
  confirmedNamedCases: number;
  gap: number;
}

export interface ReconciliationAnswer {
  since: string;
  asOf: string;
  knownAt: string;
  position?: number;
  headHash?: string;
  confirmedNamedCases: number;
  figures: ReconciledFigure[];
}

export interface PublishedFigure {
  figureId: string;
  sourceKind: string;
  sourceName: string;
  metric: string;
  value: number;
  since: string | null;
  asOf: string;
  reference: string | null;
  recordedAt: string;
  position: number;
}

export interface AmnestyAnswer {
  asOf: string;
  knownAt: string;
  position: number;
  headHash: string;
  limitDays?: number;
  filed: number;
  pending: number;
  overdue: number;
  granted: number;
  denied: number;
  appealed: number;
}

/** Where a panel's numbers came from: its own log position, and the chain head hash when known for that position. */
export interface Origin {
  position: number | null;
  headHash: string | null;
}
