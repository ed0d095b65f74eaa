import type { ExecutionContext } from '@nestjs/common';
import { ForbiddenException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Public, RequirePermission } from './access.decorators';
import { SignInRequired, StepUpRequired } from './access.errors';
import { AccessGuard } from './access.guard';
import { Role } from './role';
import type { Principal } from './principal';
import { Permission } from './permission';

class Routes {
  @Public()
  open() {}

  @RequirePermission(Permission.AuditRead)
  guarded() {}

  undeclared() {}
}

function contextFor(handler: keyof Routes, principal?: Principal): ExecutionContext {
  return {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => ({ principal, originalUrl: '/x' }) }),
  } as unknown as ExecutionContext;
}

describe(AccessGuard.name, () => {
  const sut = new AccessGuard(new Reflector());
  const principal = (permissions: Permission[]): Principal => ({
    personId: 'p1',
    sessionId: 's1',
    roles: [],
    permissions: new Set(permissions),
    totpVerified: false,
    csrfToken: 't',
  });
  const auditor = principal([Permission.AuditRead]);
  const nobody = principal([]);

  it('lets anyone through a @Public() route', () => {
    expect(sut.canActivate(contextFor('open'))).toBe(true);
  });

  it('refuses a route that declares nothing, even to a principal with permissions', () => {
    expect(() => sut.canActivate(contextFor('undeclared', auditor))).toThrow(ForbiddenException);
  });

  it('asks an anonymous visitor of a guarded route to sign in', () => {
    expect(() => sut.canActivate(contextFor('guarded'))).toThrow(SignInRequired);
  });

  it('refuses a guarded route to a principal without the permission', () => {
    expect(() => sut.canActivate(contextFor('guarded', nobody))).toThrow(ForbiddenException);
  });

  it('asks an admin who has not verified TOTP in this session to step up', () => {
    const admin = { ...principal([]), roles: [Role.Admin] };
    expect(() => sut.canActivate(contextFor('guarded', admin))).toThrow(StepUpRequired);
  });

  it('admits a principal holding the declared permission', () => {
    expect(sut.canActivate(contextFor('guarded', auditor))).toBe(true);
  });
});
