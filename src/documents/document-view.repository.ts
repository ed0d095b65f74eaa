import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

/** When each person first opened each version. Append-only. */
@Injectable()
export class DocumentViewRepository {
  constructor(private readonly em: EntityManager) {}

  /** Records the first view; later views change nothing. Returns whether this was the first. */
  async recordFirst(
    personId: string,
    versionId: string,
    sessionId: string,
    now: Date,
  ): Promise<boolean> {
    const rows = await this.em.fork().execute<{ id: string }[]>(
      `insert into document_view (id, person_id, document_version_id, viewed_at, session_id)
       values (?, ?, ?, ?, ?)
       on conflict (person_id, document_version_id) do nothing
       returning id`,
      [randomUUID(), personId, versionId, now, sessionId],
    );
    return rows.length === 1;
  }
}
