import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

/** A document's version in force: the latest one published. */
export interface DocumentInForce {
  readonly documentId: string;
  readonly title: string;
  readonly kind: string;
  readonly version: string;
  readonly effective: string;
  readonly publishedAt: Date;
}

/** What the configuration page reads from the database: the documents in force. */
@Injectable()
export class ConfigurationRepository {
  constructor(private readonly em: EntityManager) {}

  documentsInForce(): Promise<DocumentInForce[]> {
    return this.em.fork().execute<DocumentInForce[]>(
      `select * from (
         select distinct on (document_id) document_id as "documentId", title, kind, version,
           to_char(effective, 'YYYY-MM-DD') as effective, published_at as "publishedAt"
         from document_version order by document_id, version_key desc
       ) current order by title`,
    );
  }
}
