import { PersonStatus } from '../../people/person.entity';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import { AttestMetrics } from '../../metrics/attest-metrics';
import { IdentityBoundElsewhere } from '../../people/people.errors';
import { PeopleService, type ProvisionResult } from '../../people/people.service';
import { RequirementsService } from '../../requirements/requirements.service';
import { type ClientInfo, SessionsService } from '../sessions/sessions.service';
import { type SamlRefusalReason, SignInFailed } from './saml-login.errors';
import type { SamlLogin } from './saml.strategy';

/** What happens once a SAML response has passed every check. */
@Injectable()
export class SamlLoginService {
  constructor(
    private readonly people: PeopleService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly requirements: RequirementsService,
    private readonly metrics: AttestMetrics,
  ) {}

  /**
   * Provisions the person, ends their sessions if their roles or email changed, starts a
   * session. A sign-in whose identity is bound to another person than its email selects is
   * refused and audited; the binding does not move.
   */
  async complete(
    login: SamlLogin,
    client: ClientInfo,
  ): Promise<{ token: string; returnTo: string }> {
    const { person, rolesChanged, emailChanged } = await this.provision(login);
    if (login.identity.strippedAttributes.length > 0) {
      await this.audit.record({
        action: 'auth.attributes_stripped',
        actorId: 'sso',
        subjectType: 'person',
        subjectId: person.id,
        details: { reason: 'bidi_control', attributes: login.identity.strippedAttributes },
      });
    }
    if (person.status === PersonStatus.Terminated) {
      await this.refused('deactivated', person.id);
      throw new SignInFailed();
    }
    if (rolesChanged) await this.sessions.endAllFor(person.id, 'roles_changed', 'sso');
    else if (emailChanged) await this.sessions.endAllFor(person.id, 'identity_changed', 'sso');
    // What the IdP asserted (country, department, roles) decides what applies to them.
    await this.requirements.derive([person.id]);
    const { token, sessionId } = await this.sessions.start(person.id, login.identity, client);
    await this.audit.record({
      action: 'auth.login_succeeded',
      actorId: person.id,
      subjectType: 'session',
      subjectId: sessionId,
      details: { idp: login.identity.idpEntityId, mfa: login.identity.mfa ?? null },
    });
    this.metrics.signIns.inc({ outcome: 'succeeded' });
    return { token, returnTo: login.returnTo };
  }

  private async provision(login: SamlLogin): Promise<ProvisionResult> {
    try {
      return await this.people.provisionFromSso(login.identity);
    } catch (error) {
      if (!(error instanceof IdentityBoundElsewhere)) throw error;
      await this.refused('identity_mismatch', undefined, {
        boundTo: error.boundTo,
        emailOf: error.emailOf,
      });
      throw new SignInFailed();
    }
  }

  /** A refused response is audited with its reason; the browser learns nothing more. */
  async refused(
    reason: SamlRefusalReason | 'deactivated',
    personId?: string,
    details: Record<string, string | null> = {},
  ): Promise<void> {
    await this.audit.record({
      action: 'auth.login_failed',
      actorId: personId ?? null,
      details: { reason, ...details },
    });
    this.metrics.signIns.inc({ outcome: reason });
  }
}
