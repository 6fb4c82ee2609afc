import { IsNull, type DataSource } from 'typeorm';
import type { AccessTokenRecord, AccessTokenStore } from '#application';
import { AccessTokenEntity } from '../schema/access-token.entity.js';

/** The token table in the read-model database (SQLite or PostgreSQL). */
export class TypeOrmAccessTokenStore implements AccessTokenStore {
  constructor(private readonly ds: DataSource) {}

  private get repository() {
    return this.ds.getRepository(AccessTokenEntity);
  }

  async insert(record: AccessTokenRecord): Promise<void> {
    await this.repository.insert(record);
  }

  async remove(id: string): Promise<void> {
    await this.repository.delete({ id });
  }

  findByHash(tokenHash: string): Promise<AccessTokenRecord | null> {
    return this.repository.findOneBy({ tokenHash });
  }

  findById(id: string): Promise<AccessTokenRecord | null> {
    return this.repository.findOneBy({ id });
  }

  list(): Promise<AccessTokenRecord[]> {
    return this.repository.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async markRevoked(id: string, revokedAt: string): Promise<boolean> {
    const result = await this.repository.update({ id, revokedAt: IsNull() }, { revokedAt });
    return (result.affected ?? 0) > 0;
  }

  async hasActiveAdmin(now: string): Promise<boolean> {
    const count = await this.repository
      .createQueryBuilder('t')
      .where('t.role = :role', { role: 'admin' })
      .andWhere('t.revoked_at IS NULL')
      .andWhere('(t.expires_at IS NULL OR t.expires_at > :now)', { now })
      .getCount();
    return count > 0;
  }
}
