import { caseDecider, DomainError, DomainErrorCode, type CaseDecider, type OpenCase, type RecordRelease } from '#domain';
import { parseCsv } from './csv-parser.js';
import { decideInMemory, formatRowError, IMPORT_COLUMNS, type RowContext } from './import-row.js';
import { validateRecords } from './validate-file.js';

const HEADER = IMPORT_COLUMNS.join(',');
const ctx: RowContext = { now: new Date('2026-03-10T15:00:00Z'), timeZone: 'America/Caracas', decider: caseDecider({ timeZone: 'America/Caracas' }), idKey: Buffer.alloc(32, 1) };

/** name,nationalities,gender,minor,military,detention_date,facility,release_date,house_arrest_date,release_conditions,legal_basis,source,external_reference */
const ROCIO = 'Rocío San Miguel,ES|VE,female,false,false,2024-02-09,El Helicoide,2026-01-08,,report:30;speech,,ngo:Foro Penal,';
const SUPERLANO = 'Freddy Superlano,VE,male,,,2024-07-28,,2026-02-27,2026-02-08,,amnesty_law,,';

const validate = (rows: string[], header = HEADER) => validateRecords(parseCsv([header, ...rows].join('\r\n') + '\r\n'), ctx);
const report = async (rows: string[], header = HEADER) => (await validate(rows, header)).errors.map(formatRowError);

describe('validating import rows', () => {
  it('turns a valid row into an OpenCase with the first detention, then the later events in date order', async () => {
    const { rows, errors } = await validate([ROCIO, SUPERLANO, ',VE,unknown,true,true,2025-01-07,,,,,,,FP-9']);
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.line, r.commands.map((c) => c.command.type)])).toEqual([
      [2, ['OpenCase', 'RecordRelease']],
      [3, ['OpenCase', 'RecordHouseArrest', 'RecordRelease']],
      [4, ['OpenCase']],
    ]);
    const open = rows[0]!.commands[0]!.command as OpenCase;
    expect(open).toMatchObject({
      caseId: rows[0]!.caseId,
      source: { kind: 'ngo', name: 'Foro Penal' },
      data: { nameWithheld: false, nationalities: ['ES', 'VE'], gender: 'female', minor: false, affiliation: 'civilian', externalReference: null },
      personal: { fullName: 'Rocío San Miguel' },
      firstDetention: { facts: { occurredOn: '2024-02-09', datePrecision: 'day', verification: 'confirmed' }, data: { facility: 'El Helicoide' } },
    });
    const release = rows[0]!.commands[1]!.command as RecordRelease;
    expect(release.facts.occurredOn).toBe('2026-01-08');
    expect(release.data).toEqual({
      legalBasis: 'government_announcement',
      conditions: { reportEveryDays: 30, speechRestriction: true, travelBan: false, other: null },
      facility: 'El Helicoide',
    });
    expect((rows[1]!.commands[2]!.command as RecordRelease).data).toEqual({ legalBasis: 'amnesty_law', conditions: null, facility: null });
    const withheld = rows[2]!.commands[0]!.command as OpenCase;
    expect(withheld.data).toMatchObject({ nameWithheld: true, minor: true, affiliation: 'military', externalReference: 'FP-9' });
    expect(withheld.personal).toMatchObject({ fullName: null });
    expect(rows[2]!.identifiedBy).toBe('external_reference');
  });

  it('reports every bad field of every row as `line N: field: message`, with physical line numbers', async () => {
    const lines = await report([
      ROCIO,
      'Enrique Márquez,VE,male,,,,,2026-01-08,,,,,', // 3: no detention date
      'Ana,VE|XX,woman,maybe,,2024-02-30,,,,,,,', // 4: three bad fields and an unreal date
      '"Perkins\nRocha",VE,male,,,2024-08-02,,2024-08-01,2024-07-01,,,,', // 5-6: release and house arrest before the detention
      'Future,VE,male,,,2026-03-11,,,,,,,', // 7: tomorrow in Caracas
      'B,VE,female,,,2024-01-01,,,,report:30,court_order,press:El País,', // 8
      'C,VE,female,,,2024-01-01,,2025-01-01,,report:30;curfew,pardon,,', // 9
      'Too few,VE,male', // 10
      '"Broken"x,VE,male,,,2024-01-01,,,,,,,', // 11
    ]);
    expect(lines).toEqual([
      'line 3: detention_date: is required (YYYY-MM-DD)',
      'line 4: nationalities: "XX" is not an ISO 3166-1 alpha-2 country code',
      'line 4: gender: "woman" is not one of female, male, other, unknown',
      'line 4: minor: "maybe" must be true or false',
      'line 4: detention_date: 2024-02-30 is not a real date',
      'line 5: release_date: 2024-08-01 is before the detention on 2024-08-02',
      'line 5: house_arrest_date: 2024-07-01 is before the detention on 2024-08-02',
      'line 7: detention_date: 2026-03-11 is in the future (today is 2026-03-10)',
      'line 8: release_conditions: given without a release_date',
      'line 8: legal_basis: given without a release_date',
      'line 8: source: "press:El País" must be kind:name with kind one of ngo, government, family, lawyer, media, international-body, other',
      'line 9: release_conditions: unknown condition "curfew" (use report:N, speech, travel, other:text; separate them with ;)',
      'line 9: legal_basis: "pardon" is not one of amnesty_law, government_announcement, court_order, sentence_served, other',
      'line 10: row: expected 13 fields as in the header, found 3',
      'line 11: csv: a character after the closing quote of a field',
    ]);
  });

  it('counts the rows, skips blank lines, and keeps the valid rows apart from the invalid ones', async () => {
    const result = await validate([ROCIO, '', 'X,VE,male,,,,,,,,,,', ',,,,,,,,,,,,', SUPERLANO]);
    expect(result.headerOk).toBe(true);
    expect(result.dataRows).toBe(3);
    expect(result.rows.map((r) => r.line)).toEqual([2, 6]);
    expect([...result.invalidLines]).toEqual([4]);
  });

  it('reports a second row about the same person instead of merging it', async () => {
    const lines = await report([
      ROCIO,
      'rocío  SAN MIGUEL,VE;ES,female,,,2024-02-09,,,,,,,', // same name (any case), day and nationalities
      'A,VE,male,,,2024-01-01,,,,,,,FP-1',
      'B,CO,female,,,2023-01-01,,,,,,,FP-1',
    ]);
    expect(lines).toEqual([
      'line 3: name: the same person as line 2 (same name, detention_date and nationalities)',
      'line 5: external_reference: the same person as line 4 (same external_reference)',
    ]);
  });

  it('needs a usable header: known columns, each once, the required ones present, in any order and case', async () => {
    expect(await report([], 'Name,nationalities,GENDER,detention_date,nickname,gender')).toEqual([
      'line 1: header: unknown column "nickname" (columns: name, nationalities, gender, minor, military, detention_date, facility, release_date, house_arrest_date, release_conditions, legal_basis, source, external_reference)',
      'line 1: header: column "gender" appears twice',
    ]);
    expect(await report([], 'name,gender,facility')).toEqual(['line 1: header: missing column "nationalities"', 'line 1: header: missing column "detention_date"']);
    const reordered = await validate(['2024-02-09,female,ES|VE,Rocío San Miguel'], 'detention_date, Gender ,nationalities,name');
    expect(reordered.errors).toEqual([]);
    expect(reordered.rows[0]!.caseId).toBe((await validate([ROCIO])).rows[0]!.caseId);
    expect((await validateRecords(parseCsv(''), ctx)).errors.map(formatRowError)).toEqual(['line 1: header: the file is empty: a header row is required']);
  });

  it("runs the domain's decide over the row's commands and reports a rejection on the column of the rejected date", async () => {
    const real = caseDecider({ timeZone: 'America/Caracas' });
    const strict: CaseDecider = {
      ...real,
      decide: (command, state, context) => {
        if (command.type === 'RecordHouseArrest') throw new DomainError(DomainErrorCode.TransitionNotAllowed, 'HouseArrestImposed is not allowed while the person is released');
        return real.decide(command, state, context);
      },
    };
    const { errors } = await validateRecords(parseCsv(`${HEADER}\n${SUPERLANO}\n`), { ...ctx, decider: strict });
    expect(errors.map(formatRowError)).toEqual(['line 2: house_arrest_date: HouseArrestImposed is not allowed while the person is released (TRANSITION_NOT_ALLOWED)']);
  });

  it('decides in memory as the executor would: a second release of the same person is rejected by the domain', async () => {
    const { rows } = await validate([ROCIO]);
    const [open, release] = rows[0]!.commands;
    const again = { ...release!, command: { ...(release!.command as RecordRelease), facts: { ...(release!.command as RecordRelease).facts, occurredOn: '2026-01-09' } } };
    const decided = decideInMemory(ctx.decider, ctx.decider.initialState(), [open!, release!, again], ctx.now);
    expect(decided.error?.column).toBe('release_date');
    expect(decided.error?.error.code).toBe(DomainErrorCode.NotInCustody);
    expect(decided.state.version).toBe(3);
  });
});
