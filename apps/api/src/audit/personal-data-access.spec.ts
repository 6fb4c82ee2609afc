import { caseIdsIn } from './personal-data-access.js';

describe('which cases an answer discloses', () => {
  it('finds the case of a single answer and of every listed item', () => {
    expect(caseIdsIn({ caseId: 'a', events: [{ eventId: 'x' }] })).toEqual(['a']);
    expect(caseIdsIn({ total: 2, items: [{ caseId: 'b' }, { caseId: 'c' }] })).toEqual(['b', 'c']);
    expect(caseIdsIn({ due: [{ caseId: 'd' }], missed: [{ caseId: 'e' }, { caseId: 'd' }] })).toEqual(['d', 'e']);
    expect(caseIdsIn([{ caseId: 'f' }])).toEqual(['f']);
  });
  it('finds nothing in an answer without cases', () => {
    expect(caseIdsIn({ counts: { detained: 3 } })).toEqual([]);
    expect(caseIdsIn(null)).toEqual([]);
  });
});
