import {
  daysBetween,
  isDeprivedOfLiberty,
  type AmnestyRequestState,
  type CaseView,
  type IsoDay,
} from '#domain';

/** How a case reads over HTTP: the fold's situation, with durations computed up to `asOf`. */
export function toCaseResponse(view: CaseView, asOf: IsoDay, knownAt: string | null, personalData: { personalDataErased: boolean } = { personalDataErased: false }) {
  const { state, situation } = view;
  const opened = state.opened;
  const periods = situation.custodyPeriods.map((p) => ({
    startedOn: p.startedOn,
    endedOn: p.endedOn,
    endedBy: p.endedBy,
    releaseLegalBasis: p.releaseLegalBasis,
    ongoing: p.endedOn === null,
    days: daysBetween(p.startedOn, p.endedOn ?? asOf),
    placements: p.placements,
  }));
  const request = (r: AmnestyRequestState) => ({
    ...r,
    daysOverdue: (r.status === 'pending' || r.status === 'appealed') && asOf > r.dueOn ? daysBetween(r.dueOn, asOf) : 0,
  });
  return {
    caseId: state.caseId,
    version: state.version,
    asOf,
    knownAt,
    person: {
      fullName: opened.personal?.fullName ?? null,
      /** The person's personal data was erased: `fullName` and `birthYear` read null for good. */
      personalDataErased: personalData.personalDataErased,
      nameWithheld: opened.data.nameWithheld,
      nationalities: opened.data.nationalities,
      gender: opened.data.gender,
      birthYear: opened.personal?.birthYear ?? null,
      minor: opened.data.minor,
      affiliation: opened.data.affiliation,
      externalReference: opened.data.externalReference,
    },
    status: situation.standing,
    statusSince: situation.since,
    deprivedOfLiberty: isDeprivedOfLiberty(situation.standing),
    facility: situation.facility,
    conditions: situation.conditions,
    custody: { periods, totalDays: periods.reduce((sum, p) => sum + p.days, 0) },
    openAmnestyRequests: situation.amnestyRequests.filter((r) => r.status === 'pending' || r.status === 'appealed').map(request),
    amnestyRequests: situation.amnestyRequests.map(request),
    charges: situation.charges,
    excludedOffences: situation.excludedOffences,
    sentenced: situation.sentenced,
    hungerStrikeSince: situation.hungerStrikeSince,
    lastPresentation: situation.lastPresentation,
    missedPresentations: situation.missedPresentations,
    anomalies: view.anomalies,
  };
}

export type CaseResponse = ReturnType<typeof toCaseResponse>;
