// Loading one case: its state (with the version from the ETag), its history with corrections, and
// the personal members of its events (notes), all at the same asOf / knownAt.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiProblem } from '../api.js';
import type { CaseEvents, CaseHistory, CaseView } from './types.js';

export interface CaseTime {
  asOf?: string;
  knownAt?: string;
}

export interface CaseData {
  view: CaseView;
  /** The ETag of GET /api/cases/:id as sent (`"9"`), to go back in If-Match. */
  etag: string;
  history: CaseHistory;
  /** eventId → the event's personal members (notes, lawyer's name), where readable. */
  personal: Record<string, Record<string, unknown> | null>;
}

export interface CaseState {
  data: CaseData | null;
  error: ApiProblem | null;
  loading: boolean;
  reload: () => Promise<void>;
}

/** The version as the API wants it in If-Match; the body's version when a proxy dropped the header. */
export function etagOf(headers: Headers, version: number): string {
  return headers.get('etag') ?? `"${version}"`;
}

export async function fetchCase(id: string, time: CaseTime, withPersonal: boolean): Promise<CaseData> {
  const path = `/api/cases/${encodeURIComponent(id)}`;
  const query = { asOf: time.asOf, knownAt: time.knownAt };
  const [view, history, events] = await Promise.all([
    api<CaseView>(path, { query }),
    api<CaseHistory>(`${path}/history`, { query }),
    withPersonal ? api<CaseEvents>(`${path}/events`) : Promise.resolve(null),
  ]);
  const personal: CaseData['personal'] = {};
  for (const e of events?.data.events ?? []) personal[e.eventId] = e.personal;
  return { view: view.data, etag: etagOf(view.headers, view.data.version), history: history.data, personal };
}

export function useCase(id: string, time: CaseTime, withPersonal = true): CaseState {
  const [data, setData] = useState<CaseData | null>(null);
  const [error, setError] = useState<ApiProblem | null>(null);
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const next = await fetchCase(id, time, withPersonal);
      if (ticket !== latest.current) return;
      setData(next);
      setError(null);
    } catch (e) {
      if (ticket !== latest.current) return;
      setError(e instanceof ApiProblem ? e : new ApiProblem(0, { title: String(e), code: 'CLIENT_ERROR' }));
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, [id, time.asOf, time.knownAt, withPersonal]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { data, error, loading, reload };
}
