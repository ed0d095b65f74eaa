import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { DocumentSealer } from '../attestations/seal/document-sealer';
import { SealIdentity } from '../attestations/seal/seal-identity';
import { ControlNotFound } from '../auditors/auditors.errors';
import { ControlsService } from '../auditors/controls.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { NotificationHistoryReader } from '../notifications/notification-history.reader';
import {
  type AttestationCursor,
  ExportAttestationRepository,
} from './export-attestation.repository';
import { type AttestationSelection, type ExportFilters, selectionFor } from './export-filters';
import { followUpCsv } from './export-follow-up';
import {
  EXPORT_MAX_ATTESTATIONS,
  EXPORT_MAX_PDF_BYTES,
  type ExportManifest,
  FOLLOW_UP_PATH,
  INDEX_PATH,
  indexHeaderLine,
  indexLine,
  MANIFEST_FORMAT,
  MANIFEST_PATH,
  MANIFEST_SIGNATURE_PATH,
  type ManifestFile,
  manifestBytes,
  pdfPath,
} from './export-manifest';
import {
  ExportAborted,
  ExportFiltersInvalid,
  ExportTooLarge,
  StoredAttestationCorrupt,
} from './exports.errors';
import { ZipStreamWriter } from './zip-stream.writer';

/** PDFs fetched per query: about 10 MB at a typical attestation's size. */
export const EXPORT_BATCH = 100;
/** Bytes allowed to wait for a slow reader before the next batch is read. */
const QUEUE_LIMIT_BYTES = 8 * 1024 * 1024;

export interface ExportRequest {
  readonly exportId: string;
  readonly filters: ExportFilters;
  readonly generatedAt: Date;
}

export interface ExportOptions {
  /** Called after each batch with the number of PDFs written so far. */
  readonly onProgress?: (done: number) => void | Promise<void>;
  readonly signal?: AbortSignal;
}

export interface ExportResult {
  readonly count: number;
  /** SHA-256 (hex) and size of the whole ZIP as written. */
  readonly sha256: string;
  readonly size: number;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const GIB = 1024 * 1024 * 1024;
const tooMany = (count: number) =>
  new ExportTooLarge(
    `${count.toLocaleString('en')} sealed PDFs`,
    `${EXPORT_MAX_ATTESTATIONS.toLocaleString('en')} PDFs`,
  );
const tooLarge = () =>
  new ExportTooLarge(
    `more than ${EXPORT_MAX_PDF_BYTES / GIB} GiB of sealed PDFs`,
    `${EXPORT_MAX_PDF_BYTES / GIB} GiB of them`,
  );

/**
 * Writes an auditor export: the original sealed PDFs byte for byte, index.csv, follow-up.csv
 * (the reminders and escalations concerning the people in it), manifest.json with every file's
 * SHA-256, and manifest.json.p7s (detached CMS by the seal). Memory stays flat: PDFs are read a
 * batch at a time and released once written; what grows with the export is one index line and
 * one manifest entry per PDF (a few hundred bytes, against ~100 KB), and follow-up.csv, which
 * EXPORT_MAX_FOLLOW_UP_BYTES bounds.
 */
@Injectable()
export class AttestationExporter {
  constructor(
    private readonly attestations: ExportAttestationRepository,
    private readonly controls: ControlsService,
    private readonly sealer: DocumentSealer,
    private readonly seal: SealIdentity,
    private readonly followUps: NotificationHistoryReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The filters against the control map; an unknown control is refused here. */
  selection(filters: ExportFilters): AttestationSelection {
    let selectors = null;
    if (filters.control !== null) {
      try {
        selectors = this.controls.subjectsFor(filters.control);
      } catch (error) {
        if (error instanceof ControlNotFound) {
          throw new ExportFiltersInvalid(
            `There is no control "${filters.control}" in policies/controls.yml. Choose one from the list.`,
          );
        }
        throw error;
      }
    }
    return selectionFor(filters, selectors);
  }

  /** How many PDFs the filters select; more than one export holds is refused here. */
  async count(filters: ExportFilters): Promise<number> {
    const count = await this.attestations.count(this.selection(filters));
    if (count > EXPORT_MAX_ATTESTATIONS) throw tooMany(count);
    return count;
  }

  /** Streams the ZIP into `destination`; on any failure the destination is destroyed. */
  async write(
    request: ExportRequest,
    destination: Writable,
    options: ExportOptions = {},
  ): Promise<ExportResult> {
    const selection = this.selection(request.filters);
    const zip = new ZipStreamWriter(destination);
    try {
      const files: ManifestFile[] = [];
      const index: string[] = [indexHeaderLine()];
      const people = new Set<string>();
      let pdfBytes = 0;
      let after: AttestationCursor | undefined;
      for (;;) {
        if (options.signal?.aborted) throw new ExportAborted();
        const page = await this.attestations.page(selection, after, EXPORT_BATCH);
        if (page.length === 0) break;
        const pdfs = await this.attestations.pdfs(page.map((a) => a.id));
        for (const attestation of page) {
          const pdf = pdfs.get(attestation.id);
          const digest = pdf && sha256(pdf);
          if (!pdf || digest !== attestation.sha256) {
            throw new StoredAttestationCorrupt(attestation.id);
          }
          // count() refused a larger selection, but people sign while an export runs. The
          // verifier's limits follow from these maxima, so whatever is written verifies.
          pdfBytes += pdf.length;
          if (files.length === EXPORT_MAX_ATTESTATIONS) throw tooMany(files.length + 1);
          if (pdfBytes > EXPORT_MAX_PDF_BYTES) throw tooLarge();
          const path = pdfPath(attestation.id);
          zip.add(path, pdf, { mtime: new Date(attestation.signedAt), compress: false });
          files.push({ path, size: pdf.length, sha256: digest });
          index.push(indexLine(attestation));
          people.add(attestation.personId);
        }
        pdfs.clear();
        after = page[page.length - 1].cursor;
        await zip.drainBelow(QUEUE_LIMIT_BYTES);
        await options.onProgress?.(files.length);
        if (page.length < EXPORT_BATCH) break;
      }
      const count = files.length;
      const indexBytes = Buffer.from(index.join(''), 'utf8');
      zip.add(INDEX_PATH, indexBytes, { mtime: request.generatedAt, compress: true });
      files.push({ path: INDEX_PATH, size: indexBytes.length, sha256: sha256(indexBytes) });
      // Listed in the manifest like index.csv, so the signature covers it: an edited history
      // fails `attest verify`.
      const followUp = await followUpCsv(this.followUps, people, { signal: options.signal });
      zip.add(FOLLOW_UP_PATH, followUp, { mtime: request.generatedAt, compress: true });
      files.push({ path: FOLLOW_UP_PATH, size: followUp.length, sha256: sha256(followUp) });

      const manifest = manifestBytes(this.manifest(request, count, files));
      zip.add(MANIFEST_PATH, manifest, { mtime: request.generatedAt, compress: true });
      const signature = await this.sealer.signDetached(manifest);
      zip.add(MANIFEST_SIGNATURE_PATH, signature, { mtime: request.generatedAt, compress: false });
      const written = await zip.finish();
      return { count, ...written };
    } catch (error) {
      zip.abort(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
  }

  private manifest(
    request: ExportRequest,
    count: number,
    files: readonly ManifestFile[],
  ): ExportManifest {
    return {
      format: MANIFEST_FORMAT,
      exportId: request.exportId,
      generatedAt: request.generatedAt.toISOString(),
      organisation: this.config.organisationName,
      filters: request.filters,
      count,
      seal: { subject: this.seal.subject, fingerprintSha256: this.seal.fingerprintSha256 },
      files,
    };
  }
}
