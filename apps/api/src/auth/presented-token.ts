import type { IncomingHttpHeaders } from 'node:http';
import { readSessionCookie } from './session/session-cookie.js';

const BEARER = /^Bearer +([^\s]+) *$/i;

/**
 * The token a request presents: the `Authorization` header wins; else the web app's session cookie.
 * `token` is undefined for a header that is not `Bearer <token>` (refused as an invalid token).
 */
export function presentedToken(request: { headers: IncomingHttpHeaders }): { via: 'bearer' | 'cookie'; token: string | undefined } | undefined {
  const header = request.headers.authorization;
  if (header !== undefined && header !== '') return { via: 'bearer', token: BEARER.exec(header)?.[1] };
  const cookie = readSessionCookie(request.headers.cookie);
  return cookie === undefined ? undefined : { via: 'cookie', token: cookie };
}
