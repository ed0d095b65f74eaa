import { Injectable } from '@nestjs/common';
import type { DocumentVersionFact } from './assignment-deriver';

/**
 * The published versions of each document, for re-acknowledgement. The documents module
 * replaces this provider with one that reads its versions; until then no document has a new
 * version, so nobody is asked to re-sign.
 */
@Injectable()
export class DocumentPublicationsReader {
  all(): Promise<ReadonlyMap<string, readonly DocumentVersionFact[]>> {
    return Promise.resolve(new Map());
  }
}
