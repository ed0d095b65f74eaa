import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AttestRequest, Principal } from './principal';

/** The signed-in principal; only on routes whose guard guarantees one (not @Public()). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<AttestRequest>().principal;
    if (!principal) throw new Error('CurrentPrincipal used on a route without a principal');
    return principal;
  },
);
