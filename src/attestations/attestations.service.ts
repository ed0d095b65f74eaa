import type { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { DocumentVersion } from '../documents/document-version.entity';
import { type Signature, SignatureKind } from '../documents/signature.entity';
import type { Person } from '../people/person.entity';
import type { AttestationEvidence } from './attestation-evidence';
import type { Attestation } from './attestation.entity';
import { AttestationRepository } from './attestation.repository';
import { AttestationPdfRenderer } from './pdf/attestation-pdf.renderer';
import { DocumentSealer } from './seal/document-sealer';
import { SealIdentity } from './seal/seal-identity';

export interface AttestInput {
  readonly signature: Signature;
  readonly person: Person;
  readonly version: DocumentVersion;
  readonly consentId: string;
  readonly training?: { score: number; passMark: number; attempt: number };
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/**
 * Turns a signature or a training pass into its sealed PDF, once, inside the transaction that
 * records it: the record and its evidence commit together or not at all.
 */
@Injectable()
export class AttestationsService {
  constructor(
    private readonly renderer: AttestationPdfRenderer,
    private readonly sealer: DocumentSealer,
    private readonly seal: SealIdentity,
    private readonly attestations: AttestationRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  verificationUrl(attestationId: string): string {
    return `${this.config.publicUrl}/verify/${attestationId}`;
  }

  async attestIn(em: EntityManager, input: AttestInput): Promise<Attestation> {
    const { signature: s, person, version } = input;
    const auditTrail = await this.attestations.trailIn(
      em,
      person.id,
      version.documentId,
      version.id,
      input.consentId,
    );
    const evidence: AttestationEvidence = {
      attestationId: s.id,
      kind: s.kind === SignatureKind.Training ? 'training' : 'signature',
      organisation: this.config.organisationName,
      document: {
        id: version.documentId,
        title: version.title,
        kind: version.kind,
        version: version.version,
        effective: version.effective,
        sha256: version.sha256,
      },
      signer: {
        personId: person.id,
        name: person.fullName,
        email: person.email,
        employeeNumber: person.employeeNumber ?? null,
      },
      authentication: {
        idpEntityId: s.idpEntityId,
        nameId: s.nameId,
        authnInstant: iso(s.authnInstant),
        mfa: s.mfa ?? null,
      },
      consent: {
        disclosureVersion: s.disclosureVersion,
        disclosureSha256: s.disclosureSha256,
        consentedAt: iso(s.consentedAt)!,
      },
      intent: { text: s.intentText, sha256: s.intentSha256 },
      typedName: s.typedName,
      viewedAt: iso(s.viewedAt)!,
      signedAt: iso(s.signedAt)!,
      ip: s.ip ?? null,
      userAgent: s.userAgent ?? null,
      ...(input.training ? { training: input.training } : {}),
      auditTrail,
    };
    const doc = await this.renderer.renderAttestation({
      evidence,
      markdown: version.body,
      verificationUrl: this.verificationUrl(s.id),
      seal: this.seal,
    });
    const pdf = await this.sealer.seal(doc, {
      reason: `${person.fullName} ${evidence.kind === 'training' ? 'completed' : 'acknowledged'} ${version.title} version ${version.version}`,
      name: this.config.organisationName,
    });
    return this.attestations.append(em, {
      id: s.id,
      personId: person.id,
      kind: evidence.kind,
      documentId: version.documentId,
      version: version.version,
      pdf,
      sha256: createHash('sha256').update(pdf).digest('hex'),
      size: pdf.length,
      evidence,
      sealFingerprint: this.seal.fingerprintSha256.replace(/:/g, '').toLowerCase(),
      createdAt: s.signedAt,
    });
  }
}
