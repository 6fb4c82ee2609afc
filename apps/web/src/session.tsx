// Sign-in, sign-out and the current session. The token goes to the server once; the browser keeps only an HttpOnly cookie.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiProblem } from './api.js';
import { getSession, setSession, subscribeSession, type Role, type SessionInfo } from './session-store.js';

export type { Role, SessionInfo } from './session-store.js';

export function useSession(): { role: Role; name: string } | null {
  const [session, set] = useState(getSession);
  useEffect(() => subscribeSession(() => set(getSession())), []);
  return session;
}

/** Asks the server whether the cookie still holds a session; null when not signed in. */
export async function loadSession(): Promise<SessionInfo | null> {
  try {
    const { data } = await api<SessionInfo>('/api/session', { redirectOn401: false });
    setSession(data);
    return data;
  } catch (e) {
    if (e instanceof ApiProblem && e.status === 401) {
      setSession(null);
      return null;
    }
    throw e;
  }
}

export async function signIn(token: string): Promise<SessionInfo> {
  const { data } = await api<SessionInfo>('/api/session', { method: 'POST', body: { token }, redirectOn401: false });
  setSession(data);
  return data;
}

export async function signOut(): Promise<void> {
  try {
    await api<void>('/api/session', { method: 'DELETE', redirectOn401: false });
  } finally {
    setSession(null);
  }
}

/** Which roles may open which part of the app (the server decides anyway; this only hides what would be refused). */
export const CAN_READ_CASES: readonly Role[] = ['admin', 'caseworker', 'auditor'];
export const CAN_AUDIT: readonly Role[] = ['admin', 'auditor'];
export const CAN_RECORD: readonly Role[] = ['admin', 'caseworker'];
