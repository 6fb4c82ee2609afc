import {
  clearedSessionCookie,
  csrfTokenFor,
  csrfTokenMatches,
  isUnsafeMethod,
  readSessionCookie,
  SESSION_MAX_AGE_SECONDS,
  sessionCookie,
  sessionMaxAgeSeconds,
} from './session-cookie.js';

const TOKEN = 'pct_' + 'a'.repeat(43);

describe('session cookie', () => {
  it('reads the session cookie among others, and nothing when it is absent or empty', () => {
    expect(readSessionCookie(`lang=es; pct_session=${TOKEN}; other=1`)).toBe(TOKEN);
    expect(readSessionCookie('lang=es')).toBeUndefined();
    expect(readSessionCookie('pct_session=')).toBeUndefined();
    expect(readSessionCookie('xpct_session=abc')).toBeUndefined();
    expect(readSessionCookie(undefined)).toBeUndefined();
  });

  it('is HttpOnly, SameSite=Strict, on the whole site, and Secure only over TLS', () => {
    expect(sessionCookie(TOKEN, false, 60)).toBe(`pct_session=${TOKEN}; Path=/; HttpOnly; SameSite=Strict; Max-Age=60`);
    expect(sessionCookie(TOKEN, true, 60)).toMatch(/; Secure$/);
    expect(clearedSessionCookie(false)).toBe('pct_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
  });

  it('never outlives the token, and lasts at most the session lifetime', () => {
    const now = new Date('2026-03-01T00:00:00Z');
    expect(sessionMaxAgeSeconds(null, now)).toBe(SESSION_MAX_AGE_SECONDS);
    expect(sessionMaxAgeSeconds('2026-03-01T00:10:00Z', now)).toBe(600);
    expect(sessionMaxAgeSeconds('2027-01-01T00:00:00Z', now)).toBe(SESSION_MAX_AGE_SECONDS);
  });

  it('binds the CSRF token to the access token without revealing it', () => {
    const csrf = csrfTokenFor(TOKEN);
    expect(csrf).not.toContain(TOKEN.slice(4, 20));
    expect(csrfTokenFor(TOKEN)).toBe(csrf);
    expect(csrfTokenFor('pct_' + 'b'.repeat(43))).not.toBe(csrf);
    expect(csrfTokenMatches(TOKEN, csrf)).toBe(true);
    expect(csrfTokenMatches(TOKEN, csrf.slice(1))).toBe(false);
    expect(csrfTokenMatches(TOKEN, undefined)).toBe(false);
    expect(csrfTokenMatches(TOKEN, [csrf])).toBe(false);
  });

  it('treats POST, PUT, PATCH and DELETE as unsafe', () => {
    expect(['POST', 'put', 'PATCH', 'DELETE'].every(isUnsafeMethod)).toBe(true);
    expect(['GET', 'HEAD', 'OPTIONS'].some(isUnsafeMethod)).toBe(false);
  });
});
