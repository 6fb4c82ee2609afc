/**
 * A deterministic, seeded generator of realistic case histories.
 *
 * Each case is drawn from its own generator (seeded by the run's seed and the case's index), so case
 * i is the same whatever the size of the run. A case is made in two passes, both driven by the real
 * decider (`caseDecider()` from '#domain'), keeping only what it accepts:
 *
 *  1. Valid time. A walk through the transition table from a first detention: transfers, releases
 *     with and without conditions, presentations, re-arrests, house arrest, disappearances and
 *     reappearances, charges, hunger strikes, amnesty requests with decisions (and appeals) due
 *     within 15 days, and now and then a death in custody. Each step proposes what is plausible
 *     from where the person stands; a proposal the rules refuse is dropped.
 *  2. Transaction time. Each world event gets a recording instant: the day it happened plus a
 *     reporting delay (most the same day or within days, some weeks later), or just after the
 *     case was opened when it is opened late and its past is filled in. Commands are then decided
 *     again in recording order with the clock at that instant, so a late report is a real backdated
 *     event, and corrections are recorded: confirmations of `reported` events, retractions (some
 *     followed by the same fact re-recorded with the right date). What the decider refuses in
 *     this order (a late report that no longer fits) is dropped too.
 *
 * The output is stored-event envelopes (`NewEvent`, encoded with `encodeCaseEvent`): one append per
 * command in global recording order (with the recording instant to give the store's clock), and,
 * for bulk imports, one append per case.
 */
import { caseStreamId, encodeCaseEvent } from '#application';
import {
  addDays,
  caseDecider,
  DomainError,
  dayOf,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type EventFacts,
  type ExcludedOffence,
  type RecordedCaseEvent,
  type ReleaseConditions,
  type Source,
} from '#domain';
import type { NewEvent } from '#event-store';
import { mixSeed, Rng } from './prng.js';

/** The simulated "today": nothing is recorded after it. */
export const SIMULATION_END = '2026-10-31T22:00:00.000Z';
export const SIMULATION_END_DAY = '2026-10-31';
export const TIME_ZONE = 'America/Caracas';

export interface PlannedAppend {
  caseIndex: number;
  streamId: string;
  expectedVersion: number;
  commandId: string;
  /** The simulated recording instant: the store's clock reads it during this append. */
  recordedAt: string;
  events: NewEvent[];
}

export interface DatasetStats {
  cases: number;
  events: number;
  commandAppends: number;
  eventsPerCase: { min: number; mean: number; max: number };
  byType: Record<string, number>;
  /** World events recorded after an event of the same case with a later valid day. */
  backdated: number;
  /** World events recorded on a later calendar day than they happened. */
  recordedLate: number;
  reported: number;
  retractions: number;
  confirmations: number;
  /** Commands the decider refused (dropped): proposals in valid-time order, then in recording order. */
  refusedProposals: number;
  refusedInRecordingOrder: number;
  firstRecordedAt: string;
  lastRecordedAt: string;
}

export interface Dataset {
  seed: number;
  /** One append per command, in global recording order. */
  appends: PlannedAppend[];
  stats: DatasetStats;
}

const decider = caseDecider({ timeZone: TIME_ZONE });

// --- vocabulary ----------------------------------------------------------------------------------

const PRISONS = [
  'El Helicoide',
  'Rodeo I',
  'Rodeo II',
  'Tocorón',
  'Tocuyito',
  'Yare III',
  'La Tumba (SEBIN Plaza Venezuela)',
  'DGCIM Boleíta',
  'Zona 7 de Boleíta',
  'Fuerte Tiuna',
  'Ramo Verde',
  'INOF (Los Teques)',
  'Uribana',
  'El Dorado',
  'Centro Penitenciario de Occidente',
];
const AUTHORITIES = ['SEBIN', 'DGCIM', 'PNB', 'GNB', 'CICPC', 'DAET', 'FAES'];
const CHARGES = [
  'terrorism',
  'treason',
  'incitement to hatred',
  'conspiracy',
  'criminal association',
  'financing of terrorism',
  'rebellion',
  'instigation to commit a crime',
  'obstruction of public roads',
  'military rebellion',
];
const EXCLUDED: readonly ExcludedOffence[] = ['homicide', 'drug_trafficking', 'corruption', 'grave_human_rights_violations', 'armed_actions_promoted_by_foreign_states'];
const TRIBUNALS = ['Tribunal 1° de Control (terrorismo)', 'Tribunal 2° de Control (terrorismo)', 'Tribunal 4° de Juicio', 'Corte de Apelaciones', null];
const SOURCES: readonly (readonly [Source, number])[] = [
  [{ kind: 'ngo', name: 'Foro Penal', reference: null }, 40],
  [{ kind: 'ngo', name: 'Justicia, Encuentro y Perdón', reference: null }, 12],
  [{ kind: 'ngo', name: 'Provea', reference: null }, 8],
  [{ kind: 'family', name: 'family member', reference: null }, 14],
  [{ kind: 'lawyer', name: 'defence lawyer', reference: null }, 10],
  [{ kind: 'government', name: 'Ministerio Público', reference: null }, 6],
  [{ kind: 'media', name: 'Efecto Cocuyo', reference: null }, 5],
  [{ kind: 'international-body', name: 'UN Fact-Finding Mission', reference: null }, 2],
  [{ kind: 'other', name: 'social media report', reference: null }, 3],
];
const ACTORS = ['maria', 'jose', 'ana', 'luis', 'carmen', 'pedro', 'gabriela', 'rafael', 'isabel', 'andres', 'valentina', 'miguel'];
const FIRST_NAMES = ['José', 'María', 'Luis', 'Ana', 'Carlos', 'Carmen', 'Jesús', 'Rosa', 'Juan', 'Yolanda', 'Pedro', 'Gabriela', 'Rafael', 'Daniela', 'Miguel', 'Andreína', 'Freddy', 'Yusmary', 'Wilmer', 'Rocío'];
const LAST_NAMES = ['González', 'Rodríguez', 'Pérez', 'Hernández', 'García', 'Martínez', 'López', 'Sánchez', 'Ramírez', 'Díaz', 'Torres', 'Rojas', 'Guerrero', 'Medina', 'Contreras', 'Márquez', 'Villegas', 'Suárez'];
const NATIONALITIES: readonly (readonly [string[], number])[] = [
  [['VE'], 90],
  [['VE', 'ES'], 3],
  [['VE', 'CO'], 2],
  [['CO'], 1.5],
  [['VE', 'IT'], 1],
  [['US'], 0.5],
  [['VE', 'PT'], 1],
  [['AR'], 0.3],
  [['PE'], 0.4],
  [['DE'], 0.3],
];
const CITIES = ['Caracas', 'Maracaibo', 'Valencia', 'Barquisimeto', 'Mérida', 'San Cristóbal', 'Barcelona', 'Maturín', 'Ciudad Bolívar'];
const NOTES = [
  'taken from home at night without a warrant',
  'family not allowed to visit',
  'lawyer denied access to the file',
  'health deteriorating; no medical care reported',
  'reported by cellmates',
  'confirmed by the family after a visit',
];

/** Waves of arrests: the day of a first detention is drawn from one of these windows. */
const DETENTION_WAVES: readonly (readonly [[string, number], number])[] = [
  [['2018-01-01', 730], 8], // 2018-2019
  [['2020-01-01', 1277], 16], // 2020 to mid-2023
  [['2023-07-01', 360], 8],
  [['2024-07-28', 70], 30], // after the presidential election
  [['2024-10-06', 450], 18],
  [['2026-01-01', 303], 20], // January 2026 and after
];

// --- helpers -------------------------------------------------------------------------------------

const isoDay = (d: string) => d.slice(0, 10);
/** An instant on `day` between 09:00 and 19:00 Caracas time (13:00-23:00 UTC), plus `extraMinutes`. */
function instantOn(day: string, rng: Rng, extraMinutes = 0): number {
  return Date.parse(`${day}T13:00:00.000Z`) + (rng.int(0, 600) + extraMinutes) * 60_000 + rng.int(0, 59_999);
}

function factsFor(rng: Rng, day: string, opts: { reportedShare?: number } = {}): EventFacts {
  const precision = rng.weighted<EventFacts['datePrecision']>([
    ['day', 94],
    ['month', 5],
    ['year', 1],
  ]);
  // Some reports carry the hour (an ISO date-time with Caracas' offset).
  const occurredOn = precision === 'day' && rng.chance(0.05) ? `${day}T${String(rng.int(6, 20)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00-04:00` : day;
  return {
    occurredOn,
    datePrecision: precision,
    source: rng.weighted(SOURCES),
    verification: rng.chance(opts.reportedShare ?? 0.15) ? 'reported' : 'confirmed',
  };
}

const notes = (rng: Rng) => (rng.chance(0.2) ? { notes: rng.pick(NOTES) } : null);

function conditions(rng: Rng): ReleaseConditions {
  return {
    reportEveryDays: rng.weighted<number | null>([
      [30, 60],
      [15, 15],
      [8, 5],
      [null, 20],
    ]),
    speechRestriction: rng.chance(0.7),
    travelBan: rng.chance(0.6),
    other: rng.chance(0.1) ? 'no contact with the media' : null,
  };
}

function drawDetentionDay(rng: Rng): string {
  const [start, span] = rng.weighted(DETENTION_WAVES);
  const day = addDays(start, rng.int(0, span));
  const latest = addDays(SIMULATION_END_DAY, -2); // leaves time to open the case before "today"
  return day > latest ? latest : day;
}

type Cmd = CaseCommand;
type Proposal = { day: string; command: Cmd; then?: (accepted: boolean) => void };

// --- pass 1: a walk through valid time -----------------------------------------------------------

interface WalkResult {
  open: Extract<Cmd, { type: 'OpenCase' }>;
  world: { day: string; command: Cmd }[];
  refused: number;
}

function walk(rng: Rng, caseId: string): WalkResult {
  const detentionDay = drawDetentionDay(rng);
  const nameWithheld = rng.chance(0.05);
  const open: Extract<Cmd, { type: 'OpenCase' }> = {
    type: 'OpenCase',
    caseId,
    source: rng.weighted(SOURCES),
    data: {
      nameWithheld,
      nationalities: rng.weighted(NATIONALITIES),
      gender: rng.weighted([
        ['male', 80],
        ['female', 18],
        ['other', 0.5],
        ['unknown', 1.5],
      ] as const),
      minor: rng.chance(0.02),
      affiliation: rng.chance(0.15) ? 'military' : 'civilian',
      externalReference: rng.chance(0.5) ? `FP-${rng.int(1000, 99999)}` : null,
    },
    personal: {
      fullName: nameWithheld ? null : `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)} ${rng.pick(LAST_NAMES)}`,
      birthYear: rng.chance(0.8) ? rng.int(1950, 2007) : null,
    },
    firstDetention: {
      facts: { ...factsFor(rng, detentionDay, { reportedShare: 0.1 }), occurredOn: detentionDay },
      data: { facility: rng.chance(0.8) ? rng.pick(PRISONS) : null, arrestingAuthority: rng.pick(AUTHORITIES), charges: rng.chance(0.6) ? [rng.pick(CHARGES)] : [] },
      personal: notes(rng),
    },
  };

  const now = new Date(SIMULATION_END);
  let state: CaseState = decider.initialState();
  let version = 0;
  const record = (events: CaseEvent[]) => {
    for (const e of events) {
      version += 1;
      state = decider.evolve(state, { ...e, eventId: `walk-${version}`, version, position: version, recordedAt: '' } as RecordedCaseEvent);
    }
  };
  record(decider.decide(open, state, { now }));

  const world: WalkResult['world'] = [];
  const scheduled: Proposal[] = [];
  let refused = 0;
  let day = detentionDay;
  let steps = rng.int(5, 17);
  const meanGap = rng.pick([12, 25, 45, 90]);
  let requestCount = 0;

  const base = (d: string) => ({ caseId, facts: factsFor(rng, d), personal: notes(rng) });
  const schedule = (p: Proposal) => scheduled.push(p);
  const amnestyDecision = (requestId: string, filedOn: string, pendingAppeal = false) => {
    const decisionDay = addDays(filedOn, rng.weighted([
      [rng.int(3, 15), 75],
      [rng.int(16, 60), 25], // late: past the 15 days the law gives
    ]));
    const granted = rng.chance(pendingAppeal ? 0.4 : 0.55);
    schedule({
      day: decisionDay,
      command: granted
        ? { type: 'DecideAmnesty', ...base(decisionDay), personal: null, data: { requestId, outcome: 'granted', tribunal: rng.pick(TRIBUNALS) } }
        : {
            type: 'DecideAmnesty',
            ...base(decisionDay),
            personal: null,
            data: {
              requestId,
              outcome: 'denied',
              tribunal: rng.pick(TRIBUNALS),
              reason: 'the offence is excluded from the amnesty',
              excludedOffence: rng.chance(0.6) ? rng.pick(EXCLUDED) : null,
            },
          },
      then: (accepted) => {
        if (!accepted) return;
        if (granted) {
          // A granted amnesty is usually followed by the release (or the lifting of conditions).
          const d = addDays(decisionDay, rng.int(0, 12));
          if (state.kind === 'opened' && state.situation.standing === 'conditional_release') {
            schedule({ day: d, command: { type: 'LiftConditions', ...base(d), data: { legalBasis: 'amnesty_law' } } });
          } else {
            schedule({ day: d, command: { type: 'RecordRelease', ...base(d), data: { legalBasis: 'amnesty_law', conditions: rng.chance(0.5) ? conditions(rng) : null, facility: null } } });
          }
        } else if (!pendingAppeal && rng.chance(0.35)) {
          const d = addDays(decisionDay, rng.int(2, 20));
          schedule({
            day: d,
            command: { type: 'AppealAmnesty', ...base(d), data: { requestId, appealedBy: rng.pick(['lawyer', 'defence', 'person'] as const) } },
            then: (ok) => ok && amnestyDecision(requestId, d, true),
          });
        }
      },
    });
  };

  const propose = (d: string): Proposal | 'stop' | null => {
    if (state.kind !== 'opened') return 'stop';
    const s = state.situation;
    const anyPending = s.amnestyRequests.some((r) => r.status === 'pending' || r.status === 'appealed');
    const amnesty = (): Proposal => {
      const requestId = rng.uuid();
      requestCount += 1;
      return {
        day: d,
        command: {
          type: 'RequestAmnesty',
          ...base(d),
          personal: rng.chance(0.6) ? { lawyerName: `Abg. ${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}` } : null,
          data: { requestId, filedBy: rng.pick(['lawyer', 'person', 'prosecutor', 'defence'] as const), tribunal: rng.pick(TRIBUNALS) },
        },
        then: (ok) => ok && amnestyDecision(requestId, d),
      };
    };
    const release = (conditional: boolean): Proposal => ({
      day: d,
      command: {
        type: 'RecordRelease',
        ...base(d),
        data: {
          legalBasis: rng.pick(['government_announcement', 'court_order', 'court_order', 'sentence_served', 'other'] as const),
          conditions: conditional ? conditions(rng) : null,
          facility: s.facility,
        },
      },
    });
    const transfer = (): Proposal => ({ day: d, command: { type: 'RecordTransfer', ...base(d), data: { toFacility: rng.pick(PRISONS.filter((p) => p !== s.facility)) } } });
    const houseArrest = (): Proposal => ({ day: d, command: { type: 'RecordHouseArrest', ...base(d), data: { location: rng.pick(CITIES), orderedBy: rng.chance(0.5) ? rng.pick(TRIBUNALS) : null } } });
    const disappear = (): Proposal => ({
      day: d,
      command: { type: 'RecordDisappearance', ...base(d), data: { takenBy: rng.chance(0.5) ? rng.pick(AUTHORITIES) : 'unidentified armed men', lastSeenAt: rng.chance(0.5) ? rng.pick(CITIES) : null } },
    });
    const charges = (): Proposal => ({
      day: d,
      command: {
        type: 'RecordCharges',
        ...base(d),
        data: { charges: [rng.pick(CHARGES), ...(rng.chance(0.3) ? [rng.pick(CHARGES)] : [])], excludedOffences: rng.chance(0.08) ? [rng.pick(EXCLUDED)] : [], sentenced: rng.chance(0.1) },
      },
    });
    const hungerStrike = (): Proposal => ({
      day: d,
      command: { type: 'StartHungerStrike', ...base(d), data: {} },
      then: (ok) => {
        if (!ok) return;
        const end = addDays(d, rng.int(3, 40));
        schedule({ day: end, command: { type: 'EndHungerStrike', ...base(end), data: {} } });
      },
    });
    const death = (): Proposal => ({ day: d, command: { type: 'RecordDeath', ...base(d), data: { facility: s.facility } } });
    const reArrest = (): Proposal => ({
      day: d,
      command: { type: 'RecordReArrest', ...base(d), data: { facility: rng.chance(0.8) ? rng.pick(PRISONS) : null, arrestingAuthority: rng.pick(AUTHORITIES), charges: rng.chance(0.3) ? [rng.pick(CHARGES)] : [] } },
    });

    const pick = (options: [() => Proposal | 'stop', number][]) => rng.weighted(options)();
    switch (s.standing) {
      case 'detained':
        return pick([
          [transfer, 22],
          [() => release(true), 14],
          [() => release(false), 5],
          [houseArrest, 7],
          [disappear, 5],
          [charges, 12],
          [amnesty, anyPending || requestCount >= 3 ? 0 : 12],
          [hungerStrike, s.hungerStrikeSince === null ? 4 : 0],
          [death, 0.4],
        ]);
      case 'disappeared': {
        const whereabouts = (): Proposal => ({ day: d, command: { type: 'RecordWhereabouts', ...base(d), data: { facility: rng.pick(PRISONS) } } });
        return pick([
          [whereabouts, 55],
          [() => release(rng.chance(0.7)), 20],
          [houseArrest, 8],
          [amnesty, anyPending || requestCount >= 3 ? 0 : 5],
          [death, 1.5],
        ]);
      }
      case 'house_arrest':
        return pick([
          [() => release(true), 25],
          [() => release(false), 8],
          [transfer, 12],
          [disappear, 4],
          [amnesty, anyPending || requestCount >= 3 ? 0 : 14],
          [charges, 8],
          [hungerStrike, s.hungerStrikeSince === null ? 2 : 0],
        ]);
      case 'conditional_release': {
        const presentation = (): Proposal => ({
          day: d,
          command: { type: 'RecordPresentation', ...base(d), data: { outcome: rng.chance(0.88) ? 'attended' : 'missed', court: rng.pick(TRIBUNALS) } },
        });
        return pick([
          [presentation, s.conditions?.reportEveryDays != null ? 35 : 0],
          [() => ({ day: d, command: { type: 'LiftConditions', ...base(d), data: { legalBasis: rng.pick(['court_order', 'amnesty_law', null] as const) } } }), 10],
          [reArrest, 10],
          [houseArrest, 4],
          [disappear, 4],
          [amnesty, anyPending || requestCount >= 3 ? 0 : 10],
          [() => 'stop', 6],
        ]);
      }
      case 'released':
        return pick([
          [reArrest, 32],
          [disappear, 8],
          [() => 'stop', 45],
        ]);
      default:
        return 'stop';
    }
  };

  while (steps > 0 || scheduled.length > 0) {
    const next = addDays(day, 1 + Math.floor(rng.exponential(meanGap)));
    scheduled.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    let proposal: Proposal | 'stop' | null;
    if (scheduled.length > 0 && (scheduled[0]!.day <= next || steps <= 0)) {
      proposal = scheduled.shift()!;
    } else {
      proposal = propose(next);
      if (proposal === 'stop') {
        steps = 0;
        continue;
      }
      steps -= 1;
    }
    if (proposal === null) continue;
    if (proposal.day > SIMULATION_END_DAY) {
      if (scheduled.length === 0) break;
      continue;
    }
    day = proposal.day > day ? proposal.day : day;
    let accepted = false;
    try {
      record(decider.decide(proposal.command, state, { now }));
      world.push({ day: proposal.day, command: proposal.command });
      accepted = true;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refused += 1;
    }
    proposal.then?.(accepted);
  }
  return { open, world, refused };
}

// --- pass 2: recording order ---------------------------------------------------------------------

interface CaseOutput {
  appends: PlannedAppend[];
  refused: number;
  backdated: number;
  recordedLate: number;
  retractions: number;
  confirmations: number;
}

interface Queued {
  at: number;
  seq: number;
  command: () => Cmd | null;
  /** World events: their valid day, for the backdating statistics. */
  day?: string;
  onAccepted?: (events: RecordedCaseEvent[], at: number) => void;
}

const END_MS = Date.parse(SIMULATION_END);

function record(rng: Rng, caseIndex: number, caseId: string, walked: WalkResult): CaseOutput {
  const streamId = caseStreamId(caseId);
  const detentionDay = walked.open.firstDetention!.facts.occurredOn;
  // Most cases are opened within days of the arrest; some long after (the past is then filled in).
  const openDelay = rng.weighted([
    [rng.int(0, 3), 55],
    [rng.int(4, 30), 30],
    [rng.int(31, 365), 10],
    [rng.int(366, 1500), 5],
  ]);
  const openedAt = Math.min(instantOn(addDays(detentionDay, openDelay), rng), END_MS - 86_400_000);

  const out: CaseOutput = { appends: [], refused: 0, backdated: 0, recordedLate: 0, retractions: 0, confirmations: 0 };
  const queue: Queued[] = [];
  let seq = 0;
  const enqueue = (q: Omit<Queued, 'seq'>) => {
    if (q.at <= END_MS) queue.push({ ...q, seq: seq++ });
  };

  enqueue({ at: openedAt, command: () => walked.open });
  let backfillAt = openedAt;
  const openDay = isoDay(new Date(openedAt - 4 * 3_600_000).toISOString()); // Caracas is UTC-4
  for (const w of walked.world) {
    const occurredMs = w.command.type !== 'OpenCase' && 'facts' in w.command && w.command.facts.occurredOn.length > 10 ? Date.parse(w.command.facts.occurredOn) : 0;
    let at: number;
    if (w.day < openDay) {
      // Happened before the case was opened: filled in right after the opening.
      backfillAt += rng.int(1, 90) * 60_000;
      at = backfillAt;
    } else {
      const delay = rng.weighted([
        [0, 45],
        [rng.int(1, 3), 35],
        [rng.int(4, 14), 13],
        [rng.int(15, 90), 7],
      ]);
      at = Math.max(instantOn(addDays(w.day, delay), rng), occurredMs + 30 * 60_000, openedAt + 60_000);
    }
    const command = w.command;
    enqueue({ at, day: w.day, command: () => command, onAccepted: (events, when) => afterWorldEvent(events, command, when) });
  }

  const afterWorldEvent = (events: RecordedCaseEvent[], command: Cmd, at: number) => {
    const event = events[events.length - 1]!;
    if (event.facts.verification === 'reported' && rng.chance(0.45)) {
      enqueue({
        at: at + rng.int(1, 30) * 86_400_000 + rng.int(0, 600) * 60_000,
        command: () => ({ type: 'ConfirmEvent', caseId, data: { eventId: event.eventId, source: rng.weighted(SOURCES) } }),
        onAccepted: () => (out.confirmations += 1),
      });
    }
    if (command.type !== 'OpenCase' && rng.chance(0.03)) {
      const retractAt = at + rng.int(0, 20) * 86_400_000 + rng.int(5, 600) * 60_000;
      const wrongDate = rng.chance(0.5);
      enqueue({
        at: retractAt,
        command: () => ({
          type: 'RetractEvent',
          caseId,
          data: { eventId: event.eventId, reason: wrongDate ? 'recorded with the wrong date' : rng.pick(['duplicate report', 'the source withdrew the report', 'recorded on the wrong case']) },
        }),
        onAccepted: (_, when) => {
          out.retractions += 1;
          if (!wrongDate || !('facts' in command)) return;
          // The same fact recorded again, with the right date.
          const shifted = addDays(dayOf(command.facts.occurredOn, TIME_ZONE), rng.pick([-5, -3, -2, -1, 1, 2]));
          const fixed = { ...command, facts: { ...command.facts, occurredOn: shifted } } as Cmd;
          enqueue({ at: when + rng.int(1, 30) * 60_000, day: shifted, command: () => fixed });
        },
      });
    }
  };

  let state: CaseState = decider.initialState();
  let lastAt = 0;
  let maxWorldDay = '';
  while (queue.length > 0) {
    let best = 0;
    for (let i = 1; i < queue.length; i++) {
      const q = queue[i]!;
      const b = queue[best]!;
      if (q.at < b.at || (q.at === b.at && q.seq < b.seq)) best = i;
    }
    const item = queue.splice(best, 1)[0]!;
    const at = Math.max(item.at, lastAt + 1);
    const command = item.command();
    if (command === null) continue;
    let decided: CaseEvent[];
    try {
      decided = decider.decide(command, state, { now: new Date(at) });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      out.refused += 1;
      continue;
    }
    lastAt = at;
    const recordedAt = new Date(at).toISOString();
    const commandId = rng.uuid();
    const meta = { actor: rng.pick(ACTORS), commandId, correlationId: rng.uuid(), causationId: null };
    const expectedVersion = state.version;
    const envelopes = decided.map((e) => encodeCaseEvent(e, rng.uuid(), meta));
    const recorded: RecordedCaseEvent[] = [];
    decided.forEach((e, i) => {
      const r = { ...e, eventId: envelopes[i]!.eventId, version: state.version + 1, position: 0, recordedAt } as RecordedCaseEvent;
      state = decider.evolve(state, r);
      recorded.push(r);
    });
    for (const e of decided) {
      if (e.type === 'CaseOpened' || e.type === 'EventRetracted' || e.type === 'EventConfirmed') continue;
      const d = dayOf(e.facts.occurredOn, TIME_ZONE);
      if (d < maxWorldDay) out.backdated += 1;
      if (d < recordedAt.slice(0, 10)) out.recordedLate += 1;
      if (d > maxWorldDay) maxWorldDay = d;
    }
    out.appends.push({ caseIndex, streamId, expectedVersion, commandId, recordedAt, events: envelopes });
    item.onAccepted?.(recorded, at);
  }
  return out;
}

// --- the data set --------------------------------------------------------------------------------

export function generateCase(seed: number, caseIndex: number): CaseOutput & { refusedProposals: number } {
  const rng = new Rng(mixSeed(seed, caseIndex));
  const caseId = rng.uuid();
  const walked = walk(rng, caseId);
  return { ...record(rng, caseIndex, caseId, walked), refusedProposals: walked.refused };
}

export function generateDataset(options: { cases: number; seed: number }): Dataset {
  const appends: PlannedAppend[] = [];
  const byType: Record<string, number> = {};
  let backdated = 0;
  let recordedLate = 0;
  let retractions = 0;
  let confirmations = 0;
  let refusedProposals = 0;
  let refusedInRecordingOrder = 0;
  let minPerCase = Number.POSITIVE_INFINITY;
  let maxPerCase = 0;
  let events = 0;
  let reported = 0;
  for (let i = 0; i < options.cases; i++) {
    const c = generateCase(options.seed, i);
    let n = 0;
    for (const a of c.appends) {
      appends.push(a);
      for (const e of a.events) {
        byType[e.type] = (byType[e.type] ?? 0) + 1;
        if (e.metadata.verification === 'reported') reported += 1;
        n += 1;
      }
    }
    events += n;
    minPerCase = Math.min(minPerCase, n);
    maxPerCase = Math.max(maxPerCase, n);
    backdated += c.backdated;
    recordedLate += c.recordedLate;
    retractions += c.retractions;
    confirmations += c.confirmations;
    refusedProposals += c.refusedProposals;
    refusedInRecordingOrder += c.refused;
  }
  // Global recording order (ties: case index, then the case's own order, which the stable sort keeps).
  appends.sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : a.caseIndex - b.caseIndex));
  return {
    seed: options.seed,
    appends,
    stats: {
      cases: options.cases,
      events,
      commandAppends: appends.length,
      eventsPerCase: { min: minPerCase, mean: events / Math.max(1, options.cases), max: maxPerCase },
      byType: Object.fromEntries(Object.entries(byType).sort((a, b) => b[1] - a[1])),
      backdated,
      recordedLate,
      reported,
      retractions,
      confirmations,
      refusedProposals,
      refusedInRecordingOrder,
      firstRecordedAt: appends[0]?.recordedAt ?? '',
      lastRecordedAt: appends[appends.length - 1]?.recordedAt ?? '',
    },
  };
}

/** Bulk import: one append per case with all its events (in stream order), under one import command id. */
export function importAppends(dataset: Dataset): PlannedAppend[] {
  const byCase = new Map<number, PlannedAppend>();
  const rng = new Rng(mixSeed(dataset.seed, -1), 7);
  for (const a of dataset.appends) {
    let batch = byCase.get(a.caseIndex);
    if (!batch) {
      batch = { caseIndex: a.caseIndex, streamId: a.streamId, expectedVersion: 0, commandId: '', recordedAt: a.recordedAt, events: [] };
      byCase.set(a.caseIndex, batch);
    }
    batch.events.push(...a.events);
    batch.recordedAt = a.recordedAt;
  }
  const batches = [...byCase.values()].sort((a, b) => a.caseIndex - b.caseIndex);
  for (const b of batches) {
    b.commandId = rng.uuid();
    b.events = b.events.map((e) => ({ ...e, metadata: { ...e.metadata, commandId: b.commandId } }));
  }
  return batches;
}
