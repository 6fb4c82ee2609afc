import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Who may call the API (`api_tokens`): one row per access token, with the SHA-256 of the token
 * (never the token). Not a projection: the event log records each issue and revocation, but a
 * rebuild of the read models never touches this table.
 */
export class AccessTokens1733000000000 implements MigrationInterface {
  name = 'AccessTokens1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'api_tokens',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'role', type: 'varchar', length: '20' },
          { name: 'token_hash', type: 'varchar', length: '64', isUnique: true },
          { name: 'created_at', type: 'varchar', length: '30' },
          { name: 'expires_at', type: 'varchar', length: '30', isNullable: true },
          { name: 'revoked_at', type: 'varchar', length: '30', isNullable: true },
        ],
      }),
    );
    await q.createIndex('api_tokens', new TableIndex({ name: 'ix_api_tokens_role', columnNames: ['role', 'revoked_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('api_tokens');
  }
}
