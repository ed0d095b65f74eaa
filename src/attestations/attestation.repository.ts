import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Attestation } from './attestation.entity';

/** Sealed attestation PDFs. Append-only: there is deliberately no update or delete. */
@Injectable()
export class AttestationRepository {
  constructor(private readonly em: EntityManager) {}

  append(em: EntityManager, row: Omit<Attestation, 'person' | 'signature'> & { personId: string }) {
    const { personId, ...fields } = row;
    return em.create(Attestation, { ...fields, person: personId, signature: fields.id });
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
