import { parseBoolean, parseNationalities, parseReleaseConditions, parseSource, parseText } from './fields.js';

describe('release conditions', () => {
  it('reads report:N, speech, travel and other:text, separated by ;', () => {
    expect(parseReleaseConditions('report:30;speech;travel')).toEqual({
      value: { reportEveryDays: 30, speechRestriction: true, travelBan: true, other: null },
    });
    expect(parseReleaseConditions(' report:15 ; other:no contact with the press ')).toEqual({
      value: { reportEveryDays: 15, speechRestriction: false, travelBan: false, other: 'no contact with the press' },
    });
    expect(parseReleaseConditions('speech')).toEqual({ value: { reportEveryDays: null, speechRestriction: true, travelBan: false, other: null } });
    expect(parseReleaseConditions('TRAVEL|Speech')).toEqual({ value: { reportEveryDays: null, speechRestriction: true, travelBan: true, other: null } });
  });

  it('reads an empty cell as a full release (no conditions)', () => {
    expect(parseReleaseConditions('')).toEqual({ value: null });
    expect(parseReleaseConditions(' ; ')).toEqual({ value: null });
  });

  it('rejects what it does not know, bad periods, values where none belong, and repeats', () => {
    expect(parseReleaseConditions('report:30;curfew')).toEqual({
      error: 'unknown condition "curfew" (use report:N, speech, travel, other:text; separate them with ;)',
    });
    expect(parseReleaseConditions('report:0').error).toBe('"report:0" must be report:N with N a whole number of days from 1 to 365');
    expect(parseReleaseConditions('report:366').error).toBe('"report:366" must be report:N with N a whole number of days from 1 to 365');
    expect(parseReleaseConditions('report:7.5').error).toBe('"report:7.5" must be report:N with N a whole number of days from 1 to 365');
    expect(parseReleaseConditions('report').error).toBe('"report" must be report:N with N a whole number of days from 1 to 365');
    expect(parseReleaseConditions('speech:yes').error).toBe('"speech:yes" takes no value (write speech)');
    expect(parseReleaseConditions('other:').error).toBe('"other:" must be other:text');
    expect(parseReleaseConditions('speech;speech').error).toBe('"speech" is given twice');
  });
});

describe('other cells', () => {
  it('nationalities: alpha-2 codes separated by | or ;, upper-cased, each once', () => {
    expect(parseNationalities('es|VE')).toEqual({ value: ['ES', 'VE'] });
    expect(parseNationalities('IT; VE ;it')).toEqual({ value: ['IT', 'VE'] });
    expect(parseNationalities('VE,CO').error).toBe('"VE,CO" is not an ISO 3166-1 alpha-2 country code');
    expect(parseNationalities('VE|XX').error).toBe('"XX" is not an ISO 3166-1 alpha-2 country code');
    expect(parseNationalities('|').error).toBe('at least one ISO 3166-1 alpha-2 code is required (several separated by | or ;)');
    expect(parseNationalities('VE|CO|ES|IT|PT|AR').error).toBe('at most 5 nationalities');
  });

  it('booleans, sources and free text', () => {
    expect(parseBoolean('TRUE')).toEqual({ value: true });
    expect(parseBoolean('false')).toEqual({ value: false });
    expect(parseBoolean('yes')).toEqual({ error: '"yes" must be true or false' });
    expect(parseSource('ngo:Foro Penal')).toEqual({ value: { kind: 'ngo', name: 'Foro Penal', reference: null } });
    expect(parseSource('media: El Nacional: live')).toEqual({ value: { kind: 'media', name: 'El Nacional: live', reference: null } });
    expect(parseSource('')).toEqual({ value: null });
    expect(parseSource('Foro Penal').error).toBe('"Foro Penal" must be kind:name with kind one of ngo, government, family, lawyer, media, international-body, other');
    expect(parseSource('press:El País').error).toMatch(/^"press:El País" must be kind:name/);
    expect(parseSource('ngo:').error).toMatch(/^"ngo:" must be kind:name/);
    expect(parseText('x'.repeat(200))).toEqual({ value: 'x'.repeat(200) });
    expect(parseText('x'.repeat(201))).toEqual({ error: 'must be at most 200 characters' });
  });
});
