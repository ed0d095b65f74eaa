import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * The OpenAPI document of the auditor API, built once at start-up from the controllers'
 * decorators (see publishApiDocs) and served by ApiDocsController.
 */
@Injectable()
export class ApiDocs {
  private document: OpenAPIObject | undefined;

  publish(document: OpenAPIObject): void {
    this.document = document;
  }

  get(): OpenAPIObject {
    if (!this.document) {
      throw new ServiceUnavailableException('The API documentation is not ready yet. Try again.');
    }
    return this.document;
  }
}
