import type { ServerResponse } from 'node:http';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessTokens, ApplicationError, ApplicationErrorCode, type Role } from '#application';
import { BEARER_CHALLENGE } from '../http/problem-details.filter.js';
import type { AuthenticatedRequest } from './authenticated-request.js';
import { clientAddress, FailedAuthentications } from './failed-authentications.js';
import { presentedToken } from './presented-token.js';
import { CSRF_HEADER, csrfTokenMatches, isUnsafeMethod } from './session/session-cookie.js';
import { PUBLIC_METADATA, ROLES_METADATA } from './roles.decorator.js';
import { TokenThrottlerGuard } from './token-throttler.guard.js';

/**
 * The one global guard (APP_GUARD). In order:
 * 1. a `@Public()` route passes (rate-limited by client address);
 * 2. no `Authorization: Bearer` header and no web-app session cookie: 401;
 * 3. an address with too many failed authentications in the last minute: 429, before any lookup;
 * 4. a token that is unknown, revoked or expired: 401, counted as a failure of the address;
 * 4b. a session cookie on an unsafe method without its `X-CSRF-Token`: 403;
 * 5. the token's rate limit (`RATE_LIMIT_PER_MINUTE`): 429 with Retry-After;
 * 6. the route's `@Roles(...)`: 403 when the token's role is not among them, and for every route
 *    that declares no roles at all (closed by default).
 * The verified caller is left on the request (`request.auth`): the command context and the
 * access log take the actor from it.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
    private readonly failures: FailedAuthentications,
    private readonly throttler: TokenThrottlerGuard,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return false;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<ServerResponse>();
    const targets = [context.getHandler(), context.getClass()];

    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_METADATA, targets)) {
      await this.throttler.canActivate(context);
      return true;
    }

    const presented = presentedToken(request);
    if (presented === undefined) {
      await this.throttler.canActivate(context);
      response.setHeader('WWW-Authenticate', BEARER_CHALLENGE);
      throw new ApplicationError(ApplicationErrorCode.Unauthenticated, 'This route needs an access token: Authorization: Bearer <token>, or a session of the web app.');
    }

    const address = clientAddress(request);
    this.failures.assertMayTry(address);
    const token = presented.token;
    const caller = token === undefined ? null : await this.tokens.verify(token);
    if (!caller || token === undefined) {
      this.failures.record(address);
      response.setHeader('WWW-Authenticate', `${BEARER_CHALLENGE}, error="invalid_token"`);
      throw new ApplicationError(ApplicationErrorCode.Unauthenticated, 'The access token is invalid, expired or revoked.');
    }
    request.auth = caller;
    // A browser sends its cookie with any request, forged ones included: unsafe ones must prove they come from our page.
    if (presented.via === 'cookie' && isUnsafeMethod(request.method) && !csrfTokenMatches(token, request.headers[CSRF_HEADER])) {
      throw new ApplicationError(ApplicationErrorCode.CsrfTokenInvalid, `A web-app session must send its ${CSRF_HEADER} header with every ${request.method}.`);
    }

    await this.throttler.canActivate(context);

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_METADATA, targets);
    if (!roles || !roles.includes(caller.role)) {
      throw new ApplicationError(ApplicationErrorCode.Forbidden, `The ${caller.role} role may not ${request.method} ${request.route?.path ?? request.path}.`, {
        details: { role: caller.role },
      });
    }
    return true;
  }
}
