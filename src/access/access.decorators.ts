import { SetMetadata } from '@nestjs/common';
import type { Permission } from './permission';

export const PUBLIC_ROUTE = 'attest:public';
export const REQUIRED_PERMISSION = 'attest:permission';

/** Reachable without signing in. Every use is a reviewed decision. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** The permission a signed-in principal needs for this route. */
export const RequirePermission = (permission: Permission) =>
  SetMetadata(REQUIRED_PERMISSION, permission);
