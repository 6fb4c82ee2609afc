import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Who recorded what (a projection of the log) and who read whose personal data (append-only, never rebuilt). */
export class Audit1732900000000 implements MigrationInterface {
  name = 'Audit1732900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          { name: 'position', type: 'bigint', isPrimary: true },
          { name: 'event_id', type: 'varchar', length: '36' },
          { name: 'stream_id', type: 'varchar', length: '200' },
          { name: 'case_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'type', type: 'varchar', length: '64' },
          { name: 'actor', type: 'varchar', length: '200' },
          { name: 'recorded_at', type: 'varchar', length: '30' },
          { name: 'occurred_on', type: 'varchar', length: '40' },
          { name: 'correlation_id', type: 'varchar', length: '200' },
          { name: 'command_id', type: 'varchar', length: '200' },
        ],
      }),
    );
    await q.createIndex('audit_log', new TableIndex({ name: 'ix_audit_log_recorded', columnNames: ['recorded_at'] }));
    await q.createIndex('audit_log', new TableIndex({ name: 'ix_audit_log_actor', columnNames: ['actor', 'recorded_at'] }));
    await q.createIndex('audit_log', new TableIndex({ name: 'ix_audit_log_case', columnNames: ['case_id', 'position'] }));
    await q.createTable(
      new Table({
        name: 'access_log',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'read_at', type: 'varchar', length: '30' },
          { name: 'actor', type: 'varchar', length: '200' },
          { name: 'case_id', type: 'varchar', length: '36' },
          { name: 'route', type: 'varchar', length: '200' },
          { name: 'correlation_id', type: 'varchar', length: '200' },
        ],
      }),
    );
    await q.createIndex('access_log', new TableIndex({ name: 'ix_access_log_case', columnNames: ['case_id', 'read_at'] }));
    await q.createIndex('access_log', new TableIndex({ name: 'ix_access_log_actor', columnNames: ['actor', 'read_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('access_log');
    await q.dropTable('audit_log');
  }
}
