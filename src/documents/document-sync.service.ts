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
  ) {}

  /**
   * Publishes what is new. With `derive`, everyone's assignments are recomputed afterwards, so a
   * material version is due again at once; start-up leaves that to its background derivation.
   */
  async sync(options: { derive: boolean } = { derive: true }): Promise<SyncReport> {
    const problems: DocumentSourceProblem[] = [];
    const sources = this.readSources(problems);
    const stored = await this.versions.allStored();
    const fresh = this.newVersions(sources, stored, problems);
    if (problems.length > 0) throw new DocumentSyncRefused(problems);
    if (fresh.length > 0) await this.versions.appendAll(fresh, this.clock.now());
    for (const s of fresh) {
      await this.audit.record({
        action: 'document.published',
        actorId: 'system',
        subjectType: 'document',
        subjectId: s.documentId,
        details: { version: s.version, sha256: s.sha256, change: s.change },
      });
    }
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
