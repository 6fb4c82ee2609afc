import { CsvParser, csvRecords, isBlankRecord, parseCsv, type CsvRecord } from './csv-parser.js';

const fieldsOf = (records: CsvRecord[]) => records.map((r) => r.fields);

describe('the CSV parser (RFC 4180)', () => {
  it('splits plain fields and records, keeping empty fields', () => {
    expect(parseCsv('a,b,c\n1,,3\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '', '3'] },
    ]);
    expect(fieldsOf(parseCsv(',\n'))).toEqual([['', '']]);
  });

  it('reads quoted fields holding commas, doubled quotes and line breaks', () => {
    const text = 'name,notes\n"San Miguel, Rocío","she said ""no""\nthen left"\n"",x\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['name', 'notes'] },
      { line: 2, fields: ['San Miguel, Rocío', 'she said "no"\nthen left'] },
      { line: 4, fields: ['', 'x'] },
    ]);
  });

  it('counts physical lines: CRLF, LF and lone CR, inside quotes too', () => {
    const text = 'h\r\n"a\r\nb"\r\nc\rd\n"e\n\nf"\ng';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['h'] },
      { line: 2, fields: ['a\r\nb'] },
      { line: 4, fields: ['c'] },
      { line: 5, fields: ['d'] },
      { line: 6, fields: ['e\n\nf'] },
      { line: 9, fields: ['g'] },
    ]);
  });

  it('drops a byte-order mark and needs no final line break; a final line break makes no extra record', () => {
    expect(parseCsv('\uFEFFa,b\r\n1,2')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
    expect(parseCsv('a\r\n')).toHaveLength(1);
    expect(parseCsv('')).toEqual([]);
  });

  it('returns blank lines as blank records, which callers skip', () => {
    const records = parseCsv('a\n\n,,\nb\n');
    expect(records.map((r) => [r.line, isBlankRecord(r)])).toEqual([
      [1, false],
      [2, true],
      [3, true],
      [4, false],
    ]);
    expect(isBlankRecord({ line: 1, fields: [''], error: 'x' })).toBe(false);
  });

  it('reports syntax errors on the record where they happen and goes on with the next record', () => {
    const records = parseCsv('a,b\n"x"y,z\nq"r,s\n1,2\n"never\nclosed,3\n');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['xy', 'z'], error: 'a character after the closing quote of a field' },
      { line: 3, fields: ['q"r', 's'], error: 'a quote inside an unquoted field (enclose the field in quotes and double the quote)' },
      { line: 4, fields: ['1', '2'] },
      { line: 5, fields: ['never\nclosed,3\n'], error: 'a quoted field opened on line 5 is never closed' },
    ]);
  });

  it('gives the same records whatever the chunk boundaries (CRLF and "" split across chunks)', () => {
    const text = 'name,n\r\n"a ""b"", c",1\r\n"x\r\ny",2\r\nlast,3';
    const whole = parseCsv(text);
    for (let cut = 0; cut <= text.length; cut++) {
      for (const size of [1, 2, 3]) {
        const parser = new CsvParser();
        const records: CsvRecord[] = [...parser.push(text.slice(0, cut))];
        for (let i = cut; i < text.length; i += size) records.push(...parser.push(text.slice(i, i + size)));
        records.push(...parser.end());
        expect(records).toEqual(whole);
      }
    }
  });

  it('decodes UTF-8 split across byte chunks when streaming', async () => {
    const bytes = Buffer.from('name\r\nRocío Márquez\r\n', 'utf8');
    async function* oneByteAtATime() {
      for (const b of bytes) yield Buffer.from([b]);
    }
    const records: CsvRecord[] = [];
    for await (const r of csvRecords(oneByteAtATime())) records.push(r);
    expect(records).toEqual([
      { line: 1, fields: ['name'] },
      { line: 2, fields: ['Rocío Márquez'] },
    ]);
  });
});
