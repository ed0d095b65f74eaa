import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { PeopleModule } from '../people/people.module';
import { RequirementsModule } from '../requirements/requirements.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { QuizAttemptRepository } from './quiz-attempt.repository';
import { TrainingController } from './training.controller';
import { TrainingService } from './training.service';

/** Security awareness modules and their quizzes; a pass is attested like a signature. */
@Module({
  imports: [DocumentsModule, PeopleModule, RequirementsModule, SignaturesModule],
  controllers: [TrainingController],
  providers: [QuizAttemptRepository, TrainingService],
})
export class TrainingModule {}
