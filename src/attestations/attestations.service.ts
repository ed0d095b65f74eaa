import type { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AttestMetrics } from '../metrics/attest-metrics';
import type { AttestationEvidence } from './attestation-evidence';
import { AttestationRepository, type NewAttestation } from './attestation.repository';
import { AttestationPdfPool } from './pdf/attestation-pdf.pool';
import { DocumentSealer } from './seal/document-sealer';
import { SealIdentity } from './seal/seal-identity';

/** What one attestation PDF is made of: the evidence, and the document as it was signed. */
export interface AttestInput {
  readonly evidence: AttestationEvidence;
  /** The Markdown of the version acknowledged, laid out before the attestation page. */
  readonly markdown: string;
}

/**
 * Turns evidence into its sealed PDF, once, inside the transaction that records the
 * acknowledgement: the record and its evidence commit together or not at all. It knows nothing
 * of what was acknowledged beyond the evidence it is handed.
 */
@Injectable()
export class AttestationsService {
  constructor(
    private readonly pdfs: AttestationPdfPool,
    private readonly sealer: DocumentSealer,
    private readonly seal: SealIdentity,
    private readonly attestations: AttestationRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: AttestMetrics,
  ) {}

  verificationUrl(attestationId: string): string {
    return `${this.config.publicUrl}/verify/${attestationId}`;
  }

  /** Renders, seals and adds the attestation to the caller's transaction. */
  async attestIn(em: EntityManager, input: AttestInput): Promise<NewAttestation> {
    const { evidence } = input;
    const stopTimer = this.metrics.sealDuration.startTimer();
    const { signer, document } = evidence;
    // Laid out and saved on a PDF thread; signed here, where the seal's key is.
    const pdf = await this.sealer.sign(
      await this.pdfs.render({
        input: {
          evidence,
          markdown: input.markdown,
          verificationUrl: this.verificationUrl(evidence.attestationId),
          seal: { subject: this.seal.subject, fingerprintSha256: this.seal.fingerprintSha256 },
        },
        field: this.sealer.fieldFor({
          reason: `${signer.name} ${evidence.kind === 'training' ? 'completed' : 'acknowledged'} ${document.title} version ${document.version}`,
          name: this.config.organisationName,
        }),
      }),
    );
    stopTimer();
    this.metrics.attestations.inc({ kind: evidence.kind });
    return this.attestations.append(em, {
      id: evidence.attestationId,
      personId: signer.personId,
      kind: evidence.kind,
      documentId: document.id,
      version: document.version,
      pdf,
      sha256: createHash('sha256').update(pdf).digest('hex'),
      size: pdf.length,
      evidence,
      sealFingerprint: this.seal.fingerprintSha256.replace(/:/g, '').toLowerCase(),
      createdAt: new Date(evidence.signedAt),
    });
  }
}
