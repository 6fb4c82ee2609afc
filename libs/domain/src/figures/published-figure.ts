import { DomainError, DomainErrorCode } from '../errors.js';
import { dayOfInstant, isValidOccurredOn, type IsoDay } from '../shared/dates.js';
import type { Source } from '../case/events.js';

/**
 * A figure that a source published without names (a government's "626 released", an NGO's "154
 * confirmed"). Recorded as it was published, in a stream of its own, so it can be set beside the
 * count of named cases for the same window.
 */
export const FIGURE_METRICS = ['releases', 'deprived_of_liberty', 'amnesty_releases', 'amnesty_requests', 'conditions_lifted'] as const;
export type FigureMetric = (typeof FIGURE_METRICS)[number];

export interface FigurePublished {
  type: 'FigurePublished';
  data: {
    figureId: string;
    source: Source;
    metric: FigureMetric;
    value: number;
    /** Start of the window the figure counts (e.g. releases since 8 January); null for a stock. */
    since: IsoDay | null;
    /** The day the figure speaks for. */
    asOf: IsoDay;
    reference: string | null;
  };
}

export const FIGURE_EVENT_SCHEMA_VERSIONS = { FigurePublished: 1 } as const;
export const FIGURE_STREAM_PREFIX = 'figure-';

export interface PublishFigure {
  type: 'PublishFigure';
  data: FigurePublished['data'];
}

/** A figure is validated once, when recorded; it is then never changed. */
export function decidePublishFigure(command: PublishFigure, context: { now: Date; timeZone: string }): FigurePublished[] {
  const { data } = command;
  const today = dayOfInstant(context.now, context.timeZone);
  const invalid = (field: string, message: string) => new DomainError(DomainErrorCode.InvalidDate, message, { field });
  if (!isValidOccurredOn(data.asOf) || data.asOf.length !== 10) throw invalid('asOf', 'asOf must be a real date (YYYY-MM-DD)');
  if (data.asOf > today) throw new DomainError(DomainErrorCode.OccurredInFuture, `asOf ${data.asOf} is in the future`, { field: 'asOf' });
  if (data.since !== null) {
    if (!isValidOccurredOn(data.since) || data.since.length !== 10) throw invalid('since', 'since must be a real date (YYYY-MM-DD)');
    if (data.since > data.asOf) throw invalid('since', 'since must not be after asOf');
  }
  return [{ type: 'FigurePublished', data }];
}
