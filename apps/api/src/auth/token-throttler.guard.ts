import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { ApplicationError, ApplicationErrorCode } from '#application';
import type { AuthenticatedRequest } from './authenticated-request.js';

/**
 * `@nestjs/throttler` with one budget per access token across every route (per client address for
 * requests without a token). {@link AccessGuard} calls it once the token is known; it is not a
 * guard of its own.
 */
@Injectable()
export class TokenThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const { auth, ip } = request as unknown as AuthenticatedRequest;
    return Promise.resolve(auth ? `token:${auth.tokenId}` : `address:${ip ?? 'unknown'}`);
  }

  /** One key per tracker, whatever the route: the limit is the token's, not the route's. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttler: string): string {
    return `${throttler}:${tracker}`;
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    throw new ApplicationError(ApplicationErrorCode.TooManyRequests, `Too many requests: at most ${detail.limit} a minute. Retry in ${seconds} seconds.`, {
      details: { retryAfterSeconds: seconds, limit: detail.limit },
    });
  }
}
