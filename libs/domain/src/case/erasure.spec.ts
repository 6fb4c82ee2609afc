import { DomainErrorCode as E } from '../errors.js';
import { caseDecider } from './decider.js';
import type { CaseEvent } from './events.js';
import { historyOf } from './history.js';
import type { OpenedCase } from './state.js';
import { specFor } from '../testing/decider-specification.js';
import { CASE_ID, cmd, ev, facts } from '../testing/fixtures.js';

const NOW = new Date('2026-03-01T16:00:00Z');
const spec = specFor(caseDecider(), NOW);
const history: CaseEvent[] = [ev.opened(), ev.detained('2025-01-07'), ev.released('2026-01-08')];
const erase = { type: 'ErasePersonalData', caseId: CASE_ID, data: { reason: 'request of the family (ticket 12)' } } as const;
const erased: CaseEvent = { type: 'PersonalDataErased', data: { reason: 'request of the family (ticket 12)' }, personal: null, facts: facts('2026-03-01', { source: null }) };

describe('erasing personal data', () => {
  it('records PersonalDataErased, dated today, with the reason and no personal data', () => {
    spec.given(history).when(erase).then([erased]);
  });

  it('answers CASE_NOT_FOUND for a case that does not exist', () => {
    spec.given([]).when(erase).thenThrows(E.CaseNotFound);
  });

  it('refuses a second erasure', () => {
    spec.given([...history, erased]).when(erase).thenThrows(E.PersonalDataErased, { erasureEventId: 'e4' });
  });

  it('leaves the timeline, the standing and the history as they were', () => {
    const before = spec.given(history).state as OpenedCase;
    const after = spec.given(history).when(erase).thenState() as OpenedCase;
    expect(after.situation).toEqual(before.situation);
    expect(after.timeline).toEqual(before.timeline);
    expect(historyOf(after, 'all', { timeZone: 'America/Caracas' })).toEqual(historyOf(before, 'all', { timeZone: 'America/Caracas' }));
    expect(after.anomalies).toEqual([]);
  });

  it('cannot be retracted or confirmed', () => {
    spec.given([...history, erased]).when(cmd.retract('e4')).thenThrows(E.EventNotCorrectable);
    spec.given([...history, erased]).when(cmd.confirm('e4')).thenThrows(E.EventNotCorrectable);
  });

  it('afterwards accepts events without personal data, and refuses any with some', () => {
    const given = spec.given([...history, erased]);
    expect((given.when(cmd.reArrest('2026-02-01')).thenState() as OpenedCase).situation.standing).toBe('detained');
    given.when({ ...cmd.reArrest('2026-02-01'), personal: { notes: null } } as never).thenState();
    given.when({ ...cmd.reArrest('2026-02-01'), personal: { notes: 'taken at home' } } as never).thenThrows(E.PersonalDataErased);
    given.when({ ...cmd.requestAmnesty('2026-02-01'), personal: { lawyerName: 'A. Lawyer' } } as never).thenThrows(E.PersonalDataErased);
  });
});
