import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DocumentSource } from './document-source.parser';
import { DocumentKind, DocumentVersion } from './document-version.entity';

/** What sync compares a file against. */
export interface StoredVersion {
  readonly documentId: string;
  readonly version: string;
  readonly versionKey: string;
  readonly sha256: string;
}

/** Reads and appends document versions. There is deliberately no update or delete. */
@Injectable()
export class DocumentVersionRepository {
  constructor(private readonly em: EntityManager) {}

  /** What is stored, read in the caller's transaction (the sync's, under its lock). */
  async allStoredIn(em: EntityManager): Promise<StoredVersion[]> {
    return em.find(
      DocumentVersion,
      {},
      {
        fields: ['documentId', 'version', 'versionKey', 'sha256'],
        orderBy: { versionKey: 'asc' },
      },
    );
  }

  /** Appends every new version in the caller's transaction: all of them or none. */
  async appendIn(em: EntityManager, sources: readonly DocumentSource[], now: Date): Promise<void> {
    for (const s of sources) {
      em.create(DocumentVersion, {
        id: randomUUID(),
        documentId: s.documentId,
        version: s.version,
        versionKey: s.versionKey,
        title: s.title,
        kind: s.kind,
        effective: s.effective,
        change: s.change,
        changes: s.changes,
        resignOnMinor: s.resignOnMinor,
        body: s.body,
        source: s.source,
        sha256: s.sha256,
        quiz: s.quiz,
        sourcePath: s.file,
        publishedAt: now,
      });
    }
    await em.flush();
  }

  /** Several versions in one query. */
  findByIds(ids: readonly string[]): Promise<DocumentVersion[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.em.fork().find(DocumentVersion, { id: { $in: [...ids] } });
  }

  findById(id: string): Promise<DocumentVersion | null> {
    return this.em.fork().findOne(DocumentVersion, { id });
  }

  findVersion(documentId: string, version: string): Promise<DocumentVersion | null> {
    return this.em.fork().findOne(DocumentVersion, { documentId, version });
  }

  /** Every version of one document, oldest first. */
  history(documentId: string): Promise<DocumentVersion[]> {
    return this.em.fork().find(DocumentVersion, { documentId }, { orderBy: { versionKey: 'asc' } });
  }

  /** The latest version of one document. */
  current(documentId: string): Promise<DocumentVersion | null> {
    return this.em
      .fork()
      .findOne(DocumentVersion, { documentId }, { orderBy: { versionKey: 'desc' } });
  }

  /** The current title of every document and training module, by its id (latest version). */
  async currentTitles(): Promise<Map<string, string>> {
    const rows = await this.em.fork().execute<{ documentId: string; title: string }[]>(
      `select distinct on (document_id) document_id as "documentId", title from document_version
        order by document_id, version_key desc`,
    );
    return new Map(rows.map((r) => [r.documentId, r.title]));
  }

  /**
   * The current title and kind of every document of the given kinds, by id: what a task list
   * names, without reading each document's text.
   */
  async currentTitlesOfKinds(
    kinds: readonly DocumentKind[],
  ): Promise<Map<string, { title: string; kind: DocumentKind }>> {
    if (kinds.length === 0) return new Map();
    const rows = await this.em
      .fork()
      .execute<{ documentId: string; title: string; kind: DocumentKind }[]>(
        `select distinct on (document_id) document_id as "documentId", title, kind
           from document_version where kind in (${kinds.map(() => '?').join(', ')})
          order by document_id, version_key desc`,
        [...kinds],
      );
    return new Map(rows.map((r) => [r.documentId, { title: r.title, kind: r.kind }]));
  }

  /** The latest version's number and change summary of every document: what a re-sign asks. */
  async currentChanges(): Promise<Map<string, { version: string; changes: string }>> {
    const rows = await this.em
      .fork()
      .execute<{ documentId: string; version: string; changes: string }[]>(
        `select distinct on (document_id) document_id as "documentId", version, changes
           from document_version order by document_id, version_key desc`,
      );
    return new Map(rows.map((r) => [r.documentId, { version: r.version, changes: r.changes }]));
  }

  /** The latest version of every document of the given kinds, by title. */
  async currentOfKinds(kinds: readonly DocumentKind[]): Promise<DocumentVersion[]> {
    const em = this.em.fork();
    const ids = await em.execute<{ id: string }[]>(
      `select distinct on (document_id) id from document_version
        where kind in (${kinds.map(() => '?').join(', ')})
        order by document_id, version_key desc`,
      [...kinds],
    );
    if (ids.length === 0) return [];
    return em.find(
      DocumentVersion,
      { id: { $in: ids.map((r) => r.id) } },
      { orderBy: { title: 'asc' } },
    );
  }

  /** The disclosure people consent to now: the latest version of the disclosure. */
  async currentDisclosure(): Promise<DocumentVersion | null> {
    return this.em
      .fork()
      .findOne(
        DocumentVersion,
        { kind: DocumentKind.Disclosure },
        { orderBy: { versionKey: 'desc', documentId: 'asc' } },
      );
  }
}
