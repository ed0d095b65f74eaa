import { Injectable } from '@nestjs/common';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { DocumentNotFound } from '../documents/documents.errors';
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
    const own = row?.person.id === actor.personId;
    if (!row || (!own && !actor.permissions.has(Permission.SignatureRead))) {
      throw new DocumentNotFound();
    }
    const pdf = await this.attestations.pdfOf(id);
    if (!pdf) throw new DocumentNotFound();
    if (!own) {
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
