import type { MigrationInterface, QueryRunner } from 'typeorm';

const HISTORY_TABLES = ['status_intervals', 'flow_facts', 'amnesty_request_intervals'] as const;

/**
 * History rows no longer carry `row_key`, the JSON of their content: the content columns themselves
 * identify an open row within its case and scope (`closeRow` matches them). The key doubled the size
 * of a status row and cost a `JSON.stringify` per row written. Existing rows stay valid as they are.
 */
export class DropRowKey1733300000000 implements MigrationInterface {
  name = 'DropRowKey1733300000000';

  async up(q: QueryRunner): Promise<void> {
    // Both SQLite (3.35 and later) and PostgreSQL drop a column in place; no index holds this one.
    for (const table of HISTORY_TABLES) await q.query(`ALTER TABLE ${table} DROP COLUMN row_key`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of HISTORY_TABLES) await q.query(`ALTER TABLE ${table} ADD COLUMN row_key text NOT NULL DEFAULT ''`);
  }
}
