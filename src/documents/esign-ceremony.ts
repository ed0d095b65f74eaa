import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../access/principal';
import { AuditService } from '../audit/audit.service';
import { SessionsService } from '../auth/sessions/sessions.service';
import { Clock } from '../common/clock';
import { PeopleService } from '../people/people.service';
import type { Acknowledgement } from '../signatures/signature-recorder';
import {
  normalisedName,
  type RequestContext,
  type SsoEvidence,
  ssoEvidenceOf,
} from '../signatures/signing-evidence';
import type { DocumentVersion } from './document-version.entity';
import { DocumentVersionRepository } from './document-version.repository';
import { DocumentViewRepository } from './document-view.repository';
import {
  ConsentRequired,
  DocumentNotFound,
  DocumentVersionSuperseded,
  SigningInputInvalid,
} from './documents.errors';
import { EsignCeremonyRepository } from './esign-ceremony.repository';
import { EsignConsentRepository } from './esign-consent.repository';

/** What the ceremony proved: the parts of an acknowledgement that say who and how. */
export type CeremonyEvidence = Pick<Acknowledgement, 'signer' | 'consent' | 'viewedAt' | 'sso'>;

/**
 * The ESIGN/UETA ceremony before any electronic acknowledgement, a document's signature or a
 * training pass: consent to electronic records first, the record opened, the intent statement
 * ticked and the name on record typed. The signer is always the session's person.
 */
@Injectable()
export class EsignCeremony {
  constructor(
    private readonly versions: DocumentVersionRepository,
    private readonly consents: EsignConsentRepository,
    private readonly records: EsignCeremonyRepository,
    private readonly views: DocumentViewRepository,
    private readonly people: PeopleService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
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

  /**
   * Records that the person opened a version (the first time only counts). True the first time:
   * the requirement is then in progress.
   */
  async recordView(
    actor: Principal,
    version: DocumentVersion,
    context: RequestContext,
  ): Promise<boolean> {
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
    return first;
  }

  /** Everything that must be true before an acknowledgement. Every fixable problem is named at once. */
  async preconditions(
    actor: Principal,
    version: DocumentVersion,
    input: { readonly intent: boolean; readonly typedName: string },
    // How the signer was authenticated when it was not by SSO: a leaver's one-time signing link
    // (src/offboarding/signing-links.service.ts) says so instead of an SSO session.
    authentication?: SsoEvidence,
  ): Promise<CeremonyEvidence> {
    const { current, consent, viewedAt } = await this.records.factsFor(actor.personId, version);
    if (current && current.id !== version.id) throw new DocumentVersionSuperseded(current.version);
    if (!consent) throw new ConsentRequired();
    if (!viewedAt) throw new DocumentNotFound();
    // The session and its person as this request's sign-in read them: they are who signs.
    const session = authentication ? null : await this.sessions.sessionOf(actor);
    const person = session ? session.person : await this.people.findById(actor.personId);
    if (!person || (!session && !authentication)) throw new DocumentNotFound();
    const problems: string[] = [];
    if (!input.intent) problems.push('Tick the statement to confirm that you agree.');
    if (normalisedName(input.typedName) !== normalisedName(person.fullName)) {
      problems.push(
        'Type your full name exactly as it appears at the top of the form (capitals and extra spaces do not matter).',
      );
    }
    if (problems.length > 0) throw new SigningInputInvalid(problems);
    return {
      signer: {
        personId: person.id,
        fullName: person.fullName,
        email: person.email,
        employeeNumber: person.employeeNumber ?? null,
      },
      consent: {
        id: consent.id,
        disclosureVersion: consent.disclosureVersion,
        disclosureSha256: consent.disclosureSha256,
        consentedAt: consent.consentedAt,
      },
      viewedAt,
      sso: authentication ?? ssoEvidenceOf(session!),
    };
  }
}
