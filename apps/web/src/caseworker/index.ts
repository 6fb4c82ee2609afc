// Placeholder until the caseworker screens land (W2 owns this folder and replaces this file).
import { h } from 'preact';

const placeholder = (title: string) => h('h1', null, title);

export function CaseListPage() {
  return placeholder('Casos');
}

export function CasePage({ id }: { id: string }) {
  return placeholder(`Caso ${id}`);
}

export function TodayPage() {
  return placeholder('Hoy');
}
