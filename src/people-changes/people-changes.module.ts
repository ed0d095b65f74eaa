import { Injectable, Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions/sessions.module';
import { SessionsService } from '../auth/sessions/sessions.service';
import { PERSON_CHANGES, type PersonChangesListener } from '../people/person-changes.listener';
import { RequirementsModule } from '../requirements/requirements.module';
import { RequirementsService } from '../requirements/requirements.service';

/**
 * After HR edits or imports people: their requirements are derived again; leavers and people
 * whose identity changed are signed out.
 */
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
    identityChanged: readonly string[] = [],
  ): Promise<void> {
    for (const personId of terminated) {
      await this.sessions.endAllFor(personId, 'deactivated', actorId);
    }
    // A session stands for the person who signed in; once who they are changes, they sign in
    // again, as after a change of roles.
    for (const personId of identityChanged) {
      if (!terminated.includes(personId)) {
        await this.sessions.endAllFor(personId, 'identity_changed', actorId);
      }
    }
    if (changed.length > 0) await this.requirements.derive(changed);
  }
}

@Module({
  imports: [RequirementsModule, SessionsModule],
  providers: [PeopleChangesHandler, { provide: PERSON_CHANGES, useExisting: PeopleChangesHandler }],
  exports: [PERSON_CHANGES],
})
export class PeopleChangesModule {}
