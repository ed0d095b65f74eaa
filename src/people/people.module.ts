import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions/sessions.module';
import { DocumentSyncModule } from '../documents/document-sync.module';
import { NotificationOutboxModule } from '../notifications/notification-outbox.module';
import { OffboardingChecklistModule } from '../offboarding/offboarding-checklist.module';
import { PeopleChangesModule } from '../people-changes/people-changes.module';
import { RequirementsModule } from '../requirements/requirements.module';
import { PeopleImportController } from './import/people-import.controller';
import { PeopleImportModule } from './import/people-import.module';
import { PeopleUploadMiddleware } from './import/people-upload.middleware';
import { MeController } from './me.controller';
import { MeService } from './me.service';
import { PeopleController } from './people.controller';
import { PeopleService } from './people.service';
import { PersonPageService } from './person-page.service';
import { PersonRecordRepository } from './person-record.repository';
import { PersonRepository } from './person.repository';

@Module({
  imports: [
    RequirementsModule,
    SessionsModule,
    PeopleChangesModule,
    PeopleImportModule,
    DocumentSyncModule,
    NotificationOutboxModule,
    OffboardingChecklistModule,
  ],
  // The import controller comes first: /people/import must not be read as /people/:id.
  controllers: [MeController, PeopleImportController, PeopleController],
  providers: [
    PersonRepository,
    PeopleService,
    MeService,
    PersonRecordRepository,
    PersonPageService,
  ],
  exports: [PeopleService, MeService, PersonPageService],
})
export class PeopleModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(PeopleUploadMiddleware)
      .forRoutes({ path: 'people/import', method: RequestMethod.POST });
  }
}
