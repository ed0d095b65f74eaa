import type { Clock } from '../common/clock';
import { Role } from '../access/role';
import type { AuditService } from '../audit/audit.service';
import type { AttestMetrics } from '../metrics/attest-metrics';
import { IdentityBoundElsewhere } from '../people/people.errors';
import type { PeopleService, ProvisionResult } from '../people/people.service';
import { type Person, PersonStatus } from '../people/person.entity';
import type { RequirementsService } from '../requirements/requirements.service';
import { SignInFailed } from './saml/saml-login.errors';
import type { SsoIdentity, SsoLogin } from './saml/sso-identity';
import type { SessionsService } from './sessions/sessions.service';
import { SsoLoginService } from './sso-login.service';

function identity(overrides: Partial<SsoIdentity> = {}): SsoIdentity {
  return {
    protocol: 'oidc',
    email: 'ada@example.com',
    displayName: 'Ada',
    nameId: 'sub-ada',
    nameIdFormat: undefined,
    sessionIndex: undefined,
    roles: [Role.Admin, Role.Employee],
    department: undefined,
    country: undefined,
    managerEmail: undefined,
    startDate: undefined,
    idpEntityId: 'https://op.example.com',
    authnInstant: new Date('2026-12-07T10:00:00Z'),
    authnContextClassRef: 'urn:example:mfa',
    mfa: true,
    strippedAttributes: [],
    ...overrides,
  };
}

function person(overrides: Partial<Person> = {}): Person {
  return {
    id: 'p-1',
    email: 'ada@example.com',
    status: PersonStatus.Active,
    roles: [Role.Employee],
    scimUserName: null,
    deprovisionedAt: null,
    fieldSources: {},
    ...overrides,
  } as Person;
}

describe(SsoLoginService.name, () => {
  let people: { findByEmail: jest.Mock; provisionFromSso: jest.Mock };
  let sessions: { start: jest.Mock; endAllFor: jest.Mock };
  let audit: { record: jest.Mock };
  let sut: SsoLoginService;
  const client = { ip: '198.51.100.7', userAgent: 'test' };
  const login = (id = identity()): SsoLogin => ({ identity: id, returnTo: '/me' });

  function provisions(result: Partial<ProvisionResult> & { person: Person }) {
    people.provisionFromSso.mockResolvedValue({
      created: false,
      rolesChanged: false,
      emailChanged: false,
      ...result,
    });
  }

  beforeEach(() => {
    people = { findByEmail: jest.fn().mockResolvedValue(null), provisionFromSso: jest.fn() };
    sessions = {
      start: jest.fn().mockResolvedValue({ token: 't', sessionId: 's-1' }),
      endAllFor: jest.fn(),
    };
    audit = { record: jest.fn() };
    sut = new SsoLoginService(
      people as unknown as PeopleService,
      sessions as unknown as SessionsService,
      audit as unknown as AuditService,
      { derive: jest.fn() } as unknown as RequirementsService,
      { signIns: { inc: jest.fn() } } as unknown as AttestMetrics,
      { now: () => new Date('2026-12-07T12:00:00Z') } as Clock,
    );
  });

  const actions = () => audit.record.mock.calls.map(([event]) => event as { action: string });

  it('starts a session and audits the method, the IdP and MFA', async () => {
    provisions({ person: person() });
    await expect(sut.complete(login(), client)).resolves.toEqual({ token: 't', returnTo: '/me' });
    expect(sessions.start).toHaveBeenCalledWith('p-1', identity(), client);
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        action: 'auth.login_succeeded',
        details: {
          method: 'oidc',
          idp: 'https://op.example.com',
          mfa: true,
          acr: 'urn:example:mfa',
        },
      }),
    );
  });

  it('ends the sessions of a person whose roles changed', async () => {
    provisions({ person: person(), rolesChanged: true });
    await sut.complete(login(), client);
    expect(sessions.endAllFor).toHaveBeenCalledWith('p-1', 'roles_changed', 'sso');
  });

  it('keeps the roles SCIM groups gave, whatever the groups claim says', async () => {
    const scim = person({
      scimUserName: 'ada@example.com',
      roles: [Role.Employee, Role.Hr],
      fieldSources: { roles: { source: 'scim', at: '2026-12-07T09:00:00.000Z' } },
    });
    people.findByEmail.mockResolvedValue(scim);
    provisions({ person: scim });
    await sut.complete(login(), client);
    expect(people.provisionFromSso).toHaveBeenCalledWith(
      expect.objectContaining({ roles: [Role.Employee, Role.Hr] }),
    );
    expect(sessions.start).toHaveBeenCalledWith(
      'p-1',
      expect.objectContaining({ roles: [Role.Employee, Role.Hr] }),
      client,
    );
  });

  it('replaces roles from the claims when their last source was not SCIM', async () => {
    people.findByEmail.mockResolvedValue(
      person({ fieldSources: { roles: { source: 'sso', at: '2026-12-07T09:00:00.000Z' } } }),
    );
    provisions({ person: person() });
    await sut.complete(login(), client);
    expect(people.provisionFromSso).toHaveBeenCalledWith(
      expect.objectContaining({ roles: [Role.Admin, Role.Employee] }),
    );
  });

  it.each([
    ['deprovisioned by SCIM', { deprovisionedAt: new Date('2026-12-01T00:00:00Z') }],
    ['SCIM-bound and terminated', { status: PersonStatus.Terminated }],
  ])('refuses, before writing anything, a person %s', async (_case, state) => {
    people.findByEmail.mockResolvedValue(person({ scimUserName: 'ada@example.com', ...state }));
    await expect(sut.complete(login(), client)).rejects.toBeInstanceOf(SignInFailed);
    expect(people.provisionFromSso).not.toHaveBeenCalled();
    expect(sessions.start).not.toHaveBeenCalled();
    expect(audit.record).toHaveBeenCalledWith({
      action: 'auth.login_failed',
      actorId: 'p-1',
      details: { reason: 'scim_deprovisioned', method: 'oidc' },
    });
  });

  it('refuses a deprovisioned SCIM-bound person the identity selects under another email', async () => {
    provisions({
      person: person({ scimUserName: 'ada@example.com', deprovisionedAt: new Date() }),
      emailChanged: true,
    });
    await expect(sut.complete(login(), client)).rejects.toBeInstanceOf(SignInFailed);
    expect(sessions.start).not.toHaveBeenCalled();
    expect(actions()).toContainEqual(expect.objectContaining({ action: 'auth.login_failed' }));
  });

  it('refuses and audits an identity bound to another person than the email selects', async () => {
    people.provisionFromSso.mockRejectedValue(new IdentityBoundElsewhere('p-2', 'p-1'));
    await expect(sut.complete(login(), client)).rejects.toBeInstanceOf(SignInFailed);
    expect(audit.record).toHaveBeenCalledWith({
      action: 'auth.login_failed',
      actorId: null,
      details: { reason: 'identity_mismatch', method: 'oidc', boundTo: 'p-2', emailOf: 'p-1' },
    });
    expect(sessions.start).not.toHaveBeenCalled();
  });

  it('refuses a terminated person who is not SCIM-bound as deactivated', async () => {
    provisions({ person: person({ status: PersonStatus.Terminated }) });
    await expect(
      sut.complete(login(identity({ protocol: 'saml' })), client),
    ).rejects.toBeInstanceOf(SignInFailed);
    expect(audit.record).toHaveBeenCalledWith({
      action: 'auth.login_failed',
      actorId: 'p-1',
      details: { reason: 'deactivated', method: 'saml' },
    });
  });

  it('lets a leaver sign in on their last day, and not the day after', async () => {
    provisions({ person: person({ endDate: '2026-12-07' }) });
    await expect(sut.complete(login(), client)).resolves.toEqual({ token: 't', returnTo: '/me' });
    provisions({ person: person({ endDate: '2026-12-06' }) });
    await expect(sut.complete(login(), client)).rejects.toBeInstanceOf(SignInFailed);
    expect(sessions.start).toHaveBeenCalledTimes(1);
    expect(actions().map((e) => e.action)).toContain('auth.login_failed');
  });
});
