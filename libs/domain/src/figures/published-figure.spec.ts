import { DomainError, DomainErrorCode } from '../errors.js';
import { decidePublishFigure, type PublishFigure } from './published-figure.js';

const now = new Date('2026-01-27T12:00:00Z');
const figure = (over: Partial<PublishFigure['data']> = {}): PublishFigure => ({
  type: 'PublishFigure',
  data: { figureId: 'f1', source: { kind: 'government', name: 'Delcy Rodríguez' }, metric: 'releases', value: 626, since: '2026-01-08', asOf: '2026-01-23', reference: null, ...over },
});

describe('publishing a figure', () => {
  it('records the figure as published', () => {
    expect(decidePublishFigure(figure(), { now, timeZone: 'America/Caracas' })).toEqual([{ type: 'FigurePublished', data: figure().data }]);
  });
  it.each([
    [{ asOf: '2026-01-28' }, DomainErrorCode.OccurredInFuture, 'asOf'],
    [{ asOf: '2026-02-30' }, DomainErrorCode.InvalidDate, 'asOf'],
    [{ since: '2026-01-24' }, DomainErrorCode.InvalidDate, 'since'],
  ])('rejects %j', (over, code, field) => {
    let error: unknown;
    try {
      decidePublishFigure(figure(over), { now, timeZone: 'America/Caracas' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code, details: { field } });
  });
});
