import { EntitySchema } from 'typeorm';
import type { AccessTokenRecord } from '#application';

/** The token table (`api_tokens`): not a projection, never emptied by a rebuild. */
export const AccessTokenEntity = new EntitySchema<AccessTokenRecord>({
  name: 'AccessToken',
  tableName: 'api_tokens',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    name: { type: 'varchar', length: 100 },
    role: { type: 'varchar', length: 20 },
    tokenHash: { name: 'token_hash', type: 'varchar', length: 64, unique: true },
    createdAt: { name: 'created_at', type: 'varchar', length: 30 },
    expiresAt: { name: 'expires_at', type: 'varchar', length: 30, nullable: true },
    revokedAt: { name: 'revoked_at', type: 'varchar', length: 30, nullable: true },
  },
});
