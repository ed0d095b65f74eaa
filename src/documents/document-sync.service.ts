import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { RequirementsService } from '../requirements/requirements.service';
import { type DocumentSource, parseDocumentSource } from './document-source.parser';
import { DocumentVersionRepository, type StoredVersion } from './document-version.repository';
import { type DocumentSourceProblem, DocumentSyncRefused } from './documents.errors';

/** Injection token: the folder holding documents/ and esign/ (policies/ by default). */
export const POLICIES_DIR = Symbol('POLICIES_DIR');

/** Advisory lock key ("DOCS") that serialises document syncs across instances. */
const DOCUMENT_SYNC_LOCK = 0x444f4353;

export interface SyncReport {
  readonly published: readonly { documentId: string; version: string }[];
  readonly unchanged: number;
}

/** The folders sync reads, and whether they hold the ESIGN disclosure. */
const FOLDERS = [
  { folder: 'documents', disclosure: false },
  { folder: 'esign', disclosure: true },
] as const;

/**
 * Imports policies/documents/*.md and policies/esign/*.md as immutable versions. Every file is
 * checked before anything is written: one refused file leaves the database as it was.
 */
@Injectable()
export class DocumentSyncService {
  private readonly logger = new Logger(DocumentSyncService.name);

  constructor(
    @Inject(POLICIES_DIR) private readonly policiesDir: string,
    private readonly versions: DocumentVersionRepository,
    private readonly audit: AuditService,
    private readonly requirements: RequirementsService,
    private readonly clock: Clock,
    private readonly em: EntityManager,
  ) {}

  /**
   * Publishes what is new. With `derive`, everyone's assignments are recomputed afterwards, so a
   * material version is due again at once; start-up leaves that to its background derivation.
   */
  async sync(options: { derive: boolean } = { derive: true }): Promise<SyncReport> {
    const problems: DocumentSourceProblem[] = [];
    const sources = this.readSources(problems);
    // One transaction under a lock: instances starting together behind a load balancer take
    // turns, and the second finds the first's versions stored rather than publishing them
    // twice. The versions and their audit events commit together or not at all.
    const fresh = await this.em.fork().transactional(async (tx) => {
      await tx.execute('select pg_advisory_xact_lock(?)', [DOCUMENT_SYNC_LOCK]);
      const stored = await this.versions.allStoredIn(tx);
      const found = this.newVersions(sources, stored, problems);
      if (problems.length > 0) throw new DocumentSyncRefused(problems);
      if (found.length === 0) return found;
      await this.versions.appendIn(tx, found, this.clock.now());
      for (const s of found) {
        await this.audit.recordIn(tx, {
          action: 'document.published',
          actorId: 'system',
          subjectType: 'document',
          subjectId: s.documentId,
          details: { version: s.version, sha256: s.sha256, change: s.change },
        });
      }
      return found;
    });
    if (fresh.length > 0) this.logger.log(`published ${fresh.length} document version(s)`);
    if (fresh.length > 0 && options.derive) await this.requirements.derive();
    return {
      published: fresh.map((s) => ({ documentId: s.documentId, version: s.version })),
      unchanged: sources.length - fresh.length,
    };
  }

  private readSources(problems: DocumentSourceProblem[]): DocumentSource[] {
    const sources: DocumentSource[] = [];
    const owner = new Map<string, string>();
    for (const { folder, disclosure } of FOLDERS) {
      let names: string[];
      try {
        names = readdirSync(join(this.policiesDir, folder)).filter((n) => n.endsWith('.md'));
      } catch {
        problems.push({ file: `${folder}/`, message: 'folder cannot be read; create it' });
        continue;
      }
      for (const name of names.sort()) {
        const file = `${folder}/${name}`;
        const result = parseDocumentSource(file, readFileSync(join(this.policiesDir, file)), {
          disclosure,
        });
        if (!result.ok) {
          result.messages.forEach((message) => problems.push({ file, message }));
          continue;
        }
        const doc = result.document;
        if (doc.documentId !== basename(name, '.md')) {
          problems.push({ file, message: `id "${doc.documentId}" must match the file name` });
          continue;
        }
        const other = owner.get(doc.documentId);
        if (other) {
          problems.push({ file, message: `id "${doc.documentId}" is already used by ${other}` });
          continue;
        }
        owner.set(doc.documentId, file);
        sources.push(doc);
      }
    }
    return sources;
  }

  private newVersions(
    sources: readonly DocumentSource[],
    stored: readonly StoredVersion[],
    problems: DocumentSourceProblem[],
  ): DocumentSource[] {
    const byDocument = new Map<string, StoredVersion[]>();
    for (const row of stored) {
      byDocument.set(row.documentId, [...(byDocument.get(row.documentId) ?? []), row]);
    }
    const fresh: DocumentSource[] = [];
    for (const source of sources) {
      const history = byDocument.get(source.documentId) ?? [];
      const same = history.find((v) => v.version === source.version);
      const latest = history.at(-1);
      if (same) {
        if (same.sha256 !== source.sha256) {
          problems.push({
            file: source.file,
            message: `changed, but its version ${source.version} was already published with other content; published versions never change: bump "version" (and set "change" and "changes")`,
          });
        }
      } else if (latest && source.versionKey < latest.versionKey) {
        problems.push({
          file: source.file,
          message: `version ${source.version} goes backwards: ${latest.version} is already published; use a version after ${latest.version}`,
        });
      } else {
        fresh.push(source);
      }
    }
    return fresh;
  }
}
