import type { Request, Response } from 'express';
import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessTokens, ApplicationError, ApplicationErrorCode, type AuthenticatedCaller } from '#application';
import type { Clock } from '#domain';
import { CLOCK } from '../../cases/cases.tokens.js';
import type { AuthenticatedRequest } from '../authenticated-request.js';
import { clientAddress, FailedAuthentications } from '../failed-authentications.js';
import { presentedToken } from '../presented-token.js';
import { Public, Roles } from '../roles.decorator.js';
import { clearedSessionCookie, csrfTokenFor, sessionCookie, sessionMaxAgeSeconds } from './session-cookie.js';
import { SignInRequestDto } from './sign-in.request.dto.js';

/** What the web app learns about its session; never the token. */
export interface SessionView {
  role: AuthenticatedCaller['role'];
  name: string;
  csrfToken: string;
  expiresAt: string | null;
}

const view = (caller: AuthenticatedCaller, token: string): SessionView => ({
  role: caller.role,
  name: caller.name,
  csrfToken: csrfTokenFor(token),
  expiresAt: caller.expiresAt,
});

/** Sign-in and sign-out of the web app: a token becomes an HttpOnly session cookie (see session-cookie.ts). */
@ApiTags('session')
@Controller('session')
export class SessionHttpController {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly failures: FailedAuthentications,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in to the web app with an access token: sets the session cookie, answers the CSRF token' })
  async signIn(@Body() body: SignInRequestDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SessionView> {
    // The same guessing limit as a bearer token: sign-in must not be a faster way to try tokens.
    const address = clientAddress(request);
    this.failures.assertMayTry(address);
    const caller = await this.tokens.verify(body.token);
    if (!caller) {
      this.failures.record(address);
      throw new ApplicationError(ApplicationErrorCode.Unauthenticated, 'The access token is invalid, expired or revoked.');
    }
    response.setHeader('Set-Cookie', sessionCookie(body.token, request.secure, sessionMaxAgeSeconds(caller.expiresAt, this.clock.now())));
    return view(caller, body.token);
  }

  @Get()
  @Roles('admin', 'caseworker', 'auditor', 'viewer')
  @ApiOperation({ summary: 'The current session of the web app (from its cookie), with its CSRF token' })
  current(@Req() request: AuthenticatedRequest): SessionView {
    // The token the guard verified (the header wins over the cookie there too).
    const token = presentedToken(request)?.token;
    if (!request.auth || token === undefined) throw new ApplicationError(ApplicationErrorCode.Unauthenticated, 'No session.');
    return view(request.auth, token);
  }

  @Delete()
  @Roles('admin', 'caseworker', 'auditor', 'viewer')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out of the web app: drops the session cookie' })
  signOut(@Req() request: Request, @Res({ passthrough: true }) response: Response): void {
    response.setHeader('Set-Cookie', clearedSessionCookie(request.secure));
  }
}
