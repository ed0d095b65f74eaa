import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { SignDocumentSchema } from '../../documents/dto/documents.dto';

const ANSWER_FIELD = /^answer-([a-z0-9]+(?:-[a-z0-9]+)*)$/;
const MAX_QUESTIONS = 50;

export interface QuizAttemptDto {
  readonly answers: Record<string, number>;
  readonly intent: boolean;
  readonly typedName: string;
  readonly submission: string;
}

/** The quiz form: one `answer-<question id>` radio group per question, plus the signing fields. */
export function parseQuizAttempt(body: unknown): QuizAttemptDto {
  const fields = (body ?? {}) as Record<string, unknown>;
  const signing = SignDocumentSchema.safeParse(fields);
  if (!signing.success) throw new BadRequestException(signing.error.issues[0]?.message);
  const answers: Record<string, number> = {};
  for (const [key, value] of Object.entries(fields)) {
    const match = ANSWER_FIELD.exec(key);
    if (!match) continue;
    const index = z.coerce.number().int().min(0).max(5).safeParse(value);
    if (typeof value !== 'string' || !index.success) {
      throw new BadRequestException('Choose one answer for each question.');
    }
    answers[match[1]] = index.data;
  }
  if (Object.keys(answers).length > MAX_QUESTIONS) {
    throw new BadRequestException('The form holds more answers than any quiz has questions.');
  }
  return {
    answers,
    intent: signing.data.intent === 'yes',
    typedName: signing.data.typedName,
    submission: signing.data.submission,
  };
}
