import { createHash, randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { DocumentKind, type DocumentVersion } from '../documents/document-version.entity';
import { DocumentVersionRepository } from '../documents/document-version.repository';
import { DocumentView } from '../documents/document-view.entity';
import { EsignConsent } from '../documents/esign-consent.entity';
import { Person } from '../people/person.entity';
import type { RequirementKind, RequirementRule } from '../requirements/requirement-rule';
import { type Acknowledgement, SignatureRecorder } from '../signatures/signature-recorder';
import { SignatureKind } from '../signatures/signature.entity';
import { documentIntent, trainingIntent } from '../signatures/signing-evidence';
import { QuizAttempt } from '../training/quiz-attempt.entity';
import { SEEDED_DONE_PREDICATE } from './seeded-completions';

const MINUTE = 60_000;
/** RFC 5737 documentation addresses: never a real client. */
const IP_PREFIX = '198.51.100.';
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
];
export const SEED_IDP_ENTITY_ID = 'https://idp.synthetic.attest.test/saml/metadata';

interface Candidate {
  person_id: string;
  requirement_id: string;
  kind: RequirementKind;
  subject: string;
  signed_at: Date;
}

const SIGNABLE = [
  DocumentKind.Policy,
  DocumentKind.Nda,
  DocumentKind.Confidentiality,
  DocumentKind.AcceptableUse,
  DocumentKind.Training,
];

/** A small, stable number from a string, for spreading times and picking values. */
const spread = (text: string, modulo: number) =>
  createHash('sha256').update(text).digest().readUInt32BE(0) % modulo;

/**
 * Signed attestations for a seeded organisation, made the way a person makes them: consent to
 * electronic records and a first view, then the signature (or a passed quiz) through the
 * SignatureRecorder, the path people's signatures take, one person per transaction. The audit events carry the time of seeding: the log records when rows were
 * written, and a seed is written now.
 */
@Injectable()
export class AttestationSeeder {
  constructor(
    private readonly em: EntityManager,
    private readonly versions: DocumentVersionRepository,
    private readonly recorder: SignatureRecorder,
    private readonly audit: AuditService,
  ) {}

  /**
   * Up to `limit` attestations for assignments the seed would mark done (`done`, SQL over
   * `requirement_assignment a`); returns how many.
   */
  async seed(
    limit: number,
    progress: (line: string) => void,
    done: string = SEEDED_DONE_PREDICATE,
  ): Promise<number> {
    if (limit <= 0) return 0;
    const disclosure = await this.versions.currentDisclosure();
    const byDocument = new Map(
      (await this.versions.currentOfKinds(SIGNABLE)).map((v) => [v.documentId, v]),
    );
    if (!disclosure || byDocument.size === 0) {
      progress('attestations: no published documents in policies/, none made');
      return 0;
    }
    const candidates = await this.candidates([...byDocument.keys()], limit, done);
    const byPerson = new Map<string, Candidate[]>();
    for (const c of candidates)
      byPerson.set(c.person_id, [...(byPerson.get(c.person_id) ?? []), c]);
    const people = await this.em.fork().find(Person, { id: { $in: [...byPerson.keys()] } });
    const started = Date.now();
    let made = 0;
    let reported = 0;
    for (const person of people) {
      const todo = byPerson.get(person.id)!;
      made += await this.attestPerson(person, todo, disclosure, byDocument);
      if (made - reported >= 250 || made === candidates.length) {
        reported = made;
        const rate = made / ((Date.now() - started) / 1000);
        progress(`attestations: ${made} of ${candidates.length} (${rate.toFixed(0)}/s)`);
      }
    }
    return made;
  }

  private async candidates(subjects: string[], limit: number, done: string): Promise<Candidate[]> {
    return this.em.fork().execute<Candidate[]>(
      `select person_id, requirement_id, kind, subject, signed_at from (
         select distinct on (a.person_id, a.kind, a.subject)
                a.person_id, a.requirement_id, a.kind, a.subject, p.employee_number,
                least(a.due_date, current_date)::timestamptz
                  - make_interval(days => abs(hashtext(a.id::text)) % 5)
                  + make_interval(secs => 28800 + abs(hashtext(a.id::text || 's')) % 32400)
                  as signed_at
           from requirement_assignment a
           join person p on p.id = a.person_id
          where a.kind in ('document', 'training')
            and a.status not in ('done', 'waived', 'not_required')
            and a.subject = any(string_to_array(?, ','))
            and not exists (select 1 from signature s
                             where s.person_id = a.person_id and s.document_id = a.subject)
            and (${done})
          order by a.person_id, a.kind, a.subject) c
        order by employee_number, kind, subject
        limit ?`,
      [subjects.join(','), limit],
    );
  }

  private async attestPerson(
    person: Person,
    todo: readonly Candidate[],
    disclosure: DocumentVersion,
    byDocument: ReadonlyMap<string, DocumentVersion>,
  ): Promise<number> {
    const context = {
      ip: `${IP_PREFIX}${1 + spread(person.id, 254)}`,
      userAgent: USER_AGENTS[spread(person.id, USER_AGENTS.length)],
    };
    const sessionId = randomUUID();
    const rules = new Map<Candidate, RequirementRule | undefined>();
    for (const c of todo) {
      // Read before the transaction: the embedded database has one connection, held by it.
      rules.set(
        c,
        await this.recorder.ruleFor(this.acknowledgementOf(person, byDocument.get(c.subject)!)),
      );
    }
    const first = Math.min(...todo.map((c) => new Date(c.signed_at).getTime()));
    const consentedAt = new Date(first - 20 * MINUTE);
    return this.em.fork().transactional(async (em) => {
      const consent = em.create(EsignConsent, {
        id: randomUUID(),
        person: person.id,
        disclosure: disclosure.id,
        disclosureVersion: disclosure.version,
        disclosureSha256: disclosure.sha256,
        consentedAt,
        sessionId,
        ...context,
      });
      await em.flush();
      await this.audit.recordIn(em, {
        action: 'esign.consented',
        actorId: person.id,
        subjectType: 'person',
        subjectId: person.id,
        details: { consentId: consent.id, disclosureVersion: disclosure.version, seeded: true },
        ...context,
      });
      for (const candidate of todo) {
        const version = byDocument.get(candidate.subject)!;
        await this.attestOne(em, person, version, candidate, {
          consent,
          sessionId,
          context,
          rule: rules.get(candidate),
        });
      }
      return todo.length;
    });
  }

  private async attestOne(
    em: EntityManager,
    person: Person,
    version: DocumentVersion,
    candidate: Candidate,
    session: {
      consent: EsignConsent;
      sessionId: string;
      context: { ip: string; userAgent: string };
      rule: RequirementRule | undefined;
    },
  ): Promise<void> {
    const { consent, sessionId, context } = session;
    const signedAt = new Date(candidate.signed_at);
    const training = version.kind === DocumentKind.Training && version.quiz ? version.quiz : null;
    const viewedAt = new Date(
      signedAt.getTime() - (4 + spread(version.id + person.id, 20)) * MINUTE,
    );
    em.create(DocumentView, {
      id: randomUUID(),
      person: person.id,
      documentVersion: version.id,
      viewedAt,
      sessionId,
    });
    await em.flush();
    await this.audit.recordIn(em, {
      action: 'document.viewed',
      actorId: person.id,
      subjectType: 'document',
      subjectId: version.documentId,
      details: { version: version.version, versionId: version.id, seeded: true },
      ...context,
    });
    let attemptId: string | null = null;
    if (training) {
      attemptId = randomUUID();
      const total = training.questions.length;
      em.create(QuizAttempt, {
        id: attemptId,
        person: person.id,
        documentVersion: version.id,
        answers: Object.fromEntries(training.questions.map((q) => [q.id, q.answer])),
        correct: total,
        total,
        score: 100,
        passMark: training.passMark,
        passed: true,
        attemptedAt: signedAt,
        submissionId: randomUUID(),
        sessionId,
      });
    }
    const acknowledgement: Acknowledgement = {
      ...this.acknowledgementOf(person, version),
      consent: {
        id: consent.id,
        disclosureVersion: consent.disclosureVersion,
        disclosureSha256: consent.disclosureSha256,
        consentedAt: consent.consentedAt,
      },
      viewedAt,
      sso: {
        sessionId,
        authMethod: 'saml',
        idpEntityId: SEED_IDP_ENTITY_ID,
        nameId: person.email,
        authnInstant: new Date(viewedAt.getTime() - 2 * MINUTE),
        mfa: true,
      },
      context,
      signedAt,
      ...(attemptId && training
        ? { training: { attemptId, score: 100, passMark: training.passMark, attempt: 1 } }
        : {}),
    };
    await this.recorder.recordIn(em, acknowledgement, { rule: session.rule, deriveLater: true });
  }

  /** What a seeded person acknowledges of a version, before the ceremony's evidence. */
  private acknowledgementOf(person: Person, version: DocumentVersion) {
    const training = version.kind === DocumentKind.Training && version.quiz !== null;
    return {
      kind: training ? SignatureKind.Training : SignatureKind.Document,
      signer: {
        personId: person.id,
        fullName: person.fullName,
        email: person.email,
        employeeNumber: person.employeeNumber ?? null,
      },
      version,
      intent: training
        ? trainingIntent(version.title, version.version)
        : documentIntent(version.title, version.version),
      typedName: person.fullName,
      submissionId: randomUUID(),
    } satisfies Partial<Acknowledgement>;
  }
}
