import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AttestationEvidence, AuditTrailEntry } from '../attestations/attestation-evidence';
import { AttestationsService } from '../attestations/attestations.service';
import type { NewAuditEvent } from '../audit/audit-event.repository';
import { AuditService } from '../audit/audit.service';
import { AuditTrailReader } from '../audit/audit-trail.reader';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { DocumentVersion } from '../documents/document-version.entity';
import { CompletionSource } from '../requirements/requirement-completion.entity';
import { RequirementKind, type RequirementRule } from '../requirements/requirement-rule';
import { RequirementsService } from '../requirements/requirements.service';
import type { Signature } from './signature.entity';
import { SignatureKind } from './signature.entity';
import { SignatureRepository } from './signature.repository';
import { INTENT_WORDING_VERSION, type RequestContext, type SsoEvidence } from './signing-evidence';

/**
 * One acknowledgement and its evidence: who, what version, and how they showed consent, saw
 * the record, stated their intent and signed. Documents, training and any later kind build one;
 * nothing else is needed to record it.
 */
export interface Acknowledgement {
  readonly kind: SignatureKind;
  readonly signer: {
    readonly personId: string;
    readonly fullName: string;
    readonly email: string;
    readonly employeeNumber: string | null;
  };
  readonly version: DocumentVersion;
  readonly consent: {
    readonly id: string;
    readonly disclosureVersion: string;
    readonly disclosureSha256: string;
    readonly consentedAt: Date;
  };
  readonly viewedAt: Date;
  readonly sso: SsoEvidence;
  readonly intent: { readonly text: string; readonly sha256: string };
  readonly typedName: string;
  readonly submissionId: string;
  readonly context: RequestContext;
  /** Training only: the passing attempt. */
  readonly training?: {
    readonly attemptId: string;
    readonly score: number;
    readonly passMark: number;
    readonly attempt: number;
  };
  /** When it was signed; now unless a seed replays history. */
  readonly signedAt?: Date;
}

export interface RecordOptions {
  /**
   * Events of the caller's own in the same transaction (a quiz attempt), appended just before
   * the acknowledgement's own event, after sealing, so the chain's lock is held only briefly.
   */
  readonly events?: readonly NewAuditEvent[];
}

export interface RecordInOptions extends RecordOptions {
  /**
   * The requirement it completes (none: nothing asked for it), from `ruleFor` before the
   * transaction: the embedded database has one connection, and the transaction holds it.
   */
  readonly rule: RequirementRule | undefined;
  /**
   * Bulk seeding only: the caller re-derives everyone it recorded for at the end, instead of
   * each signer in each transaction.
   */
  readonly deriveLater?: true;
}

export interface RecordOutcome {
  readonly signature: Signature;
  /** False when an earlier submission had already recorded this acknowledgement. */
  readonly created: boolean;
}

const REQUIREMENT_OF: Record<SignatureKind, RequirementKind> = {
  [SignatureKind.Document]: RequirementKind.Document,
  [SignatureKind.Training]: RequirementKind.Training,
};
const SOURCE_OF: Record<SignatureKind, CompletionSource> = {
  [SignatureKind.Document]: CompletionSource.Signature,
  [SignatureKind.Training]: CompletionSource.Training,
};
const ACTION_OF: Record<SignatureKind, string> = {
  [SignatureKind.Document]: 'document.signed',
  [SignatureKind.Training]: 'training.completed',
};

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/**
 * The one path that records an acknowledgement: the signature row with its evidence, the
 * requirement it completes, the sealed attestation PDF and the audit event, in one transaction.
 *
 * The PDF is rendered and sealed before the audit event is appended: appending takes the audit
 * chain's lock until commit, and holding it through the PDF work would make every signature in
 * the organisation wait for the one before it. The event then records the PDF's SHA-256, so
 * the chain vouches for the exact bytes issued.
 */
@Injectable()
export class SignatureRecorder {
  constructor(
    private readonly em: EntityManager,
    private readonly signatures: SignatureRepository,
    private readonly requirements: RequirementsService,
    private readonly attestations: AttestationsService,
    private readonly audit: AuditService,
    private readonly trail: AuditTrailReader,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Records the acknowledgement and the signer's re-derived assignments in a transaction of its
   * own. A second submission of the same thing (same submission id, or another
   * signature of the same document version) answers with the first one's signature: the
   * database's unique indexes decide, so this holds across processes too.
   */
  async record(ack: Acknowledgement, options: RecordOptions = {}): Promise<RecordOutcome> {
    const rule = await this.ruleFor(ack);
    let signature: Signature;
    try {
      signature = await this.transaction((em) => this.recordIn(em, ack, { ...options, rule }));
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const winner = await this.earlier(ack.signer.personId, ack);
      if (!winner) throw error;
      return { signature: winner, created: false };
    }
    return { signature, created: true };
  }

  /** Runs `work` in one transaction, for a caller that records more than the acknowledgement. */
  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.em.fork().transactional(work);
  }

  /** What an earlier submission by this person recorded for this acknowledgement, if any. */
  earlier(
    personId: string,
    ack: Pick<Acknowledgement, 'kind' | 'version' | 'submissionId'>,
    em: EntityManager = this.em.fork(),
  ): Promise<Signature | null> {
    return this.signatures.findEarlier(em, {
      personId,
      submissionId: ack.submissionId,
      documentVersionId: ack.kind === SignatureKind.Document ? ack.version.id : null,
    });
  }

  /**
   * In the caller's transaction: the signature, the sealed PDF, its completion and the signer's
   * re-derived assignments, then the audit events (the caller's, then this one's). What the
   * signature completed commits with it: no window shows it signed yet still open.
   */
  async recordIn(
    em: EntityManager,
    ack: Acknowledgement,
    options: RecordInOptions,
  ): Promise<Signature> {
    const { version, signer } = ack;
    const signedAt = ack.signedAt ?? this.clock.now();
    // Inserted now: a second signature of the same version fails here, before any PDF work.
    const signature = await this.signatures.append(em, {
      id: randomUUID(),
      kind: ack.kind,
      personId: signer.personId,
      documentVersionId: version.id,
      documentId: version.documentId,
      version: version.version,
      documentSha256: version.sha256,
      disclosureVersion: ack.consent.disclosureVersion,
      disclosureSha256: ack.consent.disclosureSha256,
      consentedAt: ack.consent.consentedAt,
      intentVersion: INTENT_WORDING_VERSION,
      intentText: ack.intent.text,
      intentSha256: ack.intent.sha256,
      typedName: ack.typedName.trim().replace(/\s+/gu, ' '),
      ...ack.context,
      ...ack.sso,
      viewedAt: ack.viewedAt,
      signedAt,
      submissionId: ack.submissionId,
      quizAttemptId: ack.training?.attemptId ?? null,
    });
    const own: NewAuditEvent[] = [
      ...(options.events ?? []),
      {
        action: ACTION_OF[ack.kind],
        actorId: signer.personId,
        subjectType: 'document',
        subjectId: version.documentId,
        details: { signatureId: signature.id, version: version.version, versionId: version.id },
        ...ack.context,
      },
    ];
    const evidence = this.evidenceOf(ack, signature, await this.trailOf(em, ack, own, signedAt));
    const attestation = await this.attestations.attestIn(em, { evidence, markdown: version.body });
    // The completion after the seal: its insert updates HR's shared totals (onboarding
    // rollups), whose locks are then held only for the commit, not through the PDF work.
    if (options.rule) {
      await this.requirements.completeIn(em, signer.personId, options.rule, {
        subjectVersion: version.version,
        completedAt: signedAt,
        source: SOURCE_OF[ack.kind],
        reference: signature.id,
      });
    }
    if (!options.deriveLater) await this.requirements.deriveIn(em, [signer.personId]);
    // Last, just before the commit: from here on the chain's lock is held.
    for (const [n, event] of own.entries()) {
      const last = n === own.length - 1;
      await this.audit.recordIn(
        em,
        last
          ? { ...event, details: { ...event.details, attestationSha256: attestation.sha256 } }
          : event,
      );
    }
    return signature;
  }

  /** The requirement an acknowledgement completes for its signer, if anything asks for it. */
  ruleFor(
    ack: Pick<Acknowledgement, 'kind' | 'version'> & { signer: { personId: string } },
  ): Promise<RequirementRule | undefined> {
    return this.requirements.ruleFor(
      ack.signer.personId,
      REQUIREMENT_OF[ack.kind],
      ack.version.documentId,
    );
  }

  /**
   * The signer's consent, their views of this version and what they did with it, as chained;
   * then the events this transaction is about to append, without a chain position yet.
   */
  private async trailOf(
    em: EntityManager,
    ack: Acknowledgement,
    pending: readonly NewAuditEvent[],
    at: Date,
  ): Promise<AuditTrailEntry[]> {
    const { signer, version } = ack;
    const chained = await this.trail.eventsIn(em, signer.personId, [
      { action: 'esign.consented', detail: ['consentId', ack.consent.id] },
      {
        subjectType: 'document',
        subjectId: version.documentId,
        detail: ['versionId', version.id],
      },
    ]);
    return [
      ...chained.map((e) => ({
        sequence: Number(e.seq),
        occurredAt: e.occurredAt.toISOString(),
        actor: e.actorId ?? 'system',
        action: e.action,
        ip: e.ip,
        userAgent: e.userAgent,
        hash: e.hash,
      })),
      ...pending.map((e) => ({
        sequence: null,
        occurredAt: at.toISOString(),
        actor: e.actorId ?? 'system',
        action: e.action,
        ip: e.ip ?? null,
        userAgent: e.userAgent ?? null,
        hash: null,
      })),
    ];
  }

  private evidenceOf(
    ack: Acknowledgement,
    s: Signature,
    auditTrail: AuditTrailEntry[],
  ): AttestationEvidence {
    const { version, signer } = ack;
    return {
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
        personId: signer.personId,
        name: signer.fullName,
        email: signer.email,
        employeeNumber: signer.employeeNumber ?? null,
      },
      authentication: {
        method: s.authMethod as 'saml' | 'oidc' | 'link',
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
      ...(ack.training
        ? {
            training: {
              score: ack.training.score,
              passMark: ack.training.passMark,
              attempt: ack.training.attempt,
            },
          }
        : {}),
      auditTrail,
    };
  }
}
