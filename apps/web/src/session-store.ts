// The signed-in session as the browser knows it. The token itself lives only in an HttpOnly cookie.
export type Role = 'admin' | 'caseworker' | 'auditor' | 'viewer';

export interface SessionInfo {
  role: Role;
  name: string;
  csrfToken: string;
  expiresAt: string | null;
}

let current: SessionInfo | null = null;
const listeners = new Set<() => void>();

export function getSession(): SessionInfo | null {
  return current;
}

export function setSession(next: SessionInfo | null): void {
  current = next;
  for (const l of listeners) l();
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
