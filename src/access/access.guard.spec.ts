import type { ExecutionContext } from '@nestjs/common';
import { ForbiddenException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Public, RequirePermission } from './access.decorators';
import { AccessGuard, type Principal } from './access.guard';
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
    switchToHttp: () => ({ getRequest: () => ({ principal }) }),
  } as unknown as ExecutionContext;
}

describe(AccessGuard.name, () => {
  const sut = new AccessGuard(new Reflector());
  const auditor: Principal = { permissions: new Set([Permission.AuditRead]) };
  const nobody: Principal = { permissions: new Set() };

  it('lets anyone through a @Public() route', () => {
    expect(sut.canActivate(contextFor('open'))).toBe(true);
  });

  it('refuses a route that declares nothing, even to a principal with permissions', () => {
    expect(() => sut.canActivate(contextFor('undeclared', auditor))).toThrow(ForbiddenException);
  });

  it('refuses a guarded route without a principal or without the permission', () => {
    expect(() => sut.canActivate(contextFor('guarded'))).toThrow(ForbiddenException);
    expect(() => sut.canActivate(contextFor('guarded', nobody))).toThrow(ForbiddenException);
  });

  it('admits a principal holding the declared permission', () => {
    expect(sut.canActivate(contextFor('guarded', auditor))).toBe(true);
  });
});
