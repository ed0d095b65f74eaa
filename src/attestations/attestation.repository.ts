import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
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

/** The table as the append writes it (attestation.entity.ts is the schema). */
interface AttestationTable {
  attestation: {
    id: string;
    signature_id: string;
    person_id: string;
    kind: string;
    document_id: string;
    version: string;
    pdf: Buffer;
    sha256: string;
    size: number;
    evidence: string;
    seal_fingerprint: string;
    created_at: Date;
  };
}

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
    await em
      .getKysely<AttestationTable>()
      .insertInto('attestation')
      .values({
        id: row.id,
        signature_id: row.id,
        person_id: row.personId,
        kind: row.kind,
        document_id: row.documentId,
        version: row.version,
        pdf: row.pdf,
        sha256: row.sha256,
        size: row.size,
        evidence: JSON.stringify(row.evidence),
        seal_fingerprint: row.sealFingerprint,
        created_at: row.createdAt,
      })
      .execute();
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
