import { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { NotificationDelivery } from '../../src/notifications/notification-delivery.service';
import { NotificationKind, NotificationStatus } from '../../src/notifications/notification-kind';
import { NotificationScheduler } from '../../src/notifications/notification-scheduler.service';
import { NotificationRepository } from '../../src/notifications/notification.repository';
import { SmtpMailTransport } from '../../src/notifications/smtp-mail.transport';
import { SmtpSink } from '../helpers/smtp-sink';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { signIn, testIdpEnv } from '../helpers/test-idp';

const FROM = 'Attest at Example <attest@example.com>';
const REPLY_TO = 'people-team@example.com';
// A Monday, mid-morning in London.
const MONDAY = '2027-03-01T10:00:00Z';

interface Row {
  id: string;
  recipient_email: string;
  status: string;
  status_reason: string | null;
  attempts: number;
  message_id: string;
}

/**
 * Delivery to a real SMTP server (smtp-server, read back with mailparser), through the real
 * transport (nodemailer): what arrives, with which headers; retries on 421; a 550 fails one
 * message only; and under two workers, an aborted one and a crashed one, each message is
 * delivered exactly once.
 */
describe('Notification delivery over SMTP (integration)', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let queuedAtStart: Record<string, number>;
  const people = ['ann', 'bob', 'cat'].map((name) => `${name}@corp.example`);

  const rowOf = async (email: string) =>
    (await t.db.query<Row>('select * from notification where recipient_email = $1', [email]))[0];
  const deliver = () => t.app.get(NotificationDelivery).drain();
  /** Time passes for the retry: the message falls due now. */
  const dueNow = (id: string) =>
    t.db.query(
      `update notification set next_attempt_at = now() - interval '1 second' where id = $1`,
      [id],
    );

  beforeAll(async () => {
    // A little latency per message, as a real server has: workers overlap.
    sink = await SmtpSink.start({ delayMs: 3 });
    t = await createTestApp({
      env: {
        ...(await testIdpEnv()),
        SMTP_URL: sink.url,
        MAIL_FROM: FROM,
        MAIL_REPLY_TO: REPLY_TO,
        ORGANISATION_NAME: 'Example Ltd',
      },
    });
    const sp = { acsUrl: t.config.saml.acsUrl, spEntityId: t.config.saml.spEntityId };
    for (const email of people) {
      await signIn(t.server, sp, {
        email,
        displayName: email.split('@')[0].toUpperCase(),
        attributes: { country: 'GB', startDate: '2025-01-06' },
      });
    }
    sink.refuse('bob@corp.example', 550);
    sink.refuse('cat@corp.example', 421, 2);
    queuedAtStart = (await t.app.get(NotificationScheduler).run(new Date(MONDAY))).queued;
  });

  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  it('sends a plain-text and an HTML part with the right headers, and links that carry no session', async () => {
    expect(queuedAtStart).toEqual({ [NotificationKind.Tasks]: 3 });
    await deliver();
    const [mail] = sink.to('ann@corp.example');
    expect(mail).toBeDefined();
    const stored = await rowOf('ann@corp.example');
    expect(stored.status).toBe('sent');
    expect(stored.status_reason).toMatch(/^250/);
    const { parsed } = mail;
    expect(parsed.messageId).toBe(stored.message_id);
    expect(parsed.date).toBeInstanceOf(Date);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    // Mandatory reminders carry no unsubscribe link (RFC 2369 is for optional mail).
    expect(parsed.headers.has('list')).toBe(false);
    expect(parsed.from?.value).toEqual([
      { address: 'attest@example.com', name: 'Attest at Example' },
    ]);
    expect(parsed.replyTo?.text).toBe(REPLY_TO);
    expect(parsed.subject).toMatch(/^Reminder: \d+ security tasks overdue$/);
    expect(parsed.text).toContain('This is a reminder from Example Ltd');
    expect(parsed.text).toContain('Hello ANN,');
    expect(parsed.html).toContain('<p>Hello ANN,</p>');
    const links = [...(parsed.text ?? '').matchAll(/https?:\/\/\S+/g)].map(([url]) => new URL(url));
    expect(links.length).toBeGreaterThan(3);
    for (const link of links) {
      expect(link.pathname).toBe('/auth/saml/login');
      expect([...link.searchParams.keys()]).toEqual(['returnTo']);
      expect(link.searchParams.get('returnTo')).toMatch(/^\/(documents|training|me)/);
    }
  });

  it('fails the message a 550 refuses, with the reply, and does not hold up the others', async () => {
    const bob = await rowOf('bob@corp.example');
    expect(bob.status).toBe('failed');
    expect(bob.status_reason).toMatch(
      /refused by the mail server: 550 5\.1\.1 mailbox unavailable/,
    );
    expect(sink.to('bob@corp.example')).toHaveLength(0);
    const audited = await t.db.query<{ details: Record<string, unknown> }>(
      "select details from audit_event where action = 'notification.failed'",
    );
    expect(audited).toHaveLength(1);
    expect(audited[0].details).toMatchObject({ permanent: true, notificationId: bob.id });
    expect(JSON.stringify(audited)).not.toContain('bob@');
  });

  it('retries a 421 with backoff, and delivers once the server recovers', async () => {
    let cat = await rowOf('cat@corp.example');
    expect(cat.status).toBe('queued');
    expect(cat.attempts).toBe(1);
    expect(cat.status_reason).toMatch(/attempt 1 failed, will retry: 421/);
    // Not due yet: a drain now sends nothing.
    await deliver();
    expect((await rowOf('cat@corp.example')).attempts).toBe(1);
    await dueNow(cat.id);
    await deliver();
    cat = await rowOf('cat@corp.example');
    expect(cat).toMatchObject({ status: 'queued', attempts: 2 });
    await dueNow(cat.id);
    await deliver();
    cat = await rowOf('cat@corp.example');
    expect(cat).toMatchObject({ status: 'sent', attempts: 3 });
    expect(sink.to('cat@corp.example')).toHaveLength(1);
  });

  it('retries, never fails, messages the server will not take because Attest cannot log in', async () => {
    const wrong = new SmtpMailTransport(sink.url.replace('sink-p', 'wrong-p'), FROM, undefined);
    try {
      const outcome = await wrong.send({
        to: 'ann@corp.example',
        subject: 'x',
        text: 'x',
        html: '<p>x</p>',
        messageId: '<auth-test@attest.test>',
        date: new Date(),
        headers: {},
      });
      expect(outcome).toEqual({
        delivered: false,
        permanent: false,
        outage: true,
        response: expect.stringMatching(
          /refused Attest's login \(535\): check the user and password in SMTP_URL/,
        ),
      });
      expect(JSON.stringify(outcome)).not.toContain('wrong-p');
    } finally {
      wrong.close();
    }
  });

  it('offers List-Unsubscribe on the optional digests only, pointing at the reply address', async () => {
    const repository = t.app.get(NotificationRepository);
    const now = new Date();
    const id = randomUUID();
    await t.app
      .get(EntityManager)
      .fork()
      .transactional((tx) =>
        repository.queueIn(
          tx,
          [
            {
              row: {
                id,
                idempotency_key: `hr_digest:test:${id}`,
                kind: NotificationKind.HrDigest,
                recipient_person_id: null,
                recipient_email: 'digest-reader@corp.example',
                about_person_id: null,
                subject: 'Weekly onboarding digest',
                text_body: 'Digest',
                html_body: '<p>Digest</p>',
                next_attempt_at: now,
                message_id: `<${id}@attest.test>`,
                item_count: 0,
                created_at: now,
              },
              steps: [],
            },
          ],
          now,
        ),
      );
    await deliver();
    const [digest] = sink.to('digest-reader@corp.example');
    // mailparser files List-* headers under `list`.
    expect(digest.parsed.headers.get('list')).toEqual({
      unsubscribe: { mail: `${REPLY_TO}?subject=Unsubscribe%20from%20the%20Attest%20digest` },
    });
  });

  it('a second pass at the same time queues nothing new', async () => {
    const again = await t.app.get(NotificationScheduler).run(new Date(MONDAY));
    expect(again.queued).toEqual({});
    expect(again.alreadyQueued).toBe(0);
  });

  it('delivers each message exactly once across two workers, an aborted one and a crashed one', async () => {
    const repository = t.app.get(NotificationRepository);
    const em = t.app.get(EntityManager);
    const now = new Date();
    const count = 120;
    const rows = Array.from({ length: count }, (_, i) => {
      const id = randomUUID();
      return {
        row: {
          id,
          idempotency_key: `load-test:${id}`,
          kind: NotificationKind.ManualReminder,
          recipient_person_id: null,
          recipient_email: `load-${i}@corp.example`,
          about_person_id: null,
          subject: `Load ${i}`,
          text_body: `Message ${i}`,
          html_body: `<p>Message ${i}</p>`,
          next_attempt_at: now,
          message_id: `<${id}@attest.test>`,
          item_count: 0,
          created_at: now,
        },
        steps: [],
      };
    });
    await em.fork().transactional((tx) => repository.queueIn(tx, rows, now));
    const before = sink.received.length;

    // A worker that crashes right after claiming: its messages stay claimed, untouched.
    const crashedToken = randomUUID();
    const crashed = await repository.claim(new Date(), 10, 60_000, crashedToken);
    expect(crashed).toHaveLength(10);

    // A third worker is told to stop once the sink has its first messages; the other two go on.
    const stop = new AbortController();
    const watcher = setInterval(() => {
      if (sink.received.length - before >= 5) stop.abort();
    }, 1);
    const delivery = t.app.get(NotificationDelivery);
    const [first, second, stopped] = await Promise.all([
      delivery.drain(),
      delivery.drain(),
      delivery.drain(stop.signal),
    ]);
    clearInterval(watcher);
    expect(sink.received.length - before).toBe(count - 10);
    // All three took part; the stopped one finished its chunk and took no more.
    expect([first.sent, second.sent, stopped.sent].every((sent) => sent > 0)).toBe(true);
    expect(stopped.sent).toBeLessThanOrEqual(20);
    expect(first.sent + second.sent + stopped.sent).toBe(count - 10);

    // The crashed worker's claim lapses; the next run takes its messages over, and the crashed
    // worker can no longer record anything about them.
    await t.db.query(
      `update notification set claimed_until = now() - interval '1 second' where id = any($1::uuid[])`,
      [crashed.map((n) => n.id)],
    );
    expect(await delivery.drain()).toMatchObject({ sent: 10 });
    const late = await t.app
      .get(EntityManager)
      .fork()
      .transactional((tx) =>
        repository.settle(
          tx,
          crashed[0].id,
          crashedToken,
          { status: NotificationStatus.Failed, reason: 'late' },
          new Date(),
        ),
      );
    expect(late).toBe(false);

    const arrived = sink.received.slice(before).map((m) => m.parsed.messageId);
    expect(arrived).toHaveLength(count);
    expect(new Set(arrived).size).toBe(count);
    const statuses = await t.db.query<{ status: string; n: string }>(
      "select status, count(*) as n from notification where idempotency_key like 'load-test:%' group by status",
    );
    expect(statuses).toEqual([{ status: 'sent', n: String(count) }]);
  });
});
