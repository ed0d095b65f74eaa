import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { AuditTrailEntry } from './attestation-evidence';
import { Attestation } from './attestation.entity';

interface TrailRow {
  seq: string;
  occurred_at: Date;
  actor_id: string | null;
  action: string;
  ip: string | null;
  user_agent: string | null;
  hash: string;
}

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

  /**
   * The audit events behind one signature, in chain order: the person's consent, their views
   * of this version and what they did with it. Read inside the signing transaction.
   */
  async trailIn(
    em: EntityManager,
    personId: string,
    documentId: string,
    versionId: string,
    consentId: string | null,
  ): Promise<AuditTrailEntry[]> {
    const rows = await em.execute<TrailRow[]>(
      `select seq::text as seq, occurred_at, actor_id, action, ip, user_agent, hash
         from audit_event
        where actor_id = ?
          and ((action = 'esign.consented' and details->>'consentId' = ?)
            or (action = 'document.viewed' and details->>'versionId' = ?)
            or (subject_type = 'document' and subject_id = ? and action <> 'document.viewed'
                and details->>'versionId' = ?))
        order by audit_event.seq`,
      [personId, consentId ?? '', versionId, documentId, versionId],
    );
    return rows.map((r) => ({
      sequence: Number(r.seq),
      occurredAt: new Date(r.occurred_at).toISOString(),
      actor: r.actor_id ?? 'system',
      action: r.action,
      ip: r.ip,
      userAgent: r.user_agent,
      hash: r.hash,
    }));
  }
}
