import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import type { App } from 'supertest/types';
import { csrfTokenIn } from './html-forms';

/** What an authenticator app would show for `secretBase32`, `offsetSteps` 30-second steps away. */
export function totpCode(secretBase32: string, offsetSteps = 0): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    timestamp: Date.now() + offsetSteps * 30_000,
  });
}

/** A six-digit code that matches none of the steps the server accepts now (±1 step). */
export function wrongTotpCode(secretBase32: string): string {
  const valid = new Set([-2, -1, 0, 1, 2].map((step) => totpCode(secretBase32, step)));
  let n = 123456;
  while (valid.has(String(n).padStart(6, '0'))) n = (n + 1) % 1_000_000;
  return String(n).padStart(6, '0');
}

/** The base32 secret shown on the enrolment page for people who cannot scan the QR code. */
export function secretOnPage(html: string): string | undefined {
  return /id="totp-secret">([A-Z2-7]+)</.exec(html)?.[1];
}

export function recoveryCodesOnPage(html: string): string[] {
  const list = /<ol class="recovery-codes"[\s\S]*?<\/ol>/.exec(html)?.[0] ?? '';
  return [...list.matchAll(/<code>([^<]+)<\/code>/g)].map((m) => m[1]);
}

export interface Enrolment {
  secret: string;
  /** The code that confirmed the enrolment (its step is now used). */
  code: string;
  recoveryCodes: string[];
}

/**
 * Enrols an authenticator for the admin signed in with `session` and so steps that session up,
 * as a person would: read the key off the page, type the app's code.
 */
export async function enrolTotp(server: App, session: string): Promise<Enrolment> {
  const page = await request(server).get('/auth/totp').set('Cookie', [session]).expect(200);
  const secret = secretOnPage(page.text);
  if (!secret) throw new Error(`no TOTP secret on the page:\n${page.text.slice(0, 500)}`);
  const code = totpCode(secret);
  const done = await request(server)
    .post('/auth/totp/enrol')
    .set('Cookie', [session])
    .type('form')
    .send({ _csrf: csrfTokenIn(page.text), code })
    // 2xx: a rendered page (the controller answers 201 today; see totp.e2e-spec.ts).
    .expect((res) => expect(res.status).toBeLessThan(300));
  const recoveryCodes = recoveryCodesOnPage(done.text);
  if (recoveryCodes.length === 0) throw new Error('enrolment showed no recovery codes');
  return { secret, code, recoveryCodes };
}

/** Verifies a fresh session of an enrolled admin with the authenticator's next code. */
export async function verifyTotp(server: App, session: string, secret: string): Promise<void> {
  const page = await request(server).get('/auth/totp').set('Cookie', [session]).expect(200);
  await request(server)
    .post('/auth/totp/verify')
    .set('Cookie', [session])
    .type('form')
    // The next step's code: within the accepted window, and later than any step used so far.
    .send({ _csrf: csrfTokenIn(page.text), code: totpCode(secret, 1) })
    .expect(303);
}
