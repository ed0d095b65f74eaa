import { Role } from '../../access/role';
import { loadConfig } from '../../config/config.loader';
import type { IdTokenClaims } from './oidc-client';
import { mfaFrom, ssoIdentityFromClaims } from './oidc-identity';
import { OidcLoginRefused } from './oidc-login.errors';

const config = loadConfig({
  DATA_DIR: '/tmp/attest-oidc-identity-spec',
  SESSION_SECRET: 'x'.repeat(40),
  DATA_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
  OIDC_ISSUER: 'https://op.example.com',
  OIDC_CLIENT_ID: 'attest',
  OIDC_CLIENT_SECRET: 'a-client-secret-of-some-length',
  OIDC_GROUPS_CLAIM: 'roles',
});

const claims = (extra: Record<string, unknown> = {}): IdTokenClaims => ({
  iss: 'https://op.example.com',
  sub: '00u1abcd',
  email: 'Ada@Example.com',
  email_verified: true,
  name: 'Ada Lovelace',
  roles: ['attest-hr', 'staff'],
  auth_time: 1_796_637_600,
  acr: 'urn:okta:loa:2fa:any',
  amr: ['pwd', 'otp'],
  sid: 'sid-1',
  ...extra,
});

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as OidcLoginRefused).reason;
  }
  return undefined;
};

describe(ssoIdentityFromClaims.name, () => {
  const sut = (c: IdTokenClaims) => ssoIdentityFromClaims(c, config.oidc!, config.saml.roleMap);

  it('binds to iss + sub and keeps how the person authenticated', () => {
    expect(sut(claims())).toMatchObject({
      protocol: 'oidc',
      email: 'ada@example.com',
      displayName: 'Ada Lovelace',
      nameId: '00u1abcd',
      idpEntityId: 'https://op.example.com',
      sessionIndex: 'sid-1',
      roles: [Role.Employee, Role.Hr],
      authnInstant: new Date(1_796_637_600_000),
      authnContextClassRef: 'urn:okta:loa:2fa:any',
      mfa: true,
    });
  });

  it('reads groups from the configured claim, as one string or a list', () => {
    expect(sut(claims({ roles: 'attest-admins' })).roles).toEqual([Role.Admin, Role.Employee]);
    expect(sut(claims({ roles: undefined })).roles).toEqual([Role.Employee]);
  });

  it.each([
    [{ email: undefined }, 'no_email'],
    [{ email: 'not-an-email' }, 'no_email'],
    [{ email_verified: false }, 'email_unverified'],
    [{ sub: 'x'.repeat(256) }, 'invalid_response'],
    [{ email: 'ada\u202e@example.com' }, 'bidi_control'],
  ])('refuses %j (%s)', (extra, reason) => {
    expect(refusal(() => sut(claims(extra)))).toBe(reason);
  });

  it('refuses an email the provider does not say is verified, unless told to accept it', () => {
    expect(refusal(() => sut(claims({ email_verified: undefined })))).toBe('email_unverified');
    expect(refusal(() => sut(claims({ email_verified: 'true' as never })))).toBe(
      'email_unverified',
    );
    // Entra ID never sends the claim: OIDC_REQUIRE_EMAIL_VERIFIED=false accepts its absence.
    const lenient = { ...config.oidc!, requireEmailVerified: false };
    const unsent = claims({ email_verified: undefined });
    expect(ssoIdentityFromClaims(unsent, lenient, config.saml.roleMap).email).toBe(
      'ada@example.com',
    );
    expect(
      refusal(() =>
        ssoIdentityFromClaims(claims({ email_verified: false }), lenient, config.saml.roleMap),
      ),
    ).toBe('email_unverified');
  });

  it('strips directional controls from the name and says so', () => {
    const identity = sut(claims({ name: 'Ada\u202e Lovelace' }));
    expect(identity.displayName).toBe('Ada Lovelace');
    expect(identity.strippedAttributes).toEqual(['displayName']);
  });
});

describe(mfaFrom.name, () => {
  it.each([
    [['pwd', 'mfa'], undefined, true],
    [['hwk'], undefined, true],
    [['pwd', 'otp'], undefined, true],
    [['pwd'], undefined, false],
    [['pwd'], 'http://schemas.openid.net/pape/policies/2007/06/multi-factor', true],
    [undefined, 'urn:example:password', false],
    [undefined, undefined, undefined],
  ])('amr %j, acr %s → %s', (amr, acr, expected) => {
    expect(mfaFrom(amr, acr)).toBe(expected);
  });
});
