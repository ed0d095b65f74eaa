import type { Quiz } from '../documents/document-version.entity';

export interface QuizScore {
  readonly correct: number;
  readonly total: number;
  /** Percent, rounded down: 4 of 6 is 66, which does not meet a pass mark of 67. */
  readonly score: number;
  readonly passed: boolean;
  /** Question ids answered wrongly, in quiz order. */
  readonly wrong: readonly string[];
}

/** Questions left unanswered, in quiz order. */
export function unanswered(quiz: Quiz, answers: Readonly<Record<string, number>>): string[] {
  return quiz.questions.filter((q) => answers[q.id] === undefined).map((q) => q.id);
}

export function scoreQuiz(quiz: Quiz, answers: Readonly<Record<string, number>>): QuizScore {
  const wrong = quiz.questions.filter((q) => answers[q.id] !== q.answer).map((q) => q.id);
  const total = quiz.questions.length;
  const correct = total - wrong.length;
  const score = Math.floor((correct * 100) / total);
  return { correct, total, score, passed: score >= quiz.passMark, wrong };
}
