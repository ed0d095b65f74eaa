import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE, REQUIRED_PERMISSION } from './access.decorators';
import type { Permission } from './permission';

/** What the guard needs to know about whoever is asking. Sign-in fills this in. */
export interface Principal {
  readonly permissions: ReadonlySet<Permission>;
}

/**
 * Deny by default: a route passes only if it is marked @Public() or the principal holds the
 * permission it declares. A route that declares neither is refused, and the omission is logged.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
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
    const principal = context.switchToHttp().getRequest<{ principal?: Principal }>().principal;
    if (!principal?.permissions.has(required)) throw new ForbiddenException();
    return true;
  }
}
