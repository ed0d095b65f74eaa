import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { ApiClient, ApiRequest } from '../access/api-token.guard';
import { invalidSyntax } from './scim.errors';
import type { ScimListQuery } from './scim-paging';
import type { ScimResource } from './scim-user.mapper';

/**
 * A provisioning client's budget per address: far above what Okta or Entra ID send (both pace
 * themselves well under 100 requests a second), low enough that a leaked token cannot flood.
 */
export const SCIM_LIMIT_PER_MINUTE = 6000;

/** The identity provider's token (AccessGuard admits no SCIM request without one). */
export const ScimClient = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const client = context.switchToHttp().getRequest<ApiRequest>().apiClient;
  if (!client) throw new Error('ScimClient used on a route without @ApiToken');
  return client as ApiClient;
});

/** The JSON object a POST, PUT or PATCH carries. */
export function resourceBody(body: unknown): ScimResource {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidSyntax('The request body is a JSON object (RFC 7644 §3.1).');
  }
  return body as ScimResource;
}

const QUERY_KEYS = ['filter', 'startIndex', 'count', 'attributes', 'excludedAttributes'] as const;

/** The list parameters (RFC 7644 §3.4.2), each given at most once. */
export function listQuery(req: Request): ScimListQuery {
  const out: Record<string, string> = {};
  for (const key of QUERY_KEYS) {
    const value = req.query[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw invalidSyntax(`Give "${key}" once, as text.`);
    out[key] = value;
  }
  return out;
}
