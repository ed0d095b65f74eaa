import { defineEntity, p } from '@mikro-orm/core';

/** What a token may do; routes declare the role they accept with @ApiToken(role). */
export enum ApiTokenRole {
  /** A background check provider posting status events. */
  Integration = 'integration',
  /** A read-only audit tool. */
  Auditor = 'auditor',
  /** An identity provider provisioning people by SCIM 2.0 (RFC 7644) under /scim/v2. */
  Scim = 'scim',
}

export const ApiTokenSchema = defineEntity({
  name: 'ApiToken',
  tableName: 'api_token',
  properties: {
    id: p.uuid().primary(),
    name: p.string().length(100).unique(),
    role: p.enum(() => ApiTokenRole),
    /** SHA-256 (hex) of the secret; the secret itself is shown once and never stored. */
    tokenHash: p.string().length(64).unique(),
    createdAt: p.datetime(),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
  },
});

/** A credential for a machine calling /api/v1, created and revoked with `attest token`. */
export class ApiToken extends ApiTokenSchema.class {}
ApiTokenSchema.setClass(ApiToken);
