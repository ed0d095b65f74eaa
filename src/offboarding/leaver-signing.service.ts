import { Injectable } from '@nestjs/common';
import { DocumentVersionRepository } from '../documents/document-version.repository';
import { DocumentNotFound } from '../documents/documents.errors';
import { DocumentsService } from '../documents/documents.service';
import type { DocumentReadingView } from '../documents/documents.views';
import { EsignCeremony } from '../documents/esign-ceremony';
import { documentAcknowledgement } from '../documents/signing.service';
import { SignatureRecorder } from '../signatures/signature-recorder';
import type { RequestContext } from '../signatures/signing-evidence';
import { label } from '../common/labels';
import { SigningLinkInvalid } from './offboarding.errors';
import { OffboardingDocuments } from './offboarding-documents.reader';
import { type LinkPrincipal, SigningLinksService } from './signing-links.service';

export interface LeaverHomeView {
  title: string;
  documents: { id: string; title: string; href: string }[];
}

export interface LeaverSignInput {
  readonly intent: boolean;
  readonly typedName: string;
  readonly submissionId: string;
}

/**
 * Reading and signing through a one-time link: only the leaver's open offboarding documents,
 * through the same ESIGN ceremony and signature recorder as any signature (sealed PDF,
 * completion, audit), with the link named as how the signer was authenticated.
 */
@Injectable()
export class LeaverSigningService {
  constructor(
    private readonly open: OffboardingDocuments,
    private readonly documents: DocumentsService,
    private readonly versions: DocumentVersionRepository,
    private readonly ceremony: EsignCeremony,
    private readonly recorder: SignatureRecorder,
    private readonly links: SigningLinksService,
  ) {}

  async home(actor: LinkPrincipal): Promise<LeaverHomeView> {
    const ids = await this.open.openFor(actor.personId);
    return {
      title: 'Before you go',
      documents: ids.map((id) => ({
        id,
        title: label(id),
        href: `/leaving/documents/${encodeURIComponent(id)}`,
      })),
    };
  }

  /** The document's page, with its form posting back under /leaving. */
  async read(
    actor: LinkPrincipal,
    documentId: string,
    context: RequestContext,
    form?: { error: string; typedName: string },
  ): Promise<DocumentReadingView> {
    await this.requireOpen(actor, documentId);
    const view = await this.documents.read(actor, documentId, undefined, context, form);
    if (view.form) {
      view.form = {
        ...view.form,
        action: `/leaving/documents/${documentId}/versions/${view.version}/signatures`,
      };
    }
    return view;
  }

  async sign(
    actor: LinkPrincipal,
    documentId: string,
    version: string,
    input: LeaverSignInput,
    context: RequestContext,
  ): Promise<void> {
    await this.requireOpen(actor, documentId);
    const found = await this.versions.findVersion(documentId, version);
    if (!found) throw new DocumentNotFound();
    const acknowledgement = documentAcknowledgement(found, input, context);
    const authentication = await this.links.authenticationOf(actor);
    const evidence = await this.ceremony.preconditions(actor, found, input, authentication);
    const ack = { ...acknowledgement, ...evidence };
    const rule = await this.recorder.ruleFor(ack);
    await this.recorder.transaction(async (em) => {
      // Claimed first: a second submission through the same link waits here, then finds it used.
      if (!(await this.links.useIn(em, actor.linkId))) throw new SigningLinkInvalid();
      const signature = await this.recorder.recordIn(em, ack, {
        rule,
        events: [
          {
            action: 'signingLink.used',
            actorId: actor.personId,
            subjectType: 'person',
            subjectId: actor.personId,
            details: { linkId: actor.linkId, sessionId: actor.sessionId },
            ...context,
          },
        ],
      });
      await this.links.recordSignatureIn(em, actor.linkId, signature.id);
    });
  }

  private async requireOpen(actor: LinkPrincipal, documentId: string): Promise<void> {
    if (!(await this.open.openFor(actor.personId)).includes(documentId)) {
      throw new DocumentNotFound();
    }
  }
}
