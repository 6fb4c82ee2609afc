import type { DataSource } from 'typeorm';
import { AccessLogEntity, AuditLogEntity, type AccessLogRow, type AuditLogRow } from '../schema/read-model.entities.js';

export interface Page<T> {
  total: number;
  items: T[];
}

/** Recorded events by recording time, actor and case, oldest first. */
export async function auditLog(
  ds: DataSource,
  f: { from?: string; to?: string; actor?: string; caseId?: string; page: number; pageSize: number },
): Promise<Page<AuditLogRow>> {
  const qb = ds.getRepository(AuditLogEntity).createQueryBuilder('a');
  if (f.from) qb.andWhere('a.recorded_at >= :from', { from: f.from });
  if (f.to) qb.andWhere('a.recorded_at <= :to', { to: f.to });
  if (f.actor) qb.andWhere('a.actor = :actor', { actor: f.actor });
  if (f.caseId) qb.andWhere('a.case_id = :caseId', { caseId: f.caseId });
  const [items, total] = await qb
    .orderBy('a.position', 'ASC')
    .skip((f.page - 1) * f.pageSize)
    .take(f.pageSize)
    .getManyAndCount();
  return { total, items };
}

export async function recordAccess(ds: DataSource, entries: AccessLogRow[]): Promise<void> {
  if (entries.length === 0) return;
  for (let i = 0; i < entries.length; i += 200) await ds.getRepository(AccessLogEntity).insert(entries.slice(i, i + 200));
}

export async function accessLog(ds: DataSource, f: { caseId?: string; actor?: string; page: number; pageSize: number }): Promise<Page<AccessLogRow>> {
  const qb = ds.getRepository(AccessLogEntity).createQueryBuilder('l');
  if (f.caseId) qb.andWhere('l.case_id = :caseId', { caseId: f.caseId });
  if (f.actor) qb.andWhere('l.actor = :actor', { actor: f.actor });
  const [items, total] = await qb
    .orderBy('l.id', 'ASC')
    .skip((f.page - 1) * f.pageSize)
    .take(f.pageSize)
    .getManyAndCount();
  return { total, items };
}
