import { Injectable } from '@nestjs/common';
import type { Principal } from '../access/principal';
import {
  type Acknowledgement,
  type RecordOutcome,
  SignatureRecorder,
} from '../signatures/signature-recorder';
import { SignatureKind } from '../signatures/signature.entity';
import { documentIntent, type RequestContext } from '../signatures/signing-evidence';
import { DocumentKind, type DocumentVersion } from './document-version.entity';
import { DocumentVersionRepository } from './document-version.repository';
import { DocumentNotFound } from './documents.errors';
import { type CeremonyEvidence, EsignCeremony } from './esign-ceremony';

export interface SignInput {
  readonly intent: boolean;
  readonly typedName: string;
  readonly submissionId: string;
}

const SIGNABLE = new Set<string>([
  DocumentKind.Policy,
  DocumentKind.Nda,
  DocumentKind.Confidentiality,
  DocumentKind.AcceptableUse,
]);

/** What signing a version of a document acknowledges; the ceremony adds who signed and how. */
export function documentAcknowledgement(
  version: DocumentVersion,
  input: Pick<SignInput, 'typedName' | 'submissionId'>,
  context: RequestContext,
): Omit<Acknowledgement, keyof CeremonyEvidence> {
  return {
    kind: SignatureKind.Document,
    version,
    intent: documentIntent(version.title, version.version),
    typedName: input.typedName,
    submissionId: input.submissionId,
    context,
  };
}

/** Signing a document: the ESIGN ceremony's checks, then the signature recorder. */
@Injectable()
export class SigningService {
  constructor(
    private readonly versions: DocumentVersionRepository,
    private readonly ceremony: EsignCeremony,
    private readonly recorder: SignatureRecorder,
  ) {}

  async sign(
    actor: Principal,
    documentId: string,
    version: string,
    input: SignInput,
    context: RequestContext,
  ): Promise<RecordOutcome> {
    const found = await this.versions.findVersion(documentId, version);
    if (!found || !SIGNABLE.has(found.kind)) throw new DocumentNotFound();
    const acknowledgement = documentAcknowledgement(found, input, context);
    let evidence: CeremonyEvidence;
    try {
      evidence = await this.ceremony.preconditions(actor, found, input);
    } catch (error) {
      // A retry of a submission that went through answers with what it recorded, whatever the
      // ceremony would say now (the version may have been superseded since). A retry the
      // ceremony still allows meets the signature's unique indexes, and the recorder answers it.
      const earlier = await this.recorder.earlier(actor.personId, acknowledgement);
      if (earlier) return { signature: earlier, created: false };
      throw error;
    }
    return this.recorder.record({ ...acknowledgement, ...evidence });
  }
}
