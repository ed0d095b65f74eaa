import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { prepared, runPrepared } from '../database/prepared-statement';
import type { AttestationEvidence } from './attestation-evidence';
import { Attestation } from './attestation.entity';

/** A new attestation: the signature's id, the sealed bytes and the evidence they carry. */
export interface NewAttestation {
  readonly id: string;
  readonly personId: string;
  readonly kind: string;
  readonly documentId: string;
  readonly version: string;
  readonly pdf: Buffer;
  readonly sha256: string;
  readonly size: number;
  readonly evidence: AttestationEvidence;
  readonly sealFingerprint: string;
  readonly createdAt: Date;
}

/**
 * The append: id, signature id, person, kind, document, version, the PDF (a binary parameter),
 * its SHA-256 and size, the evidence, the seal's fingerprint and the time.
 */
const INSERT = prepared(`insert into attestation
  (id, signature_id, person_id, kind, document_id, version, pdf, sha256, size, evidence,
   seal_fingerprint, created_at)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)`);

/** Sealed attestation PDFs. Append-only: there is deliberately no update or delete. */
@Injectable()
export class AttestationRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Inserts the attestation in the caller's transaction, now. The PDF travels as a binary
   * parameter: written into the statement as the ORM writes values, a 300 KB PDF became 600 KB
   * of hex text that the app built and sent and the database parsed, on every signature.
   */
  async append(em: EntityManager, row: NewAttestation): Promise<NewAttestation> {
    await runPrepared(em, INSERT, [
      row.id,
      row.id,
      row.personId,
      row.kind,
      row.documentId,
      row.version,
      row.pdf,
      row.sha256,
      row.size,
      JSON.stringify(row.evidence),
      row.sealFingerprint,
      row.createdAt,
    ]);
    return row;
  }

  findById(id: string): Promise<Attestation | null> {
    return this.em.fork().findOne(Attestation, { id });
  }

  findBySha256(sha256: string): Promise<Attestation | null> {
    return this.em.fork().findOne(Attestation, { sha256 });
  }

  /** A person's attestations, oldest first, without their PDFs. */
  listForPerson(personId: string): Promise<Attestation[]> {
    return this.em
      .fork()
      .find(Attestation, { person: personId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /** The sealed bytes, exactly as issued. */
  async pdfOf(id: string): Promise<Buffer | null> {
    const row = await this.em.fork().findOne(Attestation, { id }, { populate: ['pdf'] });
    return row ? Buffer.from(row.pdf) : null;
  }
}
