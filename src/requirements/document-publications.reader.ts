import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { calendarDayOf } from '../common/calendar-day';
import { prepared, runPrepared } from '../database/prepared-statement';
import type { DocumentVersionFact } from './assignment-deriver';

interface PublicationRow {
  document_id: string;
  version: string;
  published_at: Date;
  change: string;
  resign_on_minor: boolean;
}

const PUBLICATIONS = prepared(`select document_id, version, published_at, change, resign_on_minor
  from document_version where kind <> 'disclosure'
  order by document_id, version_key`);

/**
 * The published versions of each document, for re-acknowledgement. Read straight from the
 * documents module's append-only table: derivation needs the facts, not the documents module.
 */
@Injectable()
export class DocumentPublicationsReader {
  constructor(private readonly em: EntityManager) {}

  /** In `em`'s transaction when given: the embedded database has one connection. */
  async all(
    em: EntityManager = this.em.fork(),
  ): Promise<ReadonlyMap<string, readonly DocumentVersionFact[]>> {
    const rows = await runPrepared<PublicationRow>(em, PUBLICATIONS, []);
    const byDocument = new Map<string, DocumentVersionFact[]>();
    for (const row of rows) {
      const facts = byDocument.get(row.document_id) ?? [];
      facts.push({
        version: row.version,
        publishedOn: calendarDayOf(new Date(row.published_at)),
        // A minor version asks for a new signature only where the document says so.
        material: row.change === 'material' || row.resign_on_minor,
      });
      byDocument.set(row.document_id, facts);
    }
    return byDocument;
  }
}
