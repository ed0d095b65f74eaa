import request from 'supertest';
import { NotificationDelivery } from '../../src/notifications/notification-delivery.service';
import { formPostingTo } from '../helpers/html-forms';
import { csrfTokenOf } from '../helpers/role-sessions';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { signIn, testIdpEnv } from '../helpers/test-idp';

const TOKEN = 'metrics-token-for-tests-0123456789abcdef';
const EMAIL = 'mira.metrics@corp.example';
const NAME = 'Mira Metrics';

/** One sample's value in Prometheus text format, or undefined when the series is absent. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('/metrics (Prometheus)', () => {
  describe('without METRICS_TOKEN', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(async () => {
      await t?.close();
    });

    it('does not exist', async () => {
      await request(t.server).get('/metrics').expect(404);
      await request(t.server).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(404);
    });
  });

  describe('with METRICS_TOKEN', () => {
    let t: TestApp;
    const scrape = () => request(t.server).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);

    beforeAll(async () => {
      t = await createTestApp({ env: { ...(await testIdpEnv()), METRICS_TOKEN: TOKEN } });
    });
    afterAll(async () => {
      await t?.close();
    });

    it.each([
      ['no token', undefined],
      ['another token', `Bearer ${TOKEN.slice(0, -1)}x`],
      ['the token in another scheme', `Basic ${TOKEN}`],
      ['the token with a suffix', `Bearer ${TOKEN}x`],
    ])('refuses %s with 401 and a Bearer challenge', async (_case, authorization) => {
      const req = request(t.server).get('/metrics');
      const res = await (authorization ? req.set('Authorization', authorization) : req);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="attest-metrics"');
      expect(res.text).not.toContain('attest_');
    });

    it('times requests by route pattern, never by URL, and counts sign-ins and seals', async () => {
      await request(t.server).get('/healthz').expect(200);
      const sp = { acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId };
      const cookies = [await signIn(t.server, sp, { email: EMAIL, displayName: NAME })];
      const csrf = await csrfTokenOf(t, cookies);
      const post = (path: string, form: Record<string, string>) =>
        request(t.server)
          .post(path)
          .set('Cookie', cookies)
          .set('Accept', 'text/html')
          .type('form')
          .send({ _csrf: csrf, ...form });
      await post('/documents/consent', { agree: 'yes', next: '/me' }).expect(303);
      const read = await request(t.server)
        .get('/documents/nda')
        .set('Cookie', cookies)
        .set('Accept', 'text/html')
        .expect(200);
      const nda = formPostingTo(read.text, /signatures$/);
      await post(nda.action, {
        intent: 'yes',
        typedName: NAME,
        submission: nda.hidden.submission,
      }).expect(303);
      const [{ id: personId }] = await t.db.query<{ id: string }>(
        'select id from person where email = $1',
        [EMAIL],
      );
      await request(t.server).get(`/people/${personId}`).set('Cookie', cookies).expect(403);

      const res = await scrape().expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = res.text;
      const count = 'attest_http_request_duration_seconds_count';
      expect(sample(text, count, 'method="GET",route="/healthz",status="200"')).toBe(1);
      expect(
        sample(
          text,
          count,
          'method="POST",route="/documents/:documentId/versions/:version/signatures",status="303"',
        ),
      ).toBe(1);
      expect(sample(text, count, 'method="GET",route="/people/:id",status="403"')).toBe(1);
      expect(sample(text, 'attest_sign_ins_total', 'outcome="succeeded"')).toBe(1);
      expect(sample(text, 'attest_attestations_sealed_total', 'kind="signature"')).toBe(1);
      expect(sample(text, 'attest_attestation_seal_seconds_count', '')).toBeUndefined();
      expect(text).toMatch(/^attest_attestation_seal_seconds_count 1$/m);
      expect(sample(text, 'attest_queue_size', 'queue="exports"')).toBe(0);
      expect(sample(text, 'attest_queue_size', 'queue="notifications"')).toBe(0);
      expect(text).toMatch(/^attest_process_cpu_seconds_total /m);
      // The database pool: open connections (this test's requests opened at least one), none
      // of them waiting now.
      expect(sample(text, 'attest_db_pool_connections', 'state="total"')).toBeGreaterThan(0);
      expect(sample(text, 'attest_db_pool_connections', 'state="waiting"')).toBe(0);
      expect(sample(text, 'attest_db_pool_connections', 'state="idle"')).toBeGreaterThanOrEqual(0);
      // Nothing about a person: no id, no email, no name.
      for (const personal of [personId, EMAIL, NAME, 'mira']) expect(text).not.toContain(personal);
    });

    it('counts delivered notifications by outcome, once their outcome is recorded', async () => {
      const before = (await scrape().expect(200)).text;
      expect(sample(before, 'attest_notifications_total', 'outcome="sent"')).toBeUndefined();
      const [{ id: personId }] = await t.db.query<{ id: string }>(
        'select id from person where email = $1',
        [EMAIL],
      );
      // A reminder queued as the scheduler would (manual: no open task makes it irrelevant),
      // then one delivery pass through the development mailbox (no SMTP_URL here).
      await t.db.query(
        `insert into notification (id, idempotency_key, kind, recipient_person_id, recipient_email,
           about_person_id, subject, text_body, html_body, status, attempts, next_attempt_at,
           message_id, item_count, created_at, updated_at)
         values (gen_random_uuid(), 'metrics-e2e', 'hr_digest', null, 'hr@corp.example', $1,
           'Subject', 'Body', '<p>Body</p>', 'queued', 0, now(), '<metrics-e2e@attest>', 1, now(), now())`,
        [personId],
      );
      const summary = await t.app.get(NotificationDelivery).drain();
      const after = (await scrape().expect(200)).text;
      const outcomes = ['sent', 'failed', 'suppressed', 'retrying'] as const;
      const counted = outcomes.reduce(
        (sum, outcome) =>
          sum + (sample(after, 'attest_notifications_total', `outcome="${outcome}"`) ?? 0),
        0,
      );
      expect(counted).toBe(1);
      expect(counted).toBe(summary.sent + summary.failed + summary.suppressed + summary.retrying);
    });
  });
});
