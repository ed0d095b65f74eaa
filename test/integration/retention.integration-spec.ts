import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { AuditEventRepository } from '../../src/audit/audit-event.repository';
import { runCli } from '../../src/cli/attest.cli';
import { withOrm } from '../../src/cli/cli-context';
import type { CliIo } from '../../src/cli/cli-io';
import { loadConfig } from '../../src/config/config.loader';
import { TEST_SECRETS } from '../helpers/test-app';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

/** The people of the test, each chosen among the seeded people for what they show. */
interface Cast {
  /** US, left 8 years ago: past every period. */
  oldUs: string;
  /** Left 9 years ago too, but under a legal hold: nothing of theirs is purged. */
  held: string;
  /** GB, left a year ago: their check's details go (6 months), the rest stays. */
  recentGb: string;
  /** US, still employed, checked 2 years ago: details kept (5 years in the US). */
  currentUs: string;
}

/**
 * `attest retention plan` and `attest retention apply` as an operator runs them, on a seeded
 * organisation whose people left long ago, on the PostgreSQL server of TEST_DATABASE_URL or
 * the embedded database in DATA_DIR (each command opens and closes it, as in production).
 */
describe('attest retention', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'attest-retention-'));
  let server: TestDatabase | undefined;
  let cast: Cast;
  /** Ids of what the setup made, by what it is. */
  const made: Record<string, string> = {};
  const config = () =>
    loadConfig({
      NODE_ENV: 'development',
      DEMO_DATA: 'false',
      DATA_DIR: dataDir,
      ...(server ? { DATABASE_URL: server.clientUrl } : {}),
      ...TEST_SECRETS,
    });
  const attest = async (...argv: string[]) => {
    const io = capture();
    return { code: await runCli(argv, config, io), ...io };
  };
  /** SQL as the database owner, between commands (no command holds the database then). */
  const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) =>
    withOrm(config(), (orm) => orm.em.fork().execute<T[]>(query, params));
  const count = async (query: string, params: unknown[] = []) =>
    Number((await sql<{ n: string }>(`select count(*)::text as n from (${query}) q`, params))[0].n);

  /** Every table retention touches, and the chain head: what `plan` must leave as it is. */
  const state = async () =>
    (
      await sql<Record<string, string>>(
        `select (select count(*) from session)::text as sessions,
              (select count(*) from notification where body_purged_at is null)::text as bodies,
              (select count(*) from export_job where status = 'done')::text as exports,
              (select count(*) from quiz_attempt)::text as attempts,
              (select count(*) from background_check where report_reference_ciphertext is not null)::text as details,
              (select count(*) from background_check)::text as checks,
              (select count(*) from signature)::text as signatures,
              (select count(*) from attestation)::text as attestations,
              (select count(*) from audit_event where purged_at is null)::text as events,
              (select hash from audit_chain_head) as head`,
      )
    )[0];
  /** Events about a person that a payload purge may clear (retention's own never). */
  const eventsAbout = (personId: string) =>
    count(
      `select 1 from audit_event where subject_type = 'person' and subject_id = ?
          and action not like 'retention.%'`,
      [personId],
    );

  beforeAll(async () => {
    const db = await createTestDatabase();
    if (db.embedded) await db.close();
    else server = db;
    const seeded = await attest('seed', '--people', '12', '--attestations', '12');
    if (seeded.code !== 0) throw new Error(seeded.stderr.join('\n'));
    await withOrm(config(), (orm) => arrange(orm));
  }, 300_000);

  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Gives the seeded people countries, end dates and records of every kind. */
  async function arrange(orm: MikroORM): Promise<void> {
    const em = orm.em.fork();
    const run = (query: string, params: unknown[] = []) => em.execute(query, params);
    const signers = await em.execute<{ person_id: string }[]>(
      `select person_id from signature group by person_id order by count(*) desc, person_id limit 2`,
    );
    const others = await em.execute<{ id: string }[]>(
      `select id from person where id not in (select person_id from signature) order by id limit 2`,
    );
    cast = {
      oldUs: signers[0].person_id,
      held: signers[1].person_id,
      recentGb: others[0].id,
      currentUs: others[1].id,
    };
    const person = (id: string, country: string, endDate: string | null) =>
      run(
        `update person set country = ?, end_date = ${endDate ?? 'null'},
                status = ${endDate ? "'terminated'" : "'active'"} where id = ?`,
        [country, id],
      );
    await person(cast.oldUs, 'US', "current_date - interval '8 years'");
    await person(cast.held, 'US', "current_date - interval '9 years'");
    await person(cast.recentGb, 'GB', "current_date - interval '1 year'");
    await person(cast.currentUs, 'US', null);

    // Sessions: ended a year ago (purged), and one still open (kept).
    const session = async (personId: string, ended: string | null, key: string) => {
      made[key] = randomUUID();
      await run(
        `insert into session (id, token_hash, person_id, created_at, last_seen_at, expires_at,
                              idp_entity_id, name_id, ip, user_agent, ended_at, ended_reason)
         values (?, ?, ?, now() - interval '400 days', now() - interval '400 days',
                 ${ended ? "now() - interval '399 days'" : "now() + interval '1 hour'"},
                 'https://idp.example', 'name', '192.0.2.9', 'Browser', ${ended ?? 'null'},
                 ${ended ? "'logout'" : 'null'})`,
        [made[key], randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, ''), personId],
      );
    };
    await session(cast.oldUs, "now() - interval '399 days'", 'oldSession');
    await session(cast.held, "now() - interval '399 days'", 'heldSession');
    await session(cast.currentUs, null, 'openSession');

    // Reminders: a year-old one (body cleared), one still queued, and one about the held person.
    const notification = async (personId: string, status: string, key: string) => {
      made[key] = randomUUID();
      await run(
        `insert into notification (id, idempotency_key, kind, recipient_person_id,
           recipient_email, about_person_id, subject, text_body, html_body, status, attempts,
           next_attempt_at, message_id, item_count, created_at, updated_at)
         values (?, ?, 'tasks', ?, 'someone@corp.example', ?, 'Reminder: 2 tasks',
                 'Hello, you have 2 tasks', '<p>Hello</p>', ?, 1, now(), ?, 2,
                 now() - interval '1 year', now() - interval '1 year')`,
        [made[key], `tasks:${made[key]}`, personId, personId, status, `<${made[key]}@x>`],
      );
    };
    await notification(cast.currentUs, 'sent', 'oldNotification');
    await notification(cast.currentUs, 'queued', 'queuedNotification');
    await notification(cast.held, 'sent', 'heldNotification');

    // An auditor's stored export, done 60 days ago (its ZIP goes; the record stays, expired).
    made.export = randomUUID();
    await run(
      `insert into export_job (id, status, delivery, filters, total, done_count, sha256, size,
                               requested_by, created_at, finished_at)
       values (?, 'done', 'stored', '{}', 1, 1, repeat('a', 64), 3, 'auditor',
               now() - interval '60 days', now() - interval '60 days')`,
      [made.export],
    );
    await run(`insert into export_file_chunk (export_job_id, seq, bytes) values (?, 0, 'zip')`, [
      made.export,
    ]);

    // Quiz attempts: failed two years ago (purged), and the pass a training signature cites.
    const version = (
      await em.execute<{ id: string }[]>(`select id from document_version order by id limit 1`)
    )[0].id;
    const attempt = async (personId: string, passed: boolean, key: string) => {
      made[key] = randomUUID();
      await run(
        `insert into quiz_attempt (id, person_id, document_version_id, answers, correct, total,
                                   score, pass_mark, passed, attempted_at, submission_id, session_id)
         values (?, ?, ?, '{"q1": 0}', ?, 1, ?, 80, ?, now() - interval '2 years', ?, ?)`,
        [
          made[key],
          personId,
          version,
          passed ? 1 : 0,
          passed ? 100 : 0,
          passed,
          randomUUID(),
          randomUUID(),
        ],
      );
    };
    await attempt(cast.currentUs, false, 'failedAttempt');
    await attempt(cast.held, false, 'heldAttempt');
    await attempt(cast.oldUs, true, 'passedAttempt');
    made.trainingSignature = randomUUID();
    await run(
      `insert into signature (id, kind, person_id, document_version_id, document_id, version,
         document_sha256, disclosure_version, disclosure_sha256, consented_at, intent_version,
         intent_text, intent_sha256, typed_name, ip, user_agent, session_id, idp_entity_id,
         name_id, authn_instant, mfa, viewed_at, signed_at, submission_id, quiz_attempt_id)
       select ?, 'training', person_id, document_version_id, document_id, version,
              document_sha256, disclosure_version, disclosure_sha256, consented_at,
              intent_version, intent_text, intent_sha256, typed_name, ip, user_agent, session_id,
              idp_entity_id, name_id, authn_instant, mfa, viewed_at, signed_at, ?, ?
         from signature where person_id = ? limit 1`,
      [made.trainingSignature, randomUUID(), made.passedAttempt, cast.oldUs],
    );

    // Background checks with encrypted details and a status history.
    const check = async (
      personId: string,
      jurisdiction: string,
      completed: string,
      key: string,
    ) => {
      made[key] = randomUUID();
      await run(
        `insert into background_check (id, person_id, type, jurisdiction, status, completed_at,
           adjudication_notes_ciphertext, report_reference_ciphertext, created_at, updated_at)
         values (?, ?, 'criminal_record', ?, 'clear', now() - interval '${completed}',
                 'v1.notes-ciphertext', 'v1.report-ciphertext', now() - interval '${completed}',
                 now() - interval '${completed}')`,
        [made[key], personId, jurisdiction],
      );
      await run(
        `insert into background_check_event (id, check_id, at, actor_id, from_status, to_status, source)
         values (?, ?, now() - interval '${completed}', 'hr', null, 'clear', 'hr')`,
        [randomUUID(), made[key]],
      );
    };
    await check(cast.oldUs, 'US-CA', '8 years', 'oldCheck');
    await check(cast.held, 'US', '9 years', 'heldCheck');
    await check(cast.recentGb, 'GB', '1 year', 'gbCheck');
    await check(cast.currentUs, 'US', '2 years', 'usCheck');

    // Audit events about each of them, with personal details and a client address.
    const audit = new AuditEventRepository(em);
    for (const [name, id] of Object.entries(cast)) {
      for (const action of ['person.updated', 'person.requirements_viewed']) {
        await audit.append(
          {
            action,
            actorId: 'system',
            subjectType: 'person',
            subjectId: id,
            details: { changed: ['department'], note: `secret about ${name}` },
            ip: '198.51.100.7',
            userAgent: 'Browser/1',
          },
          new Date(),
        );
      }
    }
    await run(
      `insert into legal_hold (id, person_id, reason, placed_by, placed_at)
       values (?, ?, 'Employment tribunal claim 2203/2033', ?, now())`,
      [randomUUID(), cast.held, cast.currentUs],
    );
  }

  it('plans what has run out, by kind and rule, with what holds keep, and changes nothing', async () => {
    const before = await state();
    const plan = await attest('retention', 'plan');
    expect(plan.code).toBe(0);
    expect(plan.stdout[0]).toMatch(/^Retention plan as of .*: nothing has been changed\.$/);
    const line = (kind: string, rule: string) =>
      plan.stdout.find((l) => l.startsWith(kind) && l.includes(rule));
    const counts = (kind: string, rule: string) =>
      line(kind, rule)
        ?.trim()
        .split(/\s{2,}/)
        .slice(-2)
        .map(Number);
    expect(counts('Sessions', '90 days after expiry')).toEqual([1, 1]);
    expect(counts('Notification bodies', '90 days after creation')).toEqual([1, 1]);
    expect(counts('Export ZIPs', '30 days after creation')).toEqual([1, 0]);
    expect(counts('Training attempts', '1 year after creation')).toEqual([1, 1]);
    expect(counts('Background-check details', '5 years after completion, US')).toEqual([1, 1]);
    expect(counts('Background-check details', '6 months after completion, GB')).toEqual([1, 0]);
    expect(counts('Background-check status', '7 years after end date')).toEqual([1, 1]);
    const signatures = counts('Signatures and attestation PDFs', '7 years after end date');
    expect(signatures?.[0]).toBeGreaterThanOrEqual(2);
    expect(signatures?.[1]).toBeGreaterThanOrEqual(1);
    expect(counts('Audit event payloads', '7 years after end date')).toEqual([
      await eventsAbout(cast.oldUs),
      await eventsAbout(cast.held),
    ]);
    expect(await state()).toEqual(before);
  }, 120_000);

  it('purges in audited batches, keeping what evidence needs and what holds keep', async () => {
    const signaturesBefore = await count('select 1 from signature where person_id = ?', [
      cast.oldUs,
    ]);
    const apply = await attest('retention', 'apply', '--batch-size', '1');
    expect(apply.code).toBe(0);
    expect(apply.stdout.at(-1)).toMatch(/record\(s\) purged; \d+ held back by legal holds\./);
    expect(
      apply.stderr.some((l) => /Signatures and attestation PDFs .*: 2 purged so far/.test(l)),
    ).toBe(true);

    // Sessions: the ended one is gone; the held person's and the open one stay.
    const sessions = await sql<{ id: string }>('select id::text from session');
    expect(sessions.map((s) => s.id).sort()).toEqual([made.heldSession, made.openSession].sort());
    // Notification bodies: cleared, the row kept; a queued one and the held person's untouched.
    const [old] = await sql<Record<string, unknown>>(
      'select text_body, html_body, subject, status, body_purged_at from notification where id = ?',
      [made.oldNotification],
    );
    expect(old).toMatchObject({
      text_body: '',
      html_body: '',
      subject: 'Reminder: 2 tasks',
      status: 'sent',
    });
    expect(old.body_purged_at).not.toBeNull();
    expect(
      await count("select 1 from notification where body_purged_at is null and text_body <> ''"),
    ).toBe(2);
    // The export: its ZIP gone, the job kept as expired with its digest.
    expect(await sql('select status, sha256 from export_job where id = ?', [made.export])).toEqual([
      { status: 'expired', sha256: 'a'.repeat(64) },
    ]);
    expect(
      await count('select 1 from export_file_chunk where export_job_id = ?', [made.export]),
    ).toBe(0);
    // Training attempts: the failed one gone; the held person's and the cited pass stay until
    // the pass goes with its signature.
    expect(await count('select 1 from quiz_attempt where id = ?', [made.failedAttempt])).toBe(0);
    expect(await count('select 1 from quiz_attempt where id = ?', [made.heldAttempt])).toBe(1);
    expect(await count('select 1 from quiz_attempt where id = ?', [made.passedAttempt])).toBe(0);
    // Background checks: details gone where their period ran out, the status row staying; the
    // old US check went whole after 7 years, its status history with it.
    const checks = await sql<{ id: string; notes: string | null; purged: boolean }>(
      `select id::text, adjudication_notes_ciphertext as notes, details_purged_at is not null as purged
         from background_check order by id`,
    );
    const check = (id: string) => checks.find((c) => c.id === id);
    expect(check(made.oldCheck)).toBeUndefined();
    expect(
      await count('select 1 from background_check_event where check_id = ?', [made.oldCheck]),
    ).toBe(0);
    expect(check(made.gbCheck)).toEqual({ id: made.gbCheck, notes: null, purged: true });
    expect(check(made.usCheck)).toEqual({
      id: made.usCheck,
      notes: 'v1.notes-ciphertext',
      purged: false,
    });
    expect(check(made.heldCheck)).toMatchObject({ notes: 'v1.notes-ciphertext' });
    expect(
      await count('select 1 from background_check_event where check_id = ?', [made.gbCheck]),
    ).toBe(1);
    // Signatures: every one of the old US person's, their sealed PDFs and the completions that
    // cite them; none of the held person's.
    expect(signaturesBefore).toBeGreaterThanOrEqual(2);
    expect(await count('select 1 from signature where person_id = ?', [cast.oldUs])).toBe(0);
    expect(await count('select 1 from attestation where person_id = ?', [cast.oldUs])).toBe(0);
    expect(
      await count(
        `select 1 from requirement_completion where person_id = ? and source in ('signature', 'training')`,
        [cast.oldUs],
      ),
    ).toBe(0);
    expect(await count('select 1 from signature where person_id = ?', [cast.held])).toBeGreaterThan(
      0,
    );
    expect(
      await count('select 1 from attestation where person_id = ?', [cast.held]),
    ).toBeGreaterThan(0);
    // Audit payloads: the old US person's cleared, hash and link kept; the held person's whole.
    const events = await sql<{
      subject_id: string;
      details: Record<string, unknown>;
      ip: string | null;
      purged: boolean;
    }>(
      `select subject_id, details, ip, purged_at is not null as purged from audit_event
        where subject_type = 'person' and action like 'person.%' and subject_id in (?, ?)`,
      [cast.oldUs, cast.held],
    );
    expect(events.filter((e) => e.subject_id === cast.oldUs)).toEqual([
      { subject_id: cast.oldUs, details: {}, ip: null, purged: true },
      { subject_id: cast.oldUs, details: {}, ip: null, purged: true },
    ]);
    expect(events.filter((e) => e.subject_id === cast.held).every((e) => !e.purged && e.ip)).toBe(
      true,
    );
  }, 120_000);

  it('records each batch as retention.purged with its kind, count and rule, never the content', async () => {
    const purges = await sql<{ details: Record<string, unknown>; subject_id: string | null }>(
      `select details, subject_id from audit_event where action = 'retention.purged' order by seq`,
    );
    // --batch-size 1: one event per record.
    const kinds = purges.map((p) => p.details.kind);
    expect(kinds.filter((k) => k === 'sessions')).toHaveLength(1);
    const about = await eventsAbout(cast.oldUs);
    expect(about).toBeGreaterThanOrEqual(2);
    expect(kinds.filter((k) => k === 'audit_events')).toHaveLength(about);
    const gb = purges.find((p) => String(p.details.rule).endsWith('GB'));
    expect(gb?.details).toEqual({
      kind: 'background_check_details',
      count: 1,
      rule: '6 months after completion, GB',
      trigger: 'cli',
    });
    const text = JSON.stringify(purges);
    for (const secret of ['secret about', 'ciphertext', 'Hello', '198.51.100.7', cast.oldUs]) {
      expect(text).not.toContain(secret);
    }
    expect(purges.every((p) => p.subject_id === null)).toBe(true);
  });

  it('finds nothing more to purge on a second run, and reports what holds keep', async () => {
    const before = await state();
    const again = await attest('retention', 'apply');
    expect(again.code).toBe(0);
    expect(again.stdout.at(-1)).toMatch(
      /^0 record\(s\) purged; [1-9]\d* held back by legal holds\./,
    );
    const { head, ...rest } = await state();
    const { head: headBefore, ...restBefore } = before;
    expect(rest).toEqual(restBefore);
    expect(head).toBe(headBefore);
    const plan = await attest('retention', 'plan');
    expect(plan.stdout.at(-1)).toMatch(/^0 record\(s\) would be purged; [1-9]\d* held back/);
  }, 120_000);

  it('stops, changing nothing, while another run holds the retention lock', async () => {
    // The embedded database serves one connection: nobody else can hold the lock there.
    if (!server) return;
    const other = new Client({ connectionString: server!.clientUrl });
    await other.connect();
    try {
      await other.query('select pg_advisory_lock($1)', [0x52544e54]);
      const busy = await attest('retention', 'apply');
      expect(busy.code).toBe(1);
      expect(busy.stderr).toEqual([
        'Another retention run is purging right now. Try again when it has finished.',
      ]);
    } finally {
      await other.end();
    }
  });

  it('still verifies the audit chain, naming the purged payloads', async () => {
    const verify = await attest('audit', 'verify');
    expect(verify.stderr).toEqual([]);
    expect(verify.code).toBe(0);
    expect(verify.stdout[0]).toMatch(/^Audit chain intact: \d+ events/);
    expect(verify.stdout[1]).toBe(
      `${await eventsAbout(cast.oldUs)} event(s)' payloads purged under retention (links verified, content not re-hashable; their kept fields match the retention.purged events that cleared them).`,
    );
  }, 60_000);

  it.each([
    'delete from signature where person_id = $1',
    'delete from attestation where person_id = $1',
    'delete from quiz_attempt where person_id = $1',
    "update audit_event set details = '{}' where subject_id = $1",
    'delete from audit_event where subject_id = $1',
    'delete from background_check_event where check_id in (select id from background_check where person_id = $1)',
  ])('still refuses %s outside a retention purge', async (query) => {
    await expect(sql(query.replace('$1', '?'), [cast.held])).rejects.toThrow(/is append-only/);
  });

  it('refuses, even inside a purge, to change what a purge keeps of an audit event', async () => {
    const attempt = withOrm(config(), (orm) =>
      orm.em.fork().transactional(async (tx) => {
        await tx.execute("select set_config('attest.retention_purge', 'on', true)");
        await tx.execute(
          `update audit_event set details = '{}', ip = null, user_agent = null, purged_at = now(),
                  action = 'auth.login' where subject_id = ?`,
          [cast.held],
        );
      }),
    );
    await expect(attempt).rejects.toThrow(/is append-only/);
  });

  it('fails verification when a payload is cleared by hand, outside a recorded purge', async () => {
    // A forger who knows the setting clears an event's payload, as a purge would, but appends
    // no purge event: the verifier finds the event no purge accounts for.
    const [{ seq }] = await sql<{ seq: string }>(
      `select seq::text from audit_event where subject_id = ? order by seq limit 1`,
      [cast.currentUs],
    );
    await withOrm(config(), (orm) =>
      orm.em.fork().transactional(async (tx) => {
        await tx.execute("select set_config('attest.retention_purge', 'on', true)");
        await tx.execute(
          `update audit_event set details = '{}', ip = null, user_agent = null, purged_at = now()
            where seq = ?`,
          [seq],
        );
      }),
    );
    const verify = await attest('audit', 'verify');
    expect(verify.code).toBe(1);
    expect(verify.stderr[0]).toBe(
      `Audit chain broken: event seq ${seq} was edited: its payload was cleared, but no retention purge accounts for it.`,
    );
  }, 60_000);
});
