// Placeholder until the auditor view lands (W2 owns this folder and replaces this file).
import { h } from 'preact';

export function AuditPage() {
  return h('h1', null, 'Auditoría');
}

export function AuditCasePage({ id }: { id: string }) {
  return h('h1', null, `Auditoría del caso ${id}`);
}
