import type { ConfirmationView } from '../people/me.service';

export interface TrainingListItemView {
  moduleId: string;
  title: string;
  version: string;
  /** The open cycle's due date. */
  dueDate: string | null;
  /** Passed, and the next cycle falls due on this day. */
  nextDueDate: string | null;
  /** A requirement state code (assignment-deriver.ts), or `optional`. */
  status: string;
  /** The status in words, from requirements/requirement-standing.ts. */
  statusText: string;
  tagClass: string;
  overdue: boolean;
  lastPassedAt: string | null;
}

export interface MyTrainingView {
  title: string;
  modules: TrainingListItemView[];
}

/** A question as the browser sees it: no answer. */
export interface QuizQuestionView {
  id: string;
  number: number;
  prompt: string;
  options: { index: number; text: string; checked: boolean; inputId: string }[];
}

export interface TrainingModuleView {
  title: string;
  csrfToken: string;
  moduleId: string;
  moduleTitle: string;
  version: string;
  sha256: string;
  passMark: number;
  html: string;
  questions: QuizQuestionView[];
  needsConsent: boolean;
  form: {
    action: string;
    intentText: string;
    submissionId: string;
    expectedName: string;
    typedName: string;
  } | null;
  error: string | null;
  lastPassedAt: string | null;
  dueDate: string | null;
}

export interface AttemptResultView {
  title: string;
  moduleId: string;
  moduleTitle: string;
  version: string;
  passed: boolean;
  score: number;
  passMark: number;
  correct: number;
  total: number;
  attemptedAt: string;
  /** Question numbers answered wrongly: the answers themselves are not shown. */
  wrongNumbers: number[];
  signatureId: string | null;
  /** After a pass: the GOV.UK confirmation panel with the sealed PDF and the next task. */
  confirmation?: ConfirmationView | null;
}
