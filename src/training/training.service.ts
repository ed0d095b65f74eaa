import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../access/principal';
import {
  DocumentKind,
  type DocumentVersion,
  type Quiz,
} from '../documents/document-version.entity';
import { DocumentVersionRepository } from '../documents/document-version.repository';
import { DocumentNotFound, SigningInputInvalid } from '../documents/documents.errors';
import { EsignCeremony } from '../documents/esign-ceremony';
import { MarkdownRenderer } from '../documents/markdown.renderer';
import { PeopleService } from '../people/people.service';
import { AssignmentStatus } from '../requirements/assignment-deriver';
import { RequirementKind } from '../requirements/requirement-rule';
import { standingText, tagClassOf } from '../requirements/requirement-standing';
import { RequirementsService } from '../requirements/requirements.service';
import { label } from '../common/labels';
import { Clock } from '../common/clock';
import type { NewAuditEvent } from '../audit/audit-event.repository';
import { AuditService } from '../audit/audit.service';
import { SignatureRecorder } from '../signatures/signature-recorder';
import { SignatureKind } from '../signatures/signature.entity';
import { SignatureRepository } from '../signatures/signature.repository';
import { type RequestContext, trainingIntent } from '../signatures/signing-evidence';
import { QuizAttemptRepository } from './quiz-attempt.repository';
import { scoreQuiz, unanswered } from './quiz-scoring';
import type { AttemptResultView, MyTrainingView, TrainingModuleView } from './training.views';

/** A module no rule asks this person to take. */
const OPTIONAL = 'optional';

export interface AttemptInput {
  readonly answers: Readonly<Record<string, number>>;
  readonly intent: boolean;
  readonly typedName: string;
  readonly submissionId: string;
}

/** Security awareness modules: read, answer the quiz, and a pass is attested like a signature. */
@Injectable()
export class TrainingService {
  constructor(
    private readonly versions: DocumentVersionRepository,
    private readonly attempts: QuizAttemptRepository,
    private readonly signatures: SignatureRepository,
    private readonly ceremony: EsignCeremony,
    private readonly recorder: SignatureRecorder,
    private readonly requirements: RequirementsService,
    private readonly people: PeopleService,
    private readonly markdown: MarkdownRenderer,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async mine(actor: Principal): Promise<MyTrainingView> {
    const [modules, standings, latest] = await Promise.all([
      this.versions.currentOfKinds([DocumentKind.Training]),
      this.requirements.standingsFor(actor.personId),
      this.signatures.latestByDocument(actor.personId),
    ]);
    return {
      title: 'My training',
      modules: modules.map((m) => {
        const now = standings.find(
          (s) => s.kind === RequirementKind.Training && s.subject === m.documentId,
        );
        return {
          moduleId: m.documentId,
          title: m.title,
          version: m.version,
          dueDate: now?.open ? now.dueDate : null,
          nextDueDate: now?.nextDueDate ?? null,
          status: now?.status ?? OPTIONAL,
          statusText: now ? standingText(now) : label(OPTIONAL),
          tagClass: tagClassOf(now?.status ?? OPTIONAL),
          overdue: now?.status === AssignmentStatus.Overdue,
          lastPassedAt: latest.get(m.documentId)?.signedAt.toISOString() ?? null,
        };
      }),
    };
  }

  async module(
    actor: Principal,
    moduleId: string,
    context: RequestContext,
    form?: { error: string; typedName: string; answers: Readonly<Record<string, number>> },
  ): Promise<TrainingModuleView> {
    const version = await this.currentModule(moduleId);
    const quiz = version.quiz as Quiz;
    // Opening a module starts it: the requirement reads as in progress everywhere.
    if (await this.ceremony.recordView(actor, version, context)) {
      await this.requirements.derive([actor.personId]);
    }
    const [person, needsConsent, mine] = await Promise.all([
      this.people.findById(actor.personId),
      this.ceremony.hasConsented(actor.personId).then((c) => !c),
      this.mine(actor),
    ]);
    const status = mine.modules.find((m) => m.moduleId === moduleId);
    return {
      title: version.title,
      csrfToken: actor.csrfToken,
      moduleId,
      moduleTitle: version.title,
      version: version.version,
      sha256: version.sha256,
      passMark: quiz.passMark,
      html: this.markdown.toHtml(version.body),
      // The answers stay on the server until the attempt is submitted.
      questions: quiz.questions.map((q, n) => ({
        id: q.id,
        number: n + 1,
        prompt: q.prompt,
        options: q.options.map((text, index) => ({
          index,
          text,
          checked: form?.answers[q.id] === index,
          inputId: `q-${q.id}-${index}`,
        })),
      })),
      needsConsent,
      form:
        person && !needsConsent
          ? {
              action: `/training/${moduleId}/versions/${version.version}/attempts`,
              intentText: trainingIntent(version.title, version.version).text,
              submissionId: randomUUID(),
              expectedName: person.fullName,
              typedName: form?.typedName ?? '',
            }
          : null,
      error: form?.error ?? null,
      lastPassedAt: status?.lastPassedAt ?? null,
      dueDate: status?.dueDate ?? null,
    };
  }

  /** Scores and records an attempt; a pass is attested with the same evidence as a signature. */
  async attempt(
    actor: Principal,
    moduleId: string,
    versionName: string,
    input: AttemptInput,
    context: RequestContext,
  ): Promise<string> {
    const version = await this.versions.findVersion(moduleId, versionName);
    if (!version || version.kind !== DocumentKind.Training || !version.quiz) {
      throw new DocumentNotFound();
    }
    const earlier = await this.attempts.findSubmitted(actor.personId, input.submissionId);
    if (earlier) return earlier.id;
    const quiz = version.quiz;
    const missing = unanswered(quiz, input.answers);
    const evidence = await this.ceremony.preconditions(actor, version, input);
    if (missing.length > 0) {
      const numbers = missing.map((id) => quiz.questions.findIndex((q) => q.id === id) + 1);
      throw new SigningInputInvalid([
        `Answer every question: ${numbers.join(', ')} still need an answer.`,
      ]);
    }
    const result = scoreQuiz(quiz, input.answers);
    const acknowledgement = {
      ...evidence,
      kind: SignatureKind.Training,
      version,
      intent: trainingIntent(version.title, version.version),
      typedName: input.typedName,
      submissionId: input.submissionId,
      context,
    };
    const rule = result.passed ? await this.recorder.ruleFor(acknowledgement) : undefined;
    let passed: { attemptId: string; passed: boolean };
    try {
      passed = await this.recorder.transaction(async (em) => {
        const attempt = this.attempts.append(em, {
          id: randomUUID(),
          personId: actor.personId,
          documentVersionId: version.id,
          answers: { ...input.answers },
          correct: result.correct,
          total: result.total,
          score: result.score,
          passMark: quiz.passMark,
          passed: result.passed,
          attemptedAt: this.clock.now(),
          submissionId: input.submissionId,
          sessionId: actor.sessionId,
        });
        // Inserted now: a second submission of the same attempt stops here.
        await em.flush();
        const attempted: NewAuditEvent = {
          action: 'training.attempted',
          actorId: actor.personId,
          subjectType: 'document',
          subjectId: version.documentId,
          details: {
            attemptId: attempt.id,
            versionId: version.id,
            score: result.score,
            passed: result.passed,
          },
          ...context,
        };
        if (!result.passed) {
          await this.audit.recordIn(em, attempted);
          return { attemptId: attempt.id, passed: false };
        }
        const training = {
          attemptId: attempt.id,
          score: result.score,
          passMark: quiz.passMark,
          attempt: await this.attempts.countIn(em, actor.personId, version.documentId),
        };
        await this.recorder.recordIn(
          em,
          { ...acknowledgement, training },
          { rule, events: [attempted] },
        );
        return { attemptId: attempt.id, passed: true };
      });
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const winner = await this.attempts.findSubmitted(actor.personId, input.submissionId);
      if (!winner) throw error;
      return winner.id;
    }
    return passed.attemptId;
  }

  async result(actor: Principal, moduleId: string, attemptId: string): Promise<AttemptResultView> {
    const attempt = await this.attempts.findMine(actor.personId, attemptId);
    const version = attempt?.documentVersion;
    if (!attempt || !version || version.documentId !== moduleId || !version.quiz) {
      throw new DocumentNotFound();
    }
    const wrong = scoreQuiz(version.quiz, attempt.answers).wrong;
    const signature = (await this.signatures.listForPerson(actor.personId)).find(
      (s) => s.quizAttemptId === attempt.id,
    );
    return {
      title: `${version.title}: result`,
      moduleId,
      moduleTitle: version.title,
      version: version.version,
      passed: attempt.passed,
      score: attempt.score,
      passMark: attempt.passMark,
      correct: attempt.correct,
      total: attempt.total,
      attemptedAt: attempt.attemptedAt.toISOString(),
      wrongNumbers: wrong.map((id) => version.quiz!.questions.findIndex((q) => q.id === id) + 1),
      signatureId: signature?.id ?? null,
    };
  }

  private async currentModule(moduleId: string): Promise<DocumentVersion> {
    const version = await this.versions.current(moduleId);
    if (!version || version.kind !== DocumentKind.Training || !version.quiz) {
      throw new DocumentNotFound();
    }
    return version;
  }
}
