import { QuizAttemptSchema } from '../training/quiz-attempt.entity';
import { DocumentVersionSchema } from './document-version.entity';
import { DocumentViewSchema } from './document-view.entity';
import { EsignConsentSchema } from './esign-consent.entity';
import { SignatureSchema } from './signature.entity';

export const DOCUMENT_ENTITIES = [
  DocumentVersionSchema,
  DocumentViewSchema,
  EsignConsentSchema,
  SignatureSchema,
  QuizAttemptSchema,
];
