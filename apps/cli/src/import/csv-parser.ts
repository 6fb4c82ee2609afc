/**
 * A small streaming CSV parser (RFC 4180): fields separated by `,`, records by CRLF or LF (a lone
 * CR also ends a record); a field may be enclosed in double quotes, and then it may hold commas,
 * line breaks and quotes (doubled: `""`). A UTF-8 byte-order mark at the start is dropped.
 *
 * Each record carries the physical line it starts on (1-based), counting the line breaks inside
 * quoted fields, so a report can point at the line an editor shows. A syntax error does not stop
 * the parse: the record is returned with `error` set and parsing goes on with the next record.
 */
export interface CsvRecord {
  /** Physical line (1-based) on which the record starts. */
  line: number;
  fields: string[];
  /** Set when the record breaks the syntax (its fields are then a best effort). */
  error?: string;
}

enum State {
  /** At the start of a field. */
  FieldStart,
  /** Inside an unquoted field. */
  Unquoted,
  /** Inside a quoted field. */
  Quoted,
  /** Just read a quote inside a quoted field: an escaped quote or the closing one. */
  QuoteInQuoted,
  /** After a closing quote, or after a syntax error: up to the next separator. */
  AfterField,
}

export class CsvParser {
  private state = State.FieldStart;
  private field = '';
  private fields: string[] = [];
  private error: string | undefined;
  /** The physical line the reader is on. */
  private line = 1;
  /** The line the current record started on. */
  private recordLine = 1;
  /** The previous character was a CR: a LF right after it belongs to the same line break. */
  private afterCR = false;
  private started = false;
  /** Whether the current record has consumed any character (so that an empty last line is no record). */
  private inRecord = false;

  /** Parses one more chunk of text; returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let i = 0;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    for (; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.afterCR) {
        this.afterCR = false;
        if (c === '\n') {
          // The LF of a CRLF: the line (and, outside quotes, the record) already ended at the CR.
          if (this.state === State.Quoted) this.field += c;
          continue;
        }
      }
      if (!this.inRecord) {
        this.inRecord = true;
        this.recordLine = this.line;
      }
      switch (this.state) {
        case State.FieldStart:
          if (c === '"') this.state = State.Quoted;
          else if (c === ',') this.endField();
          else if (c === '\r' || c === '\n') this.endRecord(c, out);
          else {
            this.field += c;
            this.state = State.Unquoted;
          }
          break;
        case State.Unquoted:
          if (c === ',') this.endField();
          else if (c === '\r' || c === '\n') this.endRecord(c, out);
          else {
            if (c === '"') this.fail('a quote inside an unquoted field (enclose the field in quotes and double the quote)');
            this.field += c;
          }
          break;
        case State.Quoted:
          if (c === '"') this.state = State.QuoteInQuoted;
          else {
            this.field += c;
            if (c === '\r' || c === '\n') this.newLine(c);
          }
          break;
        case State.QuoteInQuoted:
          if (c === '"') {
            this.field += '"';
            this.state = State.Quoted;
          } else if (c === ',') this.endField();
          else if (c === '\r' || c === '\n') this.endRecord(c, out);
          else {
            this.fail('a character after the closing quote of a field');
            this.field += c;
            this.state = State.AfterField;
          }
          break;
        case State.AfterField:
          if (c === ',') this.endField();
          else if (c === '\r' || c === '\n') this.endRecord(c, out);
          else this.field += c;
          break;
      }
    }
    return out;
  }

  /** Ends the input; returns the last record if the text did not end with a line break. */
  end(): CsvRecord[] {
    if (!this.inRecord) return [];
    if (this.state === State.Quoted) this.fail(`a quoted field opened on line ${this.recordLine} is never closed`);
    this.fields.push(this.field);
    const record = this.take();
    return [record];
  }

  private fail(message: string): void {
    this.error ??= message;
  }

  private newLine(c: string): void {
    this.line++;
    if (c === '\r') this.afterCR = true;
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.state = State.FieldStart;
  }

  private endRecord(c: string, out: CsvRecord[]): void {
    this.fields.push(this.field);
    out.push(this.take());
    this.newLine(c);
  }

  private take(): CsvRecord {
    const record: CsvRecord = { line: this.recordLine, fields: this.fields };
    if (this.error !== undefined) record.error = this.error;
    this.fields = [];
    this.field = '';
    this.error = undefined;
    this.state = State.FieldStart;
    this.inRecord = false;
    return record;
  }
}

/** Parses a whole text. */
export function parseCsv(text: string): CsvRecord[] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()];
}

/** Parses a stream of text chunks (e.g. `fs.createReadStream(path, 'utf8')`) record by record. */
export async function* csvRecords(chunks: AsyncIterable<string | Buffer>): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser();
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    yield* parser.push(text);
  }
  const rest = decoder.decode();
  if (rest) yield* parser.push(rest);
  yield* parser.end();
}

/** A record with no content at all: an empty line, or only separators (spreadsheets write such rows). */
export function isBlankRecord(record: CsvRecord): boolean {
  return record.error === undefined && record.fields.every((f) => f === '');
}
