/*
 * Notifications at scale: seeds BENCH_PEOPLE people (default 100,000) on the local PostgreSQL,
 * then times
 *  - one scheduler pass that decides and queues every due notice, reminder and escalation,
 *    beside a baseline: a bare SELECT of the same open, overdue set;
 *  - delivery of BENCH_MESSAGES queued messages (default 2,000) through the outbox worker to a
 *    local SMTP sink (smtp-server), beside a baseline: nodemailer sending the same messages to
 *    the same sink with no outbox.
 *
 *   npm run bench:notifications
 *   BENCH_PEOPLE=10000 npm run bench:notifications     # quicker
 *   BENCH_KEEP=1 / BENCH_REUSE=attest_bench_notify_…    # keep, or measure a kept database again
 *
 * A benchmark, not a test: it prints figures and asserts nothing about time.
 */
import { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { Client } from 'pg';
import { createApp } from '../src/app.bootstrap';
import { NotificationDelivery } from '../src/notifications/notification-delivery.service';
import { NotificationKind } from '../src/notifications/notification-kind';
import { NotificationScheduler } from '../src/notifications/notification-scheduler.service';
import { NotificationRepository } from '../src/notifications/notification.repository';
import { LogCapture } from '../test/helpers/log-capture';
import { SmtpSink } from '../test/helpers/smtp-sink';
import { openOrReuseBenchDatabase, seedBenchDatabase } from './bench-database';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2_000);
const KEEP = process.env.BENCH_KEEP === '1';
const REUSE = process.env.BENCH_REUSE;
/** The share of people left with overdue work. */
const OVERDUE_SHARE = Number(process.env.BENCH_OVERDUE_SHARE ?? 0.1);
// A Wednesday, 15:00 UTC: working hours in Europe and on the US east coast.
const AT = new Date(process.env.BENCH_AT ?? '2026-12-09T15:00:00Z');

const seconds = (since: number) => (performance.now() - since) / 1000;

async function main(): Promise<void> {
  const sink = await SmtpSink.start();
  const { config, database, url, drop, name } = await openOrReuseBenchDatabase(
    'attest_bench_notify',
    { SMTP_URL: sink.url, MAIL_FROM: 'Attest <attest@example.com>' },
    REUSE,
  );
  try {
    await seedBenchDatabase({ config, database }, PEOPLE, REUSE);
    const db = new Client({ connectionString: url });
    await db.connect();
    const today = AT.toISOString().slice(0, 10);
    // A kept database starts with an empty outbox, as a fresh one does.
    await db.query('truncate notification_step, notification');
    {
      // Idempotent, so a kept database (BENCH_REUSE) gets the same share. The synthetic organisation is far behind (most people have something overdue). For a
      // realistic share, everyone outside a random OVERDUE_SHARE of people catches up: their
      // overdue assignments are marked done. A bench shortcut on the projection only.
      const caughtUp = await db.query(
        `update requirement_assignment a set status = 'done', completed_at = $1::timestamptz
          where a.status not in ('done', 'waived') and a.due_date < $2::date
            and mod(hashtext(a.person_id::text)::bigint + 2147483648, 1000) >= $3`,
        [AT, today, Math.round(OVERDUE_SHARE * 1000)],
      );
      console.log(`  ${caughtUp.rowCount} overdue assignments of the other people marked done`);
    }
    await db.query('vacuum analyze');
    const [shares] = (
      await db.query(
        `select count(*)::int as people,
                count(*) filter (where exists (
                  select 1 from requirement_assignment a where a.person_id = p.id
                     and a.status not in ('done', 'waived') and a.due_date < $1::date))::int as overdue
           from person p where p.status in ('active', 'pre_start')`,
        [today],
      )
    ).rows as { people: number; overdue: number }[];

    const app = await createApp({ config, database, logDestination: new LogCapture() });
    await app.init();

    // Baseline: the open work the pass reads, selected bare.
    const selectStarted = performance.now();
    const bare = await db.query(
      `select a.person_id, a.requirement_id, a.cycle, a.due_date
         from requirement_assignment a join person p on p.id = a.person_id
        where a.status not in ('done', 'waived') and a.kind <> 'background_check'
          and a.due_date <= $1::date + 31
          and p.status in ('active', 'pre_start') and (p.end_date is null or p.end_date >= $1::date)`,
      [today],
    );
    const selectSeconds = seconds(selectStarted);

    const passStarted = performance.now();
    const pass = await app.get(NotificationScheduler).run(AT);
    const passSeconds = seconds(passStarted);
    const queued = Object.values(pass.queued).reduce((a, b) => a + b, 0);
    const again = performance.now();
    const second = await app.get(NotificationScheduler).run(AT);
    const againSeconds = seconds(again);

    // Delivery: set the pass's messages aside, then queue MESSAGES of the same size.
    await db.query(`update notification set status = 'suppressed' where status = 'queued'`);
    const [sample] = (
      await db.query(
        `select subject, text_body, html_body from notification where kind = 'tasks' limit 1`,
      )
    ).rows as { subject: string; text_body: string; html_body: string }[];
    const now = new Date();
    const rows = Array.from({ length: MESSAGES }, (_, i) => {
      const id = randomUUID();
      return {
        row: {
          id,
          idempotency_key: `bench:${id}`,
          kind: NotificationKind.Tasks,
          recipient_person_id: null,
          recipient_email: `bench-${i}@corp.example`,
          about_person_id: null,
          subject: sample.subject,
          text_body: sample.text_body,
          html_body: sample.html_body,
          next_attempt_at: now,
          message_id: `<${id}@attest.bench>`,
          item_count: 1,
          created_at: now,
        },
        steps: [],
      };
    });
    await app
      .get(EntityManager)
      .fork()
      .transactional((tx) => app.get(NotificationRepository).queueIn(tx, rows, now));
    const deliverStarted = performance.now();
    const delivered = await app.get(NotificationDelivery).drain();
    const deliverSeconds = seconds(deliverStarted);

    // Baseline: nodemailer alone, the same pool settings and messages, no outbox.
    const direct = createTransport({
      pool: true,
      maxConnections: 5,
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      auth: { user: sink.user, pass: sink.password },
    });
    const directStarted = performance.now();
    for (let i = 0; i < MESSAGES; i += 10) {
      await Promise.all(
        rows.slice(i, i + 10).map(({ row }) =>
          direct.sendMail({
            from: config.mail.from,
            to: row.recipient_email,
            subject: row.subject,
            text: row.text_body,
            html: row.html_body,
          }),
        ),
      );
    }
    const directSeconds = seconds(directStarted);
    direct.close();
    await app.close();
    await db.end();

    console.log(
      `\n${shares.people} people, ${shares.overdue} (${((100 * shares.overdue) / shares.people).toFixed(1)}%) with overdue work; as of ${AT.toISOString()}:`,
    );
    const line = (label: string, value: string) =>
      console.log(label.padEnd(64), value.padStart(14));
    line(
      `baseline: bare SELECT of the open set (${bare.rowCount} rows)`,
      `${selectSeconds.toFixed(2)} s`,
    );
    line(`scheduler pass: decide and queue (${queued} messages)`, `${passSeconds.toFixed(2)} s`);
    console.log(
      `  queued by kind: ${JSON.stringify(pass.queued)}; held: ${JSON.stringify(pass.held)}`,
    );
    line(
      `the same pass again (queues ${Object.values(second.queued).reduce((a, b) => a + b, 0)})`,
      `${againSeconds.toFixed(2)} s`,
    );
    line(
      `baseline: nodemailer alone to the sink (${MESSAGES} messages)`,
      `${(MESSAGES / directSeconds).toFixed(0)} msg/s`,
    );
    line(
      `outbox delivery to the sink (${delivered.sent} sent, audited)`,
      `${(delivered.sent / deliverSeconds).toFixed(0)} msg/s`,
    );
  } finally {
    await sink.close();
    if (KEEP || REUSE) console.log(`\nKept the database ${name}.`);
    else await drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 1000).unref();
  },
);
