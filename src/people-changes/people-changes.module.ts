import { Injectable, Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions/sessions.module';
import { SessionsService } from '../auth/sessions/sessions.service';
import { LeavingJobs } from '../offboarding/leaving-jobs';
import { LeavingService } from '../offboarding/leaving.service';
import {
  PERSON_CHANGES,
  type PersonChangeSource,
  type PersonChangesListener,
} from '../people/person-changes.listener';
import { RequirementsModule } from '../requirements/requirements.module';
import { RequirementsService } from '../requirements/requirements.service';

/**
 * After HR, an import or the IdP (SCIM) changes people: leavers leave (sessions end, access
 * ends, open work is closed and the offboarding checklist starts, in one transaction each);
 * the others' requirements are derived again (an end date in the future starts the checklist);
 * people whose identity changed are signed out.
 */
@Injectable()
export class PeopleChangesHandler implements PersonChangesListener {
  constructor(
    private readonly requirements: RequirementsService,
    private readonly sessions: SessionsService,
    private readonly leaving: LeavingService,
  ) {}

  async peopleChanged(
    actorId: string,
    changed: readonly string[],
    terminated: readonly string[],
    identityChanged: readonly string[] = [],
    source?: PersonChangeSource,
  ): Promise<void> {
    // Terminated, or given an end date already past: leaving ends their access at once.
    const candidates = [...new Set([...terminated, ...changed])];
    const left = new Set(await this.leaving.leave(actorId, candidates, source));
    for (const personId of terminated) {
      // Already processed earlier (access ended before): any session still live ends anyway.
      if (!left.has(personId)) await this.sessions.endAllFor(personId, 'deactivated', actorId);
    }
    // A session stands for the person who signed in; once who they are changes, they sign in
    // again, as after a change of roles.
    for (const personId of identityChanged) {
      if (!terminated.includes(personId) && !left.has(personId)) {
        await this.sessions.endAllFor(personId, 'identity_changed', actorId);
      }
    }
    const rest = changed.filter((id) => !left.has(id));
    if (rest.length > 0) await this.requirements.derive(rest);
  }
}

@Module({
  imports: [RequirementsModule, SessionsModule],
  providers: [
    PeopleChangesHandler,
    LeavingService,
    LeavingJobs,
    { provide: PERSON_CHANGES, useExisting: PeopleChangesHandler },
  ],
  exports: [PERSON_CHANGES, LeavingService],
})
export class PeopleChangesModule {}
