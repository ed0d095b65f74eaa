import { open, readFile } from 'node:fs/promises';
import type { INestApplicationContext } from '@nestjs/common';
import {
  AttestationVerificationService,
  VERIFY_MAX_BYTES,
} from '../attestations/attestation-verification.service';
import type { AppConfig } from '../config/app-config';
import { ExportArchiveModule } from '../exports/export-archive.module';
import { ExportZipVerifier } from '../exports/export-zip-verifier';
import { withAppContext } from './cli-context';
import { type CliIo, EXIT_FAILED, EXIT_OK } from './cli-io';
import { humanInstant, plural } from '../common/labels';

const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');

/** The first bytes and the size of a file, or undefined when it cannot be read. */
async function peek(path: string): Promise<{ head: Buffer; size: number } | undefined> {
  try {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      const head = Buffer.alloc(4);
      await file.read(head, 0, 4, 0);
      return { head, size };
    } finally {
      await file.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * `attest verify FILE`: an attestation PDF (its seal, and that Attest issued exactly these
 * bytes with this evidence), a sealed compliance summary (its seal over every byte), or an export ZIP (the manifest's signature, every file against the
 * manifest, and every PDF's seal). Exit 0 when valid; exit 1 with the one reason otherwise.
 */
export function runVerify(config: AppConfig, path: string, io: CliIo): Promise<number> {
  return withAppContext(config, [ExportArchiveModule], async (context) => {
    const file = await peek(path);
    if (!file) {
      io.err(`Not valid (unreadable): ${path} cannot be read.`);
      return EXIT_FAILED;
    }
    return file.head.equals(ZIP_MAGIC)
      ? verifyZip(context, path, io)
      : verifyPdf(context, path, file.size, io);
  });
}

async function verifyZip(context: INestApplicationContext, path: string, io: CliIo) {
  const result = await context.get(ExportZipVerifier).verify(path);
  if (!result.valid) {
    io.err(`Not valid (${result.reason}): ${result.message}`);
    return EXIT_FAILED;
  }
  io.out(
    `Valid export ${result.exportId} generated ${result.generatedAt}: ${result.count} attestation PDF(s) and ${result.files - result.count} other file(s) match manifest.json, sealed by ${result.sealSubject} (SHA-256 ${result.sealFingerprint}).`,
  );
  return EXIT_OK;
}

async function verifyPdf(context: INestApplicationContext, path: string, size: number, io: CliIo) {
  if (size > VERIFY_MAX_BYTES) {
    io.err('Not valid (too-large): The file is larger than an attestation PDF can be.');
    return EXIT_FAILED;
  }
  const result = await context.get(AttestationVerificationService).verifyFile(await readFile(path));
  if (!result.valid) {
    io.err(`Not valid (${result.reason}): ${result.message}`);
    return EXIT_FAILED;
  }
  if (result.kind === 'compliance-summary') {
    io.out(
      `Valid compliance summary of ${result.personName}, generated ${humanInstant(result.generatedAt)} by ${result.organisation}: ${plural(result.requirementCount, 'requirement')}, PAdES ${result.level}, sealed by ${result.sealSubject}; file SHA-256 ${result.fileSha256}.`,
    );
    return EXIT_OK;
  }
  io.out(
    `Valid attestation ${result.attestationId}: ${result.documentTitle} version ${result.version}, signed ${result.signedAt}, PAdES ${result.level}, sealed by ${result.sealSubject}; file SHA-256 ${result.fileSha256}.`,
  );
  return EXIT_OK;
}
