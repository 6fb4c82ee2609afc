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

const ACCEPT = 'application/json, application/problem+json';

/** GETs sent before anything asked for them, by URL. */
const prefetched = new Map<string, Promise<Response>>();
/** An answer not taken by then is dropped: a later request gets a fresh one. */
const PREFETCH_FRESH_MS = 5_000;

/** Reads an answer nobody will use to its end: until then the browser counts its request as open. */
const drain = (response: Response) => void response.arrayBuffer().catch(() => undefined);

/**
 * Sends a GET now that a page will ask for once it renders: on a cold load, the session check and
 * the first render come before the page's own requests, and waiting for them is most of the time to
 * the first numbers on screen. The first `api` call for the same URL within a few seconds takes the
 * answer if it is a success; otherwise (signed out, say) that call sends its own request.
 */
export function prefetch(path: string, query?: ApiOptions['query']): void {
  const url = apiUrl(path, query);
  if (prefetched.has(url)) return;
  const response = fetch(url, { headers: { accept: ACCEPT }, credentials: 'same-origin' });
  prefetched.set(url, response);
  response.then((r) => (r.ok ? undefined : drain(r)), () => undefined);
  setTimeout(() => {
    if (prefetched.get(url) !== response) return;
    prefetched.delete(url);
    response.then(drain, () => undefined);
  }, PREFETCH_FRESH_MS);
}

async function takePrefetched(url: string): Promise<Response | null> {
  const response = prefetched.get(url);
  if (response === undefined) return null;
  prefetched.delete(url);
  const answer = await response.catch(() => null);
  return answer !== null && answer.ok ? answer : null;
}

export async function api<T>(path: string, opts: ApiOptions = {}): Promise<ApiResponse<T>> {
  const method = (opts.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = { accept: ACCEPT, ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const csrf = getSession()?.csrfToken;
  if (!SAFE_METHODS.has(method) && csrf) headers['x-csrf-token'] = csrf;

  let response: Response;
  try {
    const early = method === 'GET' && opts.headers === undefined ? await takePrefetched(apiUrl(path, opts.query)) : null;
    response =
      early ??
      (await fetch(apiUrl(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: opts.signal,
      }));
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
