import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The browser session of the web app (OWASP session management and CSRF cheat sheets).
 *
 * The cookie carries the access token itself, `HttpOnly` so no script can read it, `SameSite=Strict`
 * so no other site's page sends it, `Secure` whenever the request came over TLS. Keeping the token
 * (rather than a server-side session id) makes every API instance accept the session with no shared
 * session store, and revoking the token ends the session at once.
 *
 * Unsafe requests authenticated by the cookie must also carry `X-CSRF-Token`: an HMAC of the token,
 * which the page learns from `POST`/`GET /api/session` (answers another origin cannot read). A forged
 * cross-site form cannot set that header; `SameSite` is the second layer, not the only one.
 */
export const SESSION_COOKIE = 'pct_session';
export const CSRF_HEADER = 'x-csrf-token';
/** Absolute lifetime of a browser session; the token may outlive it, the session may not outlive the token. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const isUnsafeMethod = (method: string): boolean => UNSAFE_METHODS.has(method.toUpperCase());

/** The session cookie's value in a `Cookie` header, or undefined. */
export function readSessionCookie(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(separator + 1).trim();
    return value === '' ? undefined : value;
  }
  return undefined;
}

/** `Set-Cookie` value opening a session for `token`. Tokens are base64url, so the value needs no encoding. */
export function sessionCookie(token: string, secure: boolean, maxAgeSeconds: number): string {
  return [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`, ...(secure ? ['Secure'] : [])].join('; ');
}

/** `Set-Cookie` value that makes the browser drop the session. */
export function clearedSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=0', ...(secure ? ['Secure'] : [])].join('; ');
}

/** The CSRF token bound to an access token: knowing it reveals nothing of the access token. */
export function csrfTokenFor(accessToken: string): string {
  return createHmac('sha256', accessToken).update('pct-csrf-v1').digest('base64url');
}

/** Whether a presented `X-CSRF-Token` is the one of this access token (constant time). */
export function csrfTokenMatches(accessToken: string, presented: string | string[] | undefined): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(accessToken));
  const actual = Buffer.from(presented);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Seconds the session cookie may live: the session's lifetime, cut short by the token's expiry. */
export function sessionMaxAgeSeconds(tokenExpiresAt: string | null, now: Date): number {
  if (tokenExpiresAt === null) return SESSION_MAX_AGE_SECONDS;
  return Math.min(SESSION_MAX_AGE_SECONDS, Math.floor((Date.parse(tokenExpiresAt) - now.getTime()) / 1000));
}
