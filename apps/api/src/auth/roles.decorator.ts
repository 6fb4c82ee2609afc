import { SetMetadata } from '@nestjs/common';
import type { Role } from '#application';

export const ROLES_METADATA = 'access:roles';
export const PUBLIC_METADATA = 'access:public';

/**
 * The roles that may call a route (on a method) or every route of a controller (on the class; a
 * method's declaration wins). The global {@link AccessGuard} refuses any route that declares no
 * roles and is not {@link Public}: a route without a declaration is closed to everyone.
 */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_METADATA, roles);

/** A route anyone may call, without a token (`GET /health`). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_METADATA, true);
