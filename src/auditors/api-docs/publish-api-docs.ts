import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { API_TOKEN_ROLE } from '../../access/api-token.guard';
import { ApiTokenRole } from '../../api-tokens/api-token.entity';
import { AUDITOR_TOKEN_SCHEME } from '../api/auditor-api.controller';
import { ApiDocs } from './api-docs';

/** Whether the controller, or any of its handlers, takes auditor tokens. */
function servesAuditors(controller: Type): boolean {
  const role = (target: object) => Reflect.getMetadata(API_TOKEN_ROLE, target) as unknown;
  if (role(controller) === ApiTokenRole.Auditor) return true;
  const prototype = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype).some((name) => {
    const handler = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
    return typeof handler === 'function' && role(handler) === ApiTokenRole.Auditor;
  });
}

/**
 * Builds the OpenAPI document of the auditor API and hands it to the docs controller. Only
 * the modules holding a controller that takes auditor tokens are scanned (this one, exports),
 * and their pages carry @ApiExcludeController(), so the document lists the /api/v1 routes an
 * auditor token may call and nothing else (the provider webhook takes another role).
 */
export function publishApiDocs(app: INestApplication): void {
  const modules = [...app.get(ModulesContainer).values()]
    .filter((m) => [...m.controllers.values()].some((c) => servesAuditors(c.metatype as Type)))
    .map((m) => m.metatype);
  const config = new DocumentBuilder()
    .setTitle('Attest auditor API')
    .setDescription(
      'For audit tools: reads people, requirement statuses, populations and controls, and exports evidence; nothing here changes a record. Authenticate with an auditor token (`attest token create --role auditor --name NAME`) sent as `Authorization: Bearer att_…`. Every read of personal details is recorded in the audit log under `auditor:<token name>`. Lists page by keyset: pass `nextCursor` back as `after`. Errors are JSON `{ status, error, message, details?, requestId }`.',
    )
    .setVersion('1')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'att_ followed by 43 base64url characters' },
      AUDITOR_TOKEN_SCHEME,
    )
    .build();
  app.get(ApiDocs).publish(SwaggerModule.createDocument(app, config, { include: modules }));
}
