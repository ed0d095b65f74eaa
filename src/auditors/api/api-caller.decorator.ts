import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { ApiClient, ApiRequest } from '../../access/api-token.guard';

/** Who is calling the API and from where, for the audit event each read appends. */
export interface ApiCaller {
  readonly client: ApiClient;
  readonly requestId: string | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/** The API client of an @ApiToken route (AccessGuard admits none without one). */
export const CurrentApiCaller = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ApiCaller => {
    const req = context
      .switchToHttp()
      .getRequest<Request & ApiRequest & { id?: string | number }>();
    if (!req.apiClient) throw new Error('CurrentApiCaller used on a route without @ApiToken');
    return {
      client: req.apiClient,
      requestId: req.id === undefined ? null : String(req.id),
      ip: req.ip ?? null,
      userAgent: req.get('user-agent') ?? null,
    };
  },
);
