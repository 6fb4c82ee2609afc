import { parseCsv } from '../import/csv-parser.js';
import { csvCell, csvLine, neutraliseFormula } from './csv-writer.js';
import { CSV_COLUMNS, csvRecordOf } from './export-format.js';

describe('CSV export escaping', () => {
  it('neutralises cells a spreadsheet would run as formulas by prefixing a single quote', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+58 212 555')).toBe("'+58 212 555");
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(neutraliseFormula('a=b')).toBe('a=b');
    expect(neutraliseFormula(" =1")).toBe(' =1');
  });

  it('quotes fields with commas, quotes or line breaks (RFC 4180), and leaves others as they are', () => {
    expect(csvCell('San Miguel, Rocío')).toBe('"San Miguel, Rocío"');
    expect(csvCell('Juan "El Gocho" Pérez')).toBe('"Juan ""El Gocho"" Pérez"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('El Helicoide')).toBe('El Helicoide');
    expect(csvCell('')).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(30)).toBe('30');
  });

  it('writes CRLF-terminated records that the parser reads back to the same text (formula prefix aside)', () => {
    const values = ['a,b', 'say "hi"', 'x\r\ny', '', 'plain', '=1+1'];
    const line = csvLine(values);
    expect(line).toBe('"a,b","say ""hi""","x\r\ny",,plain,\'=1+1\r\n');
    expect(parseCsv(line)).toEqual([{ line: 1, fields: ['a,b', 'say "hi"', 'x\r\ny', '', 'plain', "'=1+1"] }]);
  });

  it('exports a case as one record in the order of the header', () => {
    expect(csvLine(CSV_COLUMNS)).toBe('case_id,name,name_withheld,nationalities,gender,minor,military,external_reference,status,status_since,facility\r\n');
    const record = csvRecordOf({
      caseId: '0b0e5a52-0000-5000-8000-000000000000',
      fullName: '=cmd|" /C calc"!A0',
      nameWithheld: false,
      nationalities: ['ES', 'VE'],
      gender: 'female',
      minor: false,
      military: false,
      externalReference: null,
      status: 'conditional_release',
      statusSince: '2026-01-08',
      facility: null,
    });
    expect(record).toBe(`0b0e5a52-0000-5000-8000-000000000000,"'=cmd|"" /C calc""!A0",false,ES|VE,female,false,false,,conditional_release,2026-01-08,\r\n`);
  });
});
