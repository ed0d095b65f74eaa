import request from 'supertest';
import {
  recoveryCodesOnPage,
  secretOnPage,
  totpCode,
  wrongTotpCode,
} from '../helpers/admin-step-up';
import { csrfTokenIn, unescapeHtml } from '../helpers/html-forms';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { signIn, testIdpEnv } from '../helpers/test-idp';

const ADMIN = { email: 'ada@corp.example', displayName: 'Ada Admin', groups: ['attest-admins'] };

/**
 * One admin's authenticator over several sessions. The steps build on each other (enrol, then
 * verify in later sessions), so they run in order and share the state below.
 */
describe('admin TOTP: enrolment, step-up in every session, replay and recovery codes', () => {
  let t: TestApp;
  let adminId: string;
  let secret: string;
  let enrolCode: string;
  let recoveryCodes: string[];

  beforeAll(async () => {
    t = await createTestApp({ env: await testIdpEnv() });
  });

  afterAll(async () => {
    await t?.close();
  });

  const sp = () => ({ acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId });
  const get = (path: string, session: string) =>
    request(t.server).get(path).set('Cookie', [session]).set('Accept', 'text/html');
  const post = (path: string, session: string, form: Record<string, string>) =>
    request(t.server).post(path).set('Cookie', [session]).type('form').send(form);

  async function auditActions(action: string) {
    return t.db.query<{ actor_id: string; details: Record<string, unknown> }>(
      'select actor_id, details from audit_event where action = $1 order by seq',
      [action],
    );
  }

  /** A page rendered in answer to the form (checked by content; status in its own test). */
  const rendersPage = (res: request.Response) => {
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    expect(res.headers['content-type']).toContain('text/html');
  };

  async function expectStepUpRequired(session: string): Promise<void> {
    const res = await get('/admin/people', session);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/auth/totp');
  }

  describe('first session: enrolment', () => {
    let session: string;
    let enrolPage: string;

    beforeAll(async () => {
      session = await signIn(t.server, sp(), ADMIN);
      [{ id: adminId }] = await t.db.query<{ id: string }>(
        'select id from person where email = $1',
        [ADMIN.email],
      );
    });

    it('sends the admin from /admin to /auth/totp before any authenticator is set up', async () => {
      const res = await get('/admin', session);
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/auth/totp');
      await expectStepUpRequired(session);
    });

    it('shows a QR code as a PNG data URL and the secret as text, never cached', async () => {
      const res = await get('/auth/totp', session).expect(200);
      enrolPage = res.text;
      expect(res.headers['cache-control']).toBe('no-store');
      const src = /<img class="qr-code" src="data:image\/png;base64,([^"]+)"/.exec(res.text)?.[1];
      expect(src).toBeDefined();
      const png = Buffer.from(src!.replace(/&#x3D;/g, '='), 'base64');
      expect(png.subarray(0, 8)).toEqual(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      );
      secret = secretOnPage(res.text)!;
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    });

    it('shows the same secret again on reload (no new secret per visit)', async () => {
      const res = await get('/auth/totp', session).expect(200);
      expect(secretOnPage(res.text)).toBe(secret);
    });

    it('refuses a wrong code: the form comes back with an error, and the failure is audited', async () => {
      const before = (await auditActions('totp.failed')).length;
      const res = await post('/auth/totp/enrol', session, {
        _csrf: csrfTokenIn(enrolPage),
        code: wrongTotpCode(secret),
      }).expect(rendersPage);
      expect(res.text).toContain('id="totp-enrol-error"');
      expect(res.text).toContain('That code did not match');
      expect(secretOnPage(res.text)).toBe(secret);
      const failures = await auditActions('totp.failed');
      expect(failures).toHaveLength(before + 1);
      expect(failures.at(-1)).toMatchObject({ actor_id: adminId, details: { step: 'enrol' } });
      await expectStepUpRequired(session);
    });

    it('accepts the current code: 10 recovery codes, and the session may now administer', async () => {
      enrolCode = totpCode(secret);
      const res = await post('/auth/totp/enrol', session, {
        _csrf: csrfTokenIn(enrolPage),
        code: enrolCode,
      }).expect(rendersPage);
      recoveryCodes = recoveryCodesOnPage(res.text);
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      for (const code of recoveryCodes) expect(code).toMatch(/^([0-9a-z]{4}-){3}[0-9a-z]{4}$/);
      // One action keeps them all: a download that needs no script, and no second request.
      const link =
        /<a class="button" href="(data:[^"]+)" download="attest-recovery-codes.txt"/.exec(res.text);
      expect(link).not.toBeNull();
      const url = unescapeHtml(link![1]);
      expect(url.startsWith('data:text/plain;charset=utf-8,')).toBe(true);
      const file = decodeURIComponent(url.slice(url.indexOf(',') + 1));
      expect(file.split('\r\n')).toEqual(expect.arrayContaining(recoveryCodes));
      expect(res.text).toContain('<script src="/assets/copy-codes.js" defer></script>');
      // The page's header already leads to administration, as the session now may.
      expect(res.text).toMatch(/<nav class="nav-wide"[\s\S]*?<a href="\/admin"[^>]*>Admin<\/a>/);
      expect(res.text).toContain('<a href="/people"');
      await get('/admin/people', session).expect(200);
      expect(await auditActions('totp.enrolled')).toHaveLength(1);
    });

    it('keeps the secret encrypted and the recovery codes hashed in the database', async () => {
      const [credential] = await t.db.query<{ secret_ciphertext: string; confirmed_at: Date }>(
        'select secret_ciphertext, confirmed_at from totp_credential where person_id = $1',
        [adminId],
      );
      expect(credential.confirmed_at).not.toBeNull();
      expect(credential.secret_ciphertext.length).toBeGreaterThan(0);
      expect(credential.secret_ciphertext.toUpperCase()).not.toContain(secret);
      const rows = await t.db.query<{ code_hash: string }>(
        'select code_hash from totp_recovery_code where person_id = $1',
        [adminId],
      );
      expect(rows).toHaveLength(10);
      const stored = JSON.stringify(rows);
      for (const code of recoveryCodes) {
        expect(stored).not.toContain(code);
        expect(stored).not.toContain(code.replace(/-/g, ''));
      }
      // Salted scrypt, never a bare digest of the code.
      for (const { code_hash } of rows) expect(code_hash).toMatch(/^s1\$[\w-]{16}\$[\w-]{22}$/);
    });
  });

  describe('second session: verify, not enrol; a used code is refused', () => {
    let session: string;
    let page: string;

    beforeAll(async () => {
      session = await signIn(t.server, sp(), ADMIN);
    });

    it('needs the step-up again, and asks for a code without showing the secret', async () => {
      await expectStepUpRequired(session);
      const res = await get('/auth/totp', session).expect(200);
      page = res.text;
      expect(page).toContain('Enter your authenticator code');
      expect(page).toContain('action="/auth/totp/verify"');
      expect(page).not.toContain('totp-secret');
      expect(page).not.toContain(secret);
    });

    it('refuses a POST without the CSRF token, or with another one (403)', async () => {
      const code = totpCode(secret, 1);
      await post('/auth/totp/verify', session, { code }).expect(403);
      await post('/auth/totp/verify', session, { code, _csrf: 'x'.repeat(43) }).expect(403);
      await expectStepUpRequired(session);
    });

    it('refuses the code that confirmed the enrolment (replay)', async () => {
      const res = await post('/auth/totp/verify', session, {
        _csrf: csrfTokenIn(page),
        code: enrolCode,
      }).expect(rendersPage);
      expect(res.text).toContain('id="totp-verify-error"');
      expect((await auditActions('totp.failed')).at(-1)).toMatchObject({
        details: { step: 'verify' },
      });
      await expectStepUpRequired(session);
    });

    it('accepts a recovery code, typed in upper case without dashes', async () => {
      const typed = recoveryCodes[0].replace(/-/g, '').toUpperCase();
      const res = await post('/auth/totp/recover', session, {
        _csrf: csrfTokenIn(page),
        recoveryCode: typed,
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/admin');
      await get('/admin/people', session).expect(200);
      expect(await auditActions('totp.recovery_code_used')).toHaveLength(1);
      const used = await t.db.query(
        'select 1 from totp_recovery_code where person_id = $1 and used_at is not null',
        [adminId],
      );
      expect(used).toHaveLength(1);
    });
  });

  describe('third session: a used recovery code is refused', () => {
    let session: string;
    let page: string;

    beforeAll(async () => {
      session = await signIn(t.server, sp(), ADMIN);
      page = (await get('/auth/totp', session).expect(200)).text;
    });

    it('refuses the recovery code used in the second session', async () => {
      const res = await post('/auth/totp/recover', session, {
        _csrf: csrfTokenIn(page),
        recoveryCode: recoveryCodes[0],
      }).expect(rendersPage);
      expect(res.text).toContain('That recovery code is not valid or was used.');
      expect((await auditActions('totp.failed')).at(-1)).toMatchObject({
        details: { step: 'recovery_code' },
      });
      await expectStepUpRequired(session);
    });

    it('still accepts an unused recovery code', async () => {
      const res = await post('/auth/totp/recover', session, {
        _csrf: csrfTokenIn(page),
        recoveryCode: recoveryCodes[1],
      });
      expect(res.status).toBe(303);
      await get('/admin/people', session).expect(200);
    });
  });

  it('answers a form POST that renders a page with 200 OK, not 201 Created', async () => {
    const session = await signIn(t.server, sp(), ADMIN);
    const page = (await get('/auth/totp', session).expect(200)).text;
    const res = await post('/auth/totp/verify', session, {
      _csrf: csrfTokenIn(page),
      code: wrongTotpCode(secret),
    });
    expect(res.text).toContain('id="totp-verify-error"');
    expect(res.status).toBe(200);
  });

  describe('fourth session: the authenticator next step', () => {
    it('accepts the code of the next 30-second step, once', async () => {
      const session = await signIn(t.server, sp(), ADMIN);
      const page = (await get('/auth/totp', session).expect(200)).text;
      const next = totpCode(secret, 1);
      const res = await post('/auth/totp/verify', session, {
        _csrf: csrfTokenIn(page),
        code: next,
      });
      expect(res.status).toBe(303);
      await get('/admin/people', session).expect(200);

      const other = await signIn(t.server, sp(), ADMIN);
      const otherPage = (await get('/auth/totp', other).expect(200)).text;
      const replay = await post('/auth/totp/verify', other, {
        _csrf: csrfTokenIn(otherPage),
        code: next,
      }).expect(rendersPage);
      expect(replay.text).toContain('id="totp-verify-error"');
      await expectStepUpRequired(other);
    });
  });

  describe('fifth session: new recovery codes', () => {
    it('replaces every earlier code, from the admin page, only after the second step', async () => {
      const unverified = await signIn(t.server, sp(), ADMIN);
      const unverifiedPage = (await get('/auth/totp', unverified).expect(200)).text;
      const refused = await post('/auth/totp/recovery-codes', unverified, {
        _csrf: csrfTokenIn(unverifiedPage),
      });
      expect(refused.status).toBe(303);
      expect(refused.headers.location).toBe('/auth/totp');

      // The admin steps up with a recovery code, then follows the form on the admin page.
      const session = await signIn(t.server, sp(), ADMIN);
      const page = (await get('/auth/totp', session).expect(200)).text;
      await post('/auth/totp/recover', session, {
        _csrf: csrfTokenIn(page),
        recoveryCode: recoveryCodes[2],
      }).expect(303);
      const admin = (await get('/admin/people', session).expect(200)).text;
      expect(admin).toContain('action="/auth/totp/recovery-codes"');
      const res = await post('/auth/totp/recovery-codes', session, {
        _csrf: csrfTokenIn(admin),
      }).expect(rendersPage);
      const fresh = recoveryCodesOnPage(res.text);
      expect(fresh).toHaveLength(10);
      expect(fresh.some((code) => recoveryCodes.includes(code))).toBe(false);
      expect(res.text).toContain('These codes replace your earlier ones');
      expect(await auditActions('totp.recovery_codes_replaced')).toHaveLength(1);

      const next = await signIn(t.server, sp(), ADMIN);
      const nextPage = (await get('/auth/totp', next).expect(200)).text;
      const old = await post('/auth/totp/recover', next, {
        _csrf: csrfTokenIn(nextPage),
        recoveryCode: recoveryCodes[3],
      }).expect(rendersPage);
      expect(old.text).toContain('That recovery code is not valid or was used.');
      await post('/auth/totp/recover', next, {
        _csrf: csrfTokenIn(nextPage),
        recoveryCode: fresh[0],
      }).expect(303);
      await get('/admin/people', next).expect(200);
    });
  });
});
