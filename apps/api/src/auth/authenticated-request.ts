import type { Request } from 'express';
import type { AuthenticatedCaller } from '#application';

/** A request once {@link AccessGuard} has verified its bearer token. */
export interface AuthenticatedRequest extends Request {
  auth?: AuthenticatedCaller;
}
