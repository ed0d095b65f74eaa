import { Injectable } from '@nestjs/common';
import { attestationAccess } from '../access/attestation.policy';
import type { Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { AttestationNotFound } from './attestations.errors';
import { AttestationRepository } from './attestation.repository';

/** Who may download a sealed PDF: its signer, or someone who may read signatures. */
@Injectable()
export class AttestationFilesService {
  constructor(
    private readonly attestations: AttestationRepository,
    private readonly audit: AuditService,
  ) {}

  async pdf(actor: Principal, id: string): Promise<Buffer> {
    const row = await this.attestations.findById(id);
    const access = row ? attestationAccess(actor, { personId: row.person.id }) : 'none';
    if (access === 'none') throw new AttestationNotFound();
    const pdf = await this.attestations.pdfOf(id);
    if (!pdf) throw new AttestationNotFound();
    if (access !== 'own') {
      await this.audit.record({
        action: 'attestation.downloaded',
        actorId: actor.personId,
        subjectType: 'attestation',
        subjectId: id,
      });
    }
    return pdf;
  }
}
