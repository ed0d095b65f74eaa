import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';

/** A filter that is not what the form asks for. */
export class ExportFiltersInvalid extends BadRequestException {
  constructor(message: string) {
    super(message);
    this.name = 'ExportFiltersInvalid';
  }
}

/**
 * The filters select more than one export holds (EXPORT_MAX_ATTESTATIONS PDFs,
 * EXPORT_MAX_PDF_BYTES of them, or EXPORT_MAX_FOLLOW_UP_BYTES of follow-up history): past that,
 * `attest verify` would refuse the ZIP.
 */
export class ExportTooLarge extends ExportFiltersInvalid {
  constructor(what: string, most: string) {
    super(
      `These filters select ${what}; one export holds at most ${most}. Choose a shorter period, a department or a control, and export in parts.`,
    );
    this.name = 'ExportTooLarge';
  }
}

/** No such export, or one this caller may not see: the same answer, so ids cannot be probed. */
export class ExportNotFound extends NotFoundException {
  constructor() {
    super('There is no such export. Go back to the exports page and choose one from the list.');
    this.name = 'ExportNotFound';
  }
}

/** The ZIP is not ready (still running, failed, or streamed and never stored). */
export class ExportNotDownloadable extends ConflictException {
  constructor(message: string) {
    super(message);
    this.name = 'ExportNotDownloadable';
  }
}

/**
 * A stored PDF whose bytes no longer match the SHA-256 recorded when it was sealed. The export
 * stops rather than hand an auditor a file that would not verify.
 */
export class StoredAttestationCorrupt extends Error {
  constructor(readonly attestationId: string) {
    super(
      `Attestation ${attestationId} no longer matches the SHA-256 recorded when it was sealed; the export was stopped. Check the database's integrity.`,
    );
    this.name = 'StoredAttestationCorrupt';
  }
}

/** The export was stopped from outside (shutdown, or the client went away). */
export class ExportAborted extends Error {
  constructor() {
    super('The export was interrupted.');
    this.name = 'ExportAborted';
  }
}
