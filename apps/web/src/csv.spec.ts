import { toCsv } from './csv.js';

describe('toCsv', () => {
  const columns = [
    { key: 'name', label: 'Centro' },
    { key: 'n', label: 'Personas' },
  ];

  it('writes a header and one line per row, CRLF-terminated, numbers as they are', () => {
    expect(toCsv(columns, [{ name: 'Rodeo I', n: 12 }, { name: 'El Helicoide', n: 0 }])).toBe('Centro,Personas\r\nRodeo I,12\r\nEl Helicoide,0\r\n');
  });

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(toCsv(columns, [{ name: 'Tocorón, "Aragua"\nnorte', n: 1 }])).toBe('Centro,Personas\r\n"Tocorón, ""Aragua""\nnorte",1\r\n');
  });

  it('defuses text a spreadsheet would run as a formula, but not negative numbers', () => {
    const csv = toCsv(columns, [
      { name: '=HYPERLINK("x")', n: -3 },
      { name: '+1', n: 2 },
      { name: '@SUM(A1)', n: 3 },
      { name: '-5', n: 4 },
    ]);
    expect(csv.split('\r\n').slice(1, 5)).toEqual(['"\'=HYPERLINK(""x"")",-3', "'+1,2", "'@SUM(A1),3", "'-5,4"]);
  });

  it('leaves missing values empty', () => {
    expect(toCsv(columns, [{ name: null, n: undefined }])).toBe('Centro,Personas\r\n,\r\n');
  });
});
