import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { Role } from '../../src/access/role';
import type { TestApp } from './test-app';
import { signIn } from './test-idp';

/** Someone visiting Attest: anonymous, or signed in through the test IdP with these groups. */
export interface Persona {
  name: string;
  /** Undefined for the anonymous visitor. */
  signIn?: { email: string; groups: string[]; stepUp: boolean };
}

/** One of each role the default ROLE_MAP grants, plus an admin before and after step-up. */
export const PERSONAS: readonly Persona[] = [
  { name: 'anonymous' },
  {
    name: 'employee',
    signIn: { email: 'emma.employee@corp.example', groups: ['all-staff'], stepUp: false },
  },
  {
    name: 'hr',
    signIn: { email: 'harriet.hr@corp.example', groups: ['attest-hr'], stepUp: false },
  },
  {
    name: 'auditor',
    signIn: { email: 'aude.auditor@corp.example', groups: ['attest-auditors'], stepUp: false },
  },
  {
    name: 'admin-without-totp',
    signIn: { email: 'adam.admin@corp.example', groups: ['attest-admins'], stepUp: false },
  },
  {
    name: 'admin-with-totp',
    signIn: { email: 'ada.admin@corp.example', groups: ['attest-admins'], stepUp: true },
  },
];

/** A persona's browser: its session cookie and what the server recorded for it. */
export interface SignedIn {
  persona: Persona;
  /** Empty for the anonymous visitor. */
  cookies: string[];
  personId?: string;
  /** Read back from the person table, as ROLE_MAP assigned them at sign-in. */
  roles: Role[];
  totpVerified: boolean;
  csrfToken?: string;
}

export function hiddenCsrfToken(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`no _csrf field in the page: ${html.slice(0, 300)}`);
  return token;
}

/** The session's CSRF token, from the sign-out form on the person's home page. */
export async function csrfTokenOf(t: TestApp, cookies: string[]): Promise<string> {
  const res = await request(t.server).get('/me').set('Cookie', cookies).set('Accept', 'text/html');
  if (res.status !== 200) throw new Error(`GET /me answered ${res.status}`);
  return hiddenCsrfToken(res.text);
}

/**
 * Enrols an authenticator the way an admin does: read the setup key off the enrol page, type
 * the current code back. Enrolling also verifies TOTP for this session.
 */
export async function enrolTotp(t: TestApp, cookies: string[]): Promise<void> {
  const page = await request(t.server)
    .get('/auth/totp')
    .set('Cookie', cookies)
    .set('Accept', 'text/html');
  if (page.status !== 200) throw new Error(`GET /auth/totp answered ${page.status}`);
  const secret = /id="totp-secret">([A-Z2-7]+)</.exec(page.text)?.[1];
  if (!secret) throw new Error('no setup key on the enrol page');
  const code = new TOTP({
    secret: Secret.fromBase32(secret),
    digits: 6,
    period: 30,
    algorithm: 'SHA1',
  }).generate();
  const done = await request(t.server)
    .post('/auth/totp/enrol')
    .set('Cookie', cookies)
    .set('Accept', 'text/html')
    .type('form')
    .send({ code, _csrf: hiddenCsrfToken(page.text) });
  // Checked by content: whether a rendered form answer is 200 or 201 is totp.e2e-spec's concern.
  if (!done.text.includes('Save your recovery codes')) {
    throw new Error(`TOTP enrolment failed with ${done.status}: ${done.text.slice(0, 300)}`);
  }
}

export async function signInAs(t: TestApp, persona: Persona): Promise<SignedIn> {
  if (!persona.signIn) return { persona, cookies: [], roles: [], totpVerified: false };
  const { email, groups, stepUp } = persona.signIn;
  const sp = { acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId };
  const cookies = [await signIn(t.server, sp, { email, groups, displayName: persona.name })];
  if (stepUp) await enrolTotp(t, cookies);
  const [person] = await t.db.query<{ id: string; roles: Role[] }>(
    'select id, roles from person where email = $1',
    [email],
  );
  return {
    persona,
    cookies,
    personId: person.id,
    roles: person.roles,
    totpVerified: stepUp,
    csrfToken: await csrfTokenOf(t, cookies),
  };
}
