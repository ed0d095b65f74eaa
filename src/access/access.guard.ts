import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE, REQUIRED_PERMISSION } from './access.decorators';
import { SignInRequired, StepUpRequired } from './access.errors';
import { admitApiClient } from './api-token.guard';
import { permissionsFor } from './role-permissions';
import type { Permission } from './permission';
import type { AttestRequest } from './principal';

/**
 * Deny by default: a route passes only if it is marked @Public() or the principal holds the
 * permission it declares. A route that declares neither is refused, and the omission is logged.
 * Without a principal the answer is "sign in"; an admin who has not verified TOTP in this
 * session is asked to, rather than refused.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    // API routes admit bearer-token clients only, never a browser session.
    const api = admitApiClient(this.reflector, context);
    if (api !== undefined) return api;
    const required = this.reflector.getAllAndOverride<Permission | undefined>(
      REQUIRED_PERMISSION,
      targets,
    );
    if (!required) {
      this.logger.error(
        `Route ${context.getClass().name}.${context.getHandler().name} declares no permission; refused`,
      );
      throw new ForbiddenException();
    }
    const req = context.switchToHttp().getRequest<AttestRequest & { originalUrl?: string }>();
    const principal = req.principal;
    if (!principal) throw new SignInRequired(req.originalUrl ?? '/');
    if (principal.permissions.has(required)) return true;
    if (permissionsFor(principal.roles, true).has(required)) throw new StepUpRequired();
    throw new ForbiddenException();
  }
}
