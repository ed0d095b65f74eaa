import { type INestApplication, RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE, REQUIRED_PERMISSION } from '../../src/access/access.decorators';
import { API_TOKEN_ROLE } from '../../src/access/api-token.guard';
import { SKIP_CSRF } from '../../src/access/csrf.guard';
import type { Permission } from '../../src/access/permission';

/** One route as Nest mounts it, with what it declares to the access and CSRF guards. */
export interface AppRoute {
  method: string;
  /** Express-style path, e.g. `/admin/people/:id/sessions`. */
  path: string;
  /** `public`, `permission:<value>`, `api-token:<role>` or `UNDECLARED`. */
  declaration: string;
  permission?: Permission;
  skipsCsrf: boolean;
  handler: string;
}

function asArray(value: unknown): string[] {
  if (value === undefined) return [''];
  return Array.isArray(value) ? (value as string[]) : [value as string];
}

function joinPath(...parts: string[]): string {
  const joined = parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}

/**
 * Every controller route of the running app. The declaration is read the way AccessGuard reads
 * it: handler first, then class (getAllAndOverride), @Public() winning over a permission.
 */
export function listRoutes(app: INestApplication): AppRoute[] {
  const reflector = new Reflector();
  const scanner = new MetadataScanner();
  const routes: AppRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type;
      const prototype = controller.prototype as Record<string, (...args: unknown[]) => unknown>;
      const bases = asArray(Reflect.getMetadata(PATH_METADATA, controller));
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
        if (paths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const targets = [handler, controller];
        const isPublic = reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) === true;
        const permission = reflector.getAllAndOverride<Permission | undefined>(
          REQUIRED_PERMISSION,
          targets,
        );
        const apiRole = reflector.getAllAndOverride<string | undefined>(API_TOKEN_ROLE, targets);
        const declaration = isPublic
          ? 'public'
          : permission
            ? `permission:${permission}`
            : apiRole
              ? `api-token:${apiRole}`
              : 'UNDECLARED';
        const skipsCsrf = reflector.getAllAndOverride<boolean>(SKIP_CSRF, targets) === true;
        for (const base of bases) {
          for (const path of asArray(paths)) {
            routes.push({
              method,
              path: joinPath(base, path),
              declaration,
              permission: isPublic ? undefined : permission,
              skipsCsrf,
              handler: `${controller.name}.${name}`,
            });
          }
        }
      }
    }
  }
  return routes.sort((a, b) => routeKey(a).localeCompare(routeKey(b)));
}

export function routeKey(route: { method: string; path: string }): string {
  return `${route.method} ${route.path}`;
}

interface ExpressLayer {
  route?: {
    path: string | string[];
    methods: Record<string, boolean>;
    stack: { handle: { name: string } }[];
  };
}

/** Nest names each route's Express handler `Controller.method`; its middleware `handler`. */
const NEST_ROUTE_HANDLER = /^\w+\.\w+$/;

/**
 * What Express itself dispatches: `METHOD path Controller.method` for every controller route,
 * and apart from them the paths of the other route layers (Nest's middleware, mounted per
 * method on a wildcard), so that a test can check nothing else answers requests.
 */
export function expressRoutes(app: INestApplication): { routes: string[]; others: string[] } {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
  const routes: string[] = [];
  const others = new Set<string>();
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    const names = layer.route.stack.map((s) => s.handle.name);
    for (const path of asArray(layer.route.path)) {
      if (!names.every((n) => NEST_ROUTE_HANDLER.test(n))) {
        others.add(path);
        continue;
      }
      for (const method of Object.keys(layer.route.methods)) {
        routes.push(`${method.toUpperCase()} ${path} ${names.join(',')}`);
      }
    }
  }
  return { routes: routes.sort(), others: [...others].sort() };
}
