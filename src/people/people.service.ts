import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import type { SsoIdentity } from '../auth/saml/sso-identity';
import type { Person } from './person.entity';
import { PersonRepository } from './person.repository';

export interface ProvisionResult {
  readonly person: Person;
  readonly created: boolean;
  readonly rolesChanged: boolean;
}

@Injectable()
export class PeopleService {
  constructor(
    private readonly people: PersonRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Just-in-time provisioning: the first sign-in creates the person, later ones update what
   * the IdP asserts. Roles are recomputed from the IdP's groups every time.
   */
  async provisionFromSso(identity: SsoIdentity): Promise<ProvisionResult> {
    const { person, previousRoles } = await this.people.upsertFromSso(
      {
        email: identity.email,
        fullName: identity.displayName,
        samlNameId: identity.nameId,
        roles: [...identity.roles],
        department: identity.department,
        country: identity.country,
        managerEmail: identity.managerEmail,
        startDate: identity.startDate,
      },
      this.clock.now(),
    );
    const created = previousRoles === undefined;
    const before = [...(previousRoles ?? [])].sort().join(',');
    const rolesChanged = !created && before !== [...identity.roles].sort().join(',');
    if (created) {
      await this.audit.record({
        action: 'person.created',
        actorId: person.id,
        subjectType: 'person',
        subjectId: person.id,
        details: { source: 'sso', roles: identity.roles },
      });
    } else if (rolesChanged) {
      await this.audit.record({
        action: 'person.roles_changed',
        actorId: 'sso',
        subjectType: 'person',
        subjectId: person.id,
        details: { from: previousRoles, to: identity.roles },
      });
    }
    return { person, created, rolesChanged };
  }

  findById(id: string): Promise<Person | null> {
    return this.people.findById(id);
  }

  list(limit?: number, offset?: number): Promise<[Person[], number]> {
    return this.people.list(limit, offset);
  }
}
