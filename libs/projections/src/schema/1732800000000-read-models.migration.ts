import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/** The first read-model schema, written with TypeORM's portable Table API (SQLite and PostgreSQL). */
const text = (name: string, length?: number, nullable = false): TableColumnOptions =>
  length === undefined ? { name, type: 'text', isNullable: nullable } : { name, type: 'varchar', length: String(length), isNullable: nullable };
const int = (name: string, type: 'integer' | 'bigint' | 'smallint' = 'integer', nullable = false): TableColumnOptions => ({ name, type, isNullable: nullable });
const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
const bitemporal: TableColumnOptions[] = [
  id,
  text('case_id', 36),
  text('scope', 10),
  text('row_key'),
  text('recorded_from', 30),
  int('recorded_from_position', 'bigint'),
  text('recorded_to', 30),
  int('recorded_to_position', 'bigint'),
];

export class ReadModels1732800000000 implements MigrationInterface {
  name = 'ReadModels1732800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({ name: 'projection_checkpoints', columns: [{ ...text('name', 100), isPrimary: true }, int('position', 'bigint'), text('updated_at', 30)] }),
    );
    await q.createTable(
      new Table({
        name: 'case_profiles',
        columns: [
          { ...text('case_id', 36), isPrimary: true },
          text('full_name', undefined, true),
          int('name_withheld', 'smallint'),
          text('nationalities', 64),
          int('foreign_national', 'smallint'),
          text('gender', 16),
          int('minor', 'smallint'),
          text('affiliation', 16),
          text('external_reference', 200, true),
          int('opened_position', 'bigint'),
          text('opened_at', 30),
        ],
      }),
    );
    await q.createTable(
      new Table({ name: 'case_nationalities', columns: [{ ...text('case_id', 36), isPrimary: true }, { ...text('nationality', 2), isPrimary: true }] }),
    );
    await q.createTable(
      new Table({
        name: 'status_intervals',
        columns: [
          ...bitemporal,
          text('status', 24),
          text('valid_from', 10),
          text('valid_to', 10),
          text('status_since', 10),
          text('facility', 200, true),
          int('sentenced', 'smallint'),
          text('excluded_offences', 200),
          int('report_every_days', 'integer', true),
          text('reporting_anchor', 10, true),
          int('on_hunger_strike', 'smallint'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'flow_facts',
        columns: [
          ...bitemporal,
          text('event_id', 36),
          text('kind', 32),
          text('day', 10),
          text('legal_basis', 32, true),
          int('conditional', 'smallint'),
          int('days_since_release', 'integer', true),
          text('request_id', 36, true),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'amnesty_request_intervals',
        columns: [...bitemporal, text('request_id', 36), text('status', 16), text('filed_on', 10), text('due_on', 10), text('valid_from', 10), text('valid_to', 10)],
      }),
    );
    await q.createTable(
      new Table({
        name: 'published_figures',
        columns: [
          { ...text('figure_id', 36), isPrimary: true },
          text('source_kind', 32),
          text('source_name', 200),
          text('metric', 64),
          int('value'),
          text('since', 10, true),
          text('as_of', 10),
          text('reference', undefined, true),
          text('recorded_at', 30),
          int('position', 'bigint'),
        ],
      }),
    );
    // Counting for a day as known at an instant is a range scan on these, never a replay of the log.
    for (const table of ['status_intervals', 'amnesty_request_intervals']) {
      await q.createIndex(table, new TableIndex({ name: `ix_${table}_as_of`, columnNames: ['scope', 'recorded_to', 'valid_from', 'valid_to'] }));
      await q.createIndex(table, new TableIndex({ name: `ix_${table}_case`, columnNames: ['case_id', 'scope', 'recorded_to'] }));
    }
    await q.createIndex('flow_facts', new TableIndex({ name: 'ix_flow_facts_day', columnNames: ['scope', 'recorded_to', 'day', 'kind'] }));
    await q.createIndex('flow_facts', new TableIndex({ name: 'ix_flow_facts_case', columnNames: ['case_id', 'scope', 'recorded_to'] }));
    await q.createIndex('published_figures', new TableIndex({ name: 'ix_published_figures_metric', columnNames: ['metric', 'as_of'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['published_figures', 'amnesty_request_intervals', 'flow_facts', 'status_intervals', 'case_nationalities', 'case_profiles', 'projection_checkpoints']) {
      await q.dropTable(t);
    }
  }
}
