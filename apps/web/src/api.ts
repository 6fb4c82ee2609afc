// The one way the browser talks to the API: same origin, session cookie, CSRF header on unsafe methods.
import { getSession, setSession } from './session-store.js';

export interface ApiResponse<T> {
  data: T;
  status: number;
  headers: Headers;
}

export interface ApiOptions {
  method?: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Whether a 401 sends the browser to the sign-in page (default true; the sign-in form itself says no). */
  redirectOn401?: boolean;
  signal?: AbortSignal;
}

/** One invalid input. The API sends `messages` (every rule broken); `message` joins them for display. */
export interface FieldError {
  field: string;
  message: string;
  messages: string[];
}

function fieldErrors(raw: unknown): FieldError[] {
  if (!Array.isArray(raw)) return [];
  const out: FieldError[] = [];
  for (const e of raw) {
    if (typeof e !== 'object' || e === null || typeof (e as { field?: unknown }).field !== 'string') continue;
    const { field, message, messages } = e as { field: string; message?: unknown; messages?: unknown };
    const list = Array.isArray(messages) ? messages.map(String) : typeof message === 'string' ? [message] : [];
    out.push({ field, messages: list, message: list.join(' ') });
  }
  return out;
}

/** An RFC 9457 problem answer (or a network failure, status 0). */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];
  readonly details: unknown;

  constructor(status: number, body: Record<string, unknown>) {
    const title = typeof body['title'] === 'string' ? body['title'] : `HTTP ${status}`;
    const detail = typeof body['detail'] === 'string' ? body['detail'] : '';
    super(detail || title);
    this.name = 'ApiProblem';
    this.status = status;
    this.code = typeof body['code'] === 'string' ? body['code'] : '';
    this.title = title;
    this.detail = detail;
    this.errors = fieldErrors(body['errors']);
    this.details = body['details'];
  }

  /** The message the API gave for a field, if any. */
  fieldError(field: string): string | undefined {
    return this.errors.find((e) => e.field === field)?.message;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function apiUrl(path: string, query?: ApiOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

export async function api<T>(path: string, opts: ApiOptions = {}): Promise<ApiResponse<T>> {
  const method = (opts.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const csrf = getSession()?.csrfToken;
  if (!SAFE_METHODS.has(method) && csrf) headers['x-csrf-token'] = csrf;

  let response: Response;
  try {
    response = await fetch(apiUrl(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiProblem(0, { title: 'Network error', code: 'NETWORK_ERROR', detail: e instanceof Error ? e.message : String(e) });
  }

  const text = response.status === 204 ? '' : await response.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && opts.redirectOn401 !== false) {
      setSession(null);
      if (window.location.pathname !== '/sign-in') {
        const next = window.location.pathname + window.location.search;
        window.history.pushState(null, '', `/sign-in?next=${encodeURIComponent(next)}`);
        window.dispatchEvent(new PopStateEvent('popstate'));
      }
    }
    throw new ApiProblem(response.status, typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : { title: String(body ?? '') });
  }
  return { data: body as T, status: response.status, headers: response.headers };
}
