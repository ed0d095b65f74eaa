export interface TrainingListItemView {
  moduleId: string;
  title: string;
  version: string;
  dueDate: string | null;
  status: string;
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
}
