import { QuizAttemptSchema } from './quiz-attempt.entity';

export const TRAINING_ENTITIES = [QuizAttemptSchema];
