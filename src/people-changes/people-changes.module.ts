import { Global, Injectable, Module } from '@nestjs/common';
import { SessionsService } from '../auth/sessions/sessions.service';
import { PERSON_CHANGES, type PersonChangesListener } from '../people/person-changes.listener';
import { RequirementsModule } from '../requirements/requirements.module';
import { RequirementsService } from '../requirements/requirements.service';

/** After HR edits or imports people: their requirements are derived again, leavers signed out. */
@Injectable()
export class PeopleChangesHandler implements PersonChangesListener {
  constructor(
    private readonly requirements: RequirementsService,
    private readonly sessions: SessionsService,
  ) {}

  async peopleChanged(
    actorId: string,
    changed: readonly string[],
    terminated: readonly string[],
  ): Promise<void> {
    for (const personId of terminated) {
      await this.sessions.endAllFor(personId, 'deactivated', actorId);
    }
    if (changed.length > 0) await this.requirements.derive(changed);
  }
}

@Global()
@Module({
  imports: [RequirementsModule],
  providers: [PeopleChangesHandler, { provide: PERSON_CHANGES, useExisting: PeopleChangesHandler }],
  exports: [PERSON_CHANGES],
})
export class PeopleChangesModule {}
