import { Clock } from '../common/clock';
import { calendarDayOf } from '../common/calendar-day';
import { hasLeft } from '../requirements/assignment-deriver';
import { Injectable } from '@nestjs/common';
import { isRole } from '../access/role';
import { AuditService } from '../audit/audit.service';
import { AttestMetrics } from '../metrics/attest-metrics';
import { IdentityBoundElsewhere } from '../people/people.errors';
import { PeopleService, type ProvisionResult } from '../people/people.service';
import { type Person, PersonStatus } from '../people/person.entity';
import { RequirementsService } from '../requirements/requirements.service';
import type { OidcRefusalReason } from './oidc/oidc-login.errors';
import { type SamlRefusalReason, SignInFailed } from './saml/saml-login.errors';
import type { SsoIdentity, SsoLogin } from './saml/sso-identity';
import { type ClientInfo, SessionsService } from './sessions/sessions.service';

/** Why a sign-in was refused: recorded in the audit log, never shown to the browser. */
export type SsoRefusalReason =
  SamlRefusalReason | OidcRefusalReason | 'deactivated' | 'scim_deprovisioned';

/** The IdP's SCIM client provisioned this person (RFC 7643 §4.1.1 `userName`). */
export function isScimBound(person: Person): boolean {
  return !!person.scimUserName;
}

/** SCIM groups, not the sign-in's groups claim or attribute, decide this person's roles. */
export function rolesMasteredByScim(person: Person): boolean {
  return person.fieldSources?.roles?.source === 'scim';
}

/**
 * A SCIM-bound person whom the directory has since deprovisioned (RFC 7643 §4.1.1 `active`
 * false, or a DELETE) or whom HR has marked as having left. Their IdP may still sign them in
 * (SSO and provisioning are separate switches at most IdPs); Attest believes the directory.
 */
function deprovisioned(person: Person): boolean {
  return (
    isScimBound(person) && (!!person.deprovisionedAt || person.status === PersonStatus.Terminated)
  );
}

/**
 * What happens once an identity has passed every check of its protocol (SAML or OpenID Connect):
 * one completion for both, so the binding, SCIM and role rules cannot drift apart.
 *
 * A sign-in to a SCIM-bound person (see {@link isScimBound}) is accepted only when it does not
 * contradict the directory: the identity (issuer and NameID/`sub`) is the one the person is bound
 * to, or none yet (the first sign-in binds it; IdentityBoundElsewhere otherwise), and the person
 * is not deprovisioned. When SCIM masters the roles, the sign-in keeps them.
 */
@Injectable()
export class SsoLoginService {
  constructor(
    private readonly people: PeopleService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly requirements: RequirementsService,
    private readonly metrics: AttestMetrics,
    private readonly clock: Clock,
  ) {}

  /**
   * Provisions the person, ends their sessions if their roles or email changed, starts a
   * session. A sign-in whose identity is bound to another person than its email selects is
   * refused and audited; the binding does not move.
   */
  async complete(
    login: SsoLogin,
    client: ClientInfo,
  ): Promise<{ token: string; returnTo: string }> {
    const known = await this.people.findByEmail(login.identity.email);
    // Refused before anything is written: a deprovisioned person's record stays as SCIM left it.
    if (known && deprovisioned(known)) {
      await this.refused('scim_deprovisioned', known.id, { method: login.identity.protocol });
      throw new SignInFailed();
    }
    const identity =
      known && rolesMasteredByScim(known) ? withRolesOf(login.identity, known) : login.identity;
    const { person, rolesChanged, emailChanged } = await this.provision(identity);
    if (identity.strippedAttributes.length > 0) {
      await this.audit.record({
        action: 'auth.attributes_stripped',
        actorId: 'sso',
        subjectType: 'person',
        subjectId: person.id,
        details: { reason: 'bidi_control', attributes: identity.strippedAttributes },
      });
    }
    // The identity may select another record than the email did (a rename at the IdP).
    if (deprovisioned(person)) {
      await this.refused('scim_deprovisioned', person.id, { method: identity.protocol });
      throw new SignInFailed();
    }
    // A leaver signs in until their last day, and not after it (see SessionsService.resolve).
    if (hasLeft(person, calendarDayOf(this.clock.now()))) {
      await this.refused('deactivated', person.id, { method: identity.protocol });
      throw new SignInFailed();
    }
    if (rolesChanged) await this.sessions.endAllFor(person.id, 'roles_changed', 'sso');
    else if (emailChanged) await this.sessions.endAllFor(person.id, 'identity_changed', 'sso');
    // What the IdP asserted (country, department, roles) decides what applies to them.
    await this.requirements.derive([person.id]);
    const { token, sessionId } = await this.sessions.start(person.id, identity, client);
    await this.audit.record({
      action: 'auth.login_succeeded',
      actorId: person.id,
      subjectType: 'session',
      subjectId: sessionId,
      details: {
        method: identity.protocol,
        idp: identity.idpEntityId,
        mfa: identity.mfa ?? null,
        acr: identity.authnContextClassRef ?? null,
      },
    });
    this.metrics.signIns.inc({ outcome: 'succeeded' });
    return { token, returnTo: login.returnTo };
  }

  private async provision(identity: SsoIdentity): Promise<ProvisionResult> {
    try {
      return await this.people.provisionFromSso(identity);
    } catch (error) {
      if (!(error instanceof IdentityBoundElsewhere)) throw error;
      await this.refused('identity_mismatch', undefined, {
        method: identity.protocol,
        boundTo: error.boundTo,
        emailOf: error.emailOf,
      });
      throw new SignInFailed();
    }
  }

  /** A refused sign-in is audited with its reason; the browser learns nothing more. */
  async refused(
    reason: SsoRefusalReason,
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

/** The identity with the person's SCIM-given roles in place of the ones the IdP asserted. */
function withRolesOf(identity: SsoIdentity, person: Person): SsoIdentity {
  return { ...identity, roles: person.roles.filter(isRole).sort() };
}
