import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../access/principal';
import { Role } from '../access/role';
import { SessionsService } from '../auth/sessions/sessions.service';
import { PeopleService } from './people.service';

export interface MeView {
  title: string;
  csrfToken: string;
  email: string;
  displayName: string;
  roles: string[];
  isAdmin: boolean;
  totpVerified: boolean;
  signIn: { idp: string; mfa: string; authnInstant: string | null } | null;
}

@Injectable()
export class MeService {
  constructor(
    private readonly people: PeopleService,
    private readonly sessions: SessionsService,
  ) {}

  async home(principal: Principal): Promise<MeView> {
    const person = await this.people.findById(principal.personId);
    if (!person) throw new NotFoundException();
    const session = await this.sessions.findById(principal.sessionId);
    return {
      title: 'My home',
      csrfToken: principal.csrfToken,
      email: person.email,
      displayName: person.fullName,
      roles: [...principal.roles],
      isAdmin: principal.roles.includes(Role.Admin),
      totpVerified: principal.totpVerified,
      signIn: session
        ? {
            idp: session.idpEntityId,
            mfa:
              session.mfa === null || session.mfa === undefined
                ? 'not stated'
                : session.mfa
                  ? 'yes'
                  : 'no',
            authnInstant: session.authnInstant?.toISOString() ?? null,
          }
        : null,
    };
  }
}
