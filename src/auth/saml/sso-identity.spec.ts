import type { Profile } from '@node-saml/passport-saml';
import { Role } from '../../access/role';
import { loadConfig } from '../../config/config.loader';
import type { CheckedResponse } from './saml-response.checks';
import { rolesFromGroups, ssoIdentityFrom } from './sso-identity';

const saml = loadConfig({
  DATA_DIR: '/tmp/attest-sso-identity-spec',
  SESSION_SECRET: 'x'.repeat(40),
  DATA_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
}).saml;

const checked = (acr?: string): CheckedResponse => ({
  inResponseTo: '_r',
  assertionId: '_a',
  notOnOrAfter: new Date(),
  authnInstant: new Date('2026-01-01T00:00:00Z'),
  authnContextClassRef: acr,
});

function profile(attributes: Record<string, unknown>, nameId = 'n-1', format?: string): Profile {
  return {
    issuer: 'https://idp.example.com',
    nameID: nameId,
    nameIDFormat: format ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    attributes,
  } as unknown as Profile;
}

describe(rolesFromGroups.name, () => {
  it.each<[string[], Role[]]>([
    [[], [Role.Employee]],
    [['all-staff'], [Role.Employee]],
    [['attest-hr'], [Role.Employee, Role.Hr]],
    [
      ['attest-admins', 'attest-auditors'],
      [Role.Admin, Role.Auditor, Role.Employee],
    ],
  ])('maps groups %j to roles %j', (groups, roles) => {
    expect(rolesFromGroups(groups, saml.roleMap)).toEqual(roles);
  });
});

describe(ssoIdentityFrom.name, () => {
  it('takes the email attribute, lower-cased, and the optional attributes when well-formed', () => {
    const sut = ssoIdentityFrom(
      profile({
        email: 'Jane@Corp.Example',
        displayName: 'Jane',
        country: 'de',
        startDate: '2026-02-01',
        groups: ['attest-hr'],
      }),
      checked(),
      saml,
    );
    expect(sut).toMatchObject({
      email: 'jane@corp.example',
      country: 'DE',
      startDate: '2026-02-01',
      roles: [Role.Employee, Role.Hr],
      mfa: undefined,
    });
  });

  it('falls back to an emailAddress-format NameID, and refuses a response with no email', () => {
    const email = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
    expect(ssoIdentityFrom(profile({}, 'sam@corp.example', email), checked(), saml)?.email).toBe(
      'sam@corp.example',
    );
    expect(ssoIdentityFrom(profile({}, 'opaque-id'), checked(), saml)).toBeUndefined();
  });

  it('drops a malformed country or start date instead of storing it', () => {
    const sut = ssoIdentityFrom(
      profile({ email: 'a@b.example', country: 'Germany', startDate: '01/02/2026' }),
      checked(),
      saml,
    );
    expect(sut?.country).toBeUndefined();
    expect(sut?.startDate).toBeUndefined();
  });

  it.each([
    ['https://refeds.org/profile/mfa', true],
    ['urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport', false],
  ])('reads MFA from the authentication context %s', (acr, mfa) => {
    expect(ssoIdentityFrom(profile({ email: 'a@b.example' }), checked(acr), saml)?.mfa).toBe(mfa);
  });
});
