import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../access/principal';
import { AttestationsService } from '../attestations/attestations.service';
import { AuditService } from '../audit/audit.service';
import { SessionsService } from '../auth/sessions/sessions.service';
import { Clock } from '../common/clock';
import type { Person } from '../people/person.entity';
import { PeopleService } from '../people/people.service';
import { CompletionSource } from '../requirements/requirement-completion.entity';
import { RequirementKind, type RequirementRule } from '../requirements/requirement-rule';
import { RequirementsService } from '../requirements/requirements.service';
import { DocumentKind, type DocumentVersion } from './document-version.entity';
import { DocumentVersionRepository } from './document-version.repository';
import { DocumentViewRepository } from './document-view.repository';
import {
  ConsentRequired,
  DocumentNotFound,
  DocumentVersionSuperseded,
  SigningInputInvalid,
} from './documents.errors';
import { EsignConsentRepository } from './esign-consent.repository';
import type { Signature } from './signature.entity';
import { SignatureKind } from './signature.entity';
import { SignatureRepository } from './signature.repository';
import {
  documentIntent,
  INTENT_WORDING_VERSION,
  normalisedName,
  type RequestContext,
  ssoEvidenceOf,
} from './signing-evidence';

export interface SignInput {
  readonly intent: boolean;
  readonly typedName: string;
  readonly submissionId: string;
}

export interface SignOutcome {
  readonly signature: Signature;
  /** False when this submission (or an earlier one) had already signed this version. */
  readonly created: boolean;
}

/** What must hold before anything is signed, shared by documents and training. */
export interface SigningPreconditions {
  readonly version: DocumentVersion;
  readonly consent: {
    id: string;
    disclosureVersion: string;
    disclosureSha256: string;
    consentedAt: Date;
  };
  readonly person: Person;
  readonly viewedAt: Date;
  readonly sso: ReturnType<typeof ssoEvidenceOf>;
}

const SIGNABLE = new Set<string>([
  DocumentKind.Policy,
  DocumentKind.Nda,
  DocumentKind.Confidentiality,
  DocumentKind.AcceptableUse,
]);

/**
 * ESIGN/UETA-style signing: consent to electronic records first, the document opened, the
 * intent statement ticked and the name on record typed. The signer is always the session's
 * person: no input names anyone else.
 */
@Injectable()
export class SigningService {
  constructor(
    private readonly versions: DocumentVersionRepository,
    private readonly consents: EsignConsentRepository,
    private readonly views: DocumentViewRepository,
    private readonly signatures: SignatureRepository,
    private readonly people: PeopleService,
    private readonly sessions: SessionsService,
    private readonly requirements: RequirementsService,
    private readonly audit: AuditService,
    private readonly attestations: AttestationsService,
    private readonly clock: Clock,
  ) {}

  /** Records consent to the current disclosure, once. */
  async consent(actor: Principal, context: RequestContext): Promise<void> {
    const disclosure = await this.versions.currentDisclosure();
    if (!disclosure) throw new NotFoundException('There is no disclosure to consent to yet.');
    const { created, row } = await this.consents.appendOnce(
      { personId: actor.personId, disclosure, sessionId: actor.sessionId, ...context },
      this.clock.now(),
    );
    if (created) {
      await this.audit.record({
        action: 'esign.consented',
        actorId: actor.personId,
        subjectType: 'person',
        subjectId: actor.personId,
        details: { consentId: row.id, disclosureVersion: disclosure.version },
        ...context,
      });
    }
  }

  /** Whether the person has consented to the disclosure in force. */
  async hasConsented(personId: string): Promise<boolean> {
    const disclosure = await this.versions.currentDisclosure();
    return disclosure !== null && (await this.consents.find(personId, disclosure.id)) !== null;
  }

  /** Records that the person opened a version (the first time only counts). */
  async recordView(actor: Principal, version: DocumentVersion, context: RequestContext) {
    const first = await this.views.recordFirst(
      actor.personId,
      version.id,
      actor.sessionId,
      this.clock.now(),
    );
    if (first) {
      await this.audit.record({
        action: 'document.viewed',
        actorId: actor.personId,
        subjectType: 'document',
        subjectId: version.documentId,
        details: { version: version.version, versionId: version.id },
        ...context,
      });
    }
  }

  async sign(
    actor: Principal,
    documentId: string,
    version: string,
    input: SignInput,
    context: RequestContext,
  ): Promise<SignOutcome> {
    const found = await this.versions.findVersion(documentId, version);
    if (!found || !SIGNABLE.has(found.kind)) throw new DocumentNotFound();
    const intent = documentIntent(found.title, found.version);
    // A retry of a submission that went through answers with what it recorded.
    const earlier = await this.signatures.inPersonTransaction(actor.personId, (em) =>
      this.replayOf(em, actor.personId, input.submissionId, found.id),
    );
    if (earlier) return { signature: earlier, created: false };
    // Read before the transaction: the embedded database has one connection, held by it.
    const pre = await this.preconditions(actor, found, input);
    const rule = await this.requirements.ruleFor(
      actor.personId,
      RequirementKind.Document,
      found.documentId,
    );
    const outcome = await this.signatures.inPersonTransaction(actor.personId, async (em) => {
      const replay = await this.replayOf(em, actor.personId, input.submissionId, found.id);
      if (replay) return { signature: replay, created: false };
      const signature = await this.recordIn(em, actor, found, pre, context, {
        kind: SignatureKind.Document,
        intent,
        typedName: input.typedName,
        submissionId: input.submissionId,
        rule,
      });
      return { signature, created: true };
    });
    if (outcome.created) await this.requirements.derive([actor.personId]);
    return outcome;
  }

  /**
   * In the caller's transaction: the signature (or training pass), the completion it earns,
   * the audit event and the sealed PDF. Shared by documents and training, which differ only in
   * their intent statement and the quiz attempt behind a pass.
   */
  async recordIn(
    em: EntityManager,
    actor: Principal,
    version: DocumentVersion,
    pre: SigningPreconditions,
    context: RequestContext,
    what: {
      kind: SignatureKind;
      intent: { text: string; sha256: string };
      typedName: string;
      submissionId: string;
      rule: RequirementRule | undefined;
      training?: { attemptId: string; score: number; passMark: number; attempt: number };
    },
  ): Promise<Signature> {
    const now = this.clock.now();
    const signature = this.signatures.append(em, {
      id: randomUUID(),
      kind: what.kind,
      personId: actor.personId,
      documentVersionId: version.id,
      documentId: version.documentId,
      version: version.version,
      documentSha256: version.sha256,
      disclosureVersion: pre.consent.disclosureVersion,
      disclosureSha256: pre.consent.disclosureSha256,
      consentedAt: pre.consent.consentedAt,
      intentVersion: INTENT_WORDING_VERSION,
      intentText: what.intent.text,
      intentSha256: what.intent.sha256,
      typedName: what.typedName.trim().replace(/\s+/gu, ' '),
      ...context,
      ...pre.sso,
      viewedAt: pre.viewedAt,
      signedAt: now,
      submissionId: what.submissionId,
      quizAttemptId: what.training?.attemptId ?? null,
    });
    if (what.rule) {
      this.requirements.completeIn(em, actor.personId, what.rule, {
        subjectVersion: version.version,
        completedAt: now,
        source:
          what.kind === SignatureKind.Training
            ? CompletionSource.Training
            : CompletionSource.Signature,
        reference: signature.id,
      });
    }
    const quiz = what.training;
    await this.attestIn(
      em,
      actor,
      signature,
      version,
      pre,
      context,
      quiz && {
        score: quiz.score,
        passMark: quiz.passMark,
        attempt: quiz.attempt,
      },
    );
    return signature;
  }

  private async replayOf(
    em: EntityManager,
    personId: string,
    submissionId: string,
    versionId: string,
  ): Promise<Signature | null> {
    return (
      (await this.signatures.findBySubmission(em, personId, submissionId)) ??
      (await this.signatures.findDocumentSignature(em, personId, versionId))
    );
  }

  /** Everything that must be true before a signature. Every fixable problem is named at once. */
  async preconditions(
    actor: Principal,
    version: DocumentVersion,
    input: Pick<SignInput, 'intent' | 'typedName'>,
  ): Promise<SigningPreconditions> {
    const current = await this.versions.current(version.documentId);
    if (current && current.id !== version.id) throw new DocumentVersionSuperseded(current.version);
    const disclosure = await this.versions.currentDisclosure();
    const consent = disclosure && (await this.consents.find(actor.personId, disclosure.id));
    if (!consent) throw new ConsentRequired();
    const view = await this.views.find(actor.personId, version.id);
    if (!view) throw new DocumentNotFound();
    const person = await this.people.findById(actor.personId);
    const session = await this.sessions.findById(actor.sessionId);
    if (!person || !session) throw new DocumentNotFound();
    const problems: string[] = [];
    if (!input.intent) problems.push('Tick the statement to confirm that you agree.');
    if (normalisedName(input.typedName) !== normalisedName(person.fullName)) {
      problems.push(
        'Type your full name exactly as it appears at the top of the form (capitals and extra spaces do not matter).',
      );
    }
    if (problems.length > 0) throw new SigningInputInvalid(problems);
    return {
      version,
      person,
      consent: {
        id: consent.id,
        disclosureVersion: consent.disclosureVersion,
        disclosureSha256: consent.disclosureSha256,
        consentedAt: consent.consentedAt,
      },
      viewedAt: view.viewedAt,
      sso: ssoEvidenceOf(session),
    };
  }

  /**
   * In the signing transaction: the audit event, then the sealed PDF whose audit trail ends
   * with it. The event holds the audit chain's lock until commit, so the PDF is made last.
   */
  private async attestIn(
    em: EntityManager,
    actor: Principal,
    signature: Signature,
    version: DocumentVersion,
    pre: SigningPreconditions,
    context: RequestContext,
    training?: { score: number; passMark: number; attempt: number },
  ): Promise<void> {
    await em.flush();
    await this.audit.recordIn(em, {
      action: signature.kind === SignatureKind.Training ? 'training.completed' : 'document.signed',
      actorId: actor.personId,
      subjectType: 'document',
      subjectId: signature.documentId,
      details: { signatureId: signature.id, version: signature.version, versionId: version.id },
      ...context,
    });
    await this.attestations.attestIn(em, {
      signature,
      person: pre.person,
      version,
      consentId: pre.consent.id,
      training,
    });
  }
}
