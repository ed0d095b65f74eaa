import { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../src/access/principal';
import { Role } from '../../src/access/role';
import { AuditEventRepository } from '../../src/audit/audit-event.repository';
import { AuditService } from '../../src/audit/audit.service';
import { ControlEvidenceRepository } from '../../src/auditors/control-evidence.repository';
import { ControlMap } from '../../src/auditors/control-map';
import { DEFAULT_CONTROLS_FILE } from '../../src/auditors/controls-file.loader';
import { ControlsService } from '../../src/auditors/controls.service';
import type { CsvRows } from '../../src/common/csv/stream-csv';
import type { Clock } from '../../src/common/clock';
import { migrate } from '../../src/database/migration.runner';
import { createOrmOptions } from '../../src/database/mikro-orm.config';
import { aPersonRow, insertPeople, type PersonRow } from '../factories/auditor-people.factory';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

const clock = { now: () => new Date('2026-06-15T12:00:00.000Z') } as Clock;

describe(ControlsService.name, () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let sut: ControlsService;
  let ann: PersonRow;
  let bob: PersonRow;
  let actor: Principal;

  const assignment = (
    person: PersonRow,
    subject: string,
    status: string,
    dueDate: string,
    kind = 'document',
  ) =>
    db.query(
      `insert into requirement_assignment (id, person_id, requirement_id, kind, subject, cycle, due_date, status, updated_at)
       values ($1, $2, $3, $4, $5, 0, $6, $7, now())`,
      [randomUUID(), person.id, `rule-${subject}`, kind, subject, dueDate, status],
    );
  const completion = (
    person: PersonRow,
    subject: string,
    completedAt: string,
    source: string,
    reference: string,
    kind = 'document',
  ) =>
    db.query(
      `insert into requirement_completion (id, person_id, requirement_id, kind, subject, subject_version, completed_at, source, reference, recorded_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())`,
      [
        randomUUID(),
        person.id,
        `rule-${subject}`,
        kind,
        subject,
        kind === 'document' ? '1.0' : null,
        completedAt,
        source,
        reference,
      ],
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(createOrmOptions(db.clientUrl, { embedded: db.embedded }));
    await migrate(orm);
    const map = new ControlMap(DEFAULT_CONTROLS_FILE);
    map.onModuleInit();
    sut = new ControlsService(
      map,
      new ControlEvidenceRepository(orm.em),
      new AuditService(new AuditEventRepository(orm.em), clock),
      clock,
    );
    ann = aPersonRow({ employeeNumber: 'E1', fullName: 'Ann Example' });
    bob = aPersonRow({ employeeNumber: 'E2', fullName: 'Bob Example' });
    await insertPeople((sql, params) => db.query(sql, params), [ann, bob]);
    actor = {
      personId: ann.id,
      sessionId: randomUUID(),
      roles: [Role.Auditor],
      permissions: new Set(),
      totpVerified: false,
      csrfToken: 'x',
    };
    await assignment(ann, 'nda', 'done', '2026-01-10');
    await assignment(bob, 'nda', 'waived', '2026-01-10');
    // Stored as not started, but its due date has passed: it reads as overdue today.
    await assignment(ann, 'confidentiality-agreement', 'not_started', '2026-06-14');
    await assignment(bob, 'confidentiality-agreement', 'in_progress', '2026-06-15');
    // Not mapped to A.6.6: never counted there.
    await assignment(ann, 'training-phishing', 'overdue', '2026-02-01', 'training');
    await completion(ann, 'nda', '2026-01-01T00:00:00.000Z', 'signature', 'sig-1');
    await completion(bob, 'nda', '2026-03-31T23:59:59.999Z', 'import', 'hr-file-7');
    await completion(
      bob,
      'confidentiality-agreement',
      '2026-04-01T00:00:00.000Z',
      'signature',
      'sig-2',
    );
    await completion(
      ann,
      'criminal_record',
      '2026-02-01T10:00:00.000Z',
      'background_check',
      'VENDOR-REPORT-991',
      'background_check',
    );
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.close();
  });

  const control = async (id: string, period?: { from: string; to: string }) =>
    (await sut.overview(period)).controls.find((c) => c.id === id)!;

  async function csv(id: string, period?: { from: string; to: string }): Promise<CsvRows> {
    const rows: (readonly unknown[])[] = [];
    for await (const page of await sut.exportCsv(actor, id, period)) rows.push(...page);
    return rows;
  }

  it('counts assignments by standing today and completions by source, per mapped subject', async () => {
    const a66 = await control('iso27001-a.6.6');
    expect(a66.selectors).toEqual([
      {
        kind: 'document',
        subject: 'nda',
        done: 1,
        open: 0,
        overdue: 0,
        waived: 1,
        not_required: 0,
        completions: 2,
      },
      {
        kind: 'document',
        subject: 'confidentiality-agreement',
        done: 0,
        open: 1,
        overdue: 1,
        waived: 0,
        not_required: 0,
        completions: 1,
      },
    ]);
    expect(a66.total).toEqual({
      done: 1,
      open: 1,
      overdue: 1,
      waived: 1,
      not_required: 0,
      completions: 3,
    });
    expect(a66.completionsBySource).toEqual([
      { source: 'import', count: 1 },
      { source: 'signature', count: 2 },
    ]);
  });

  it('counts within a period: assignments due in it, completions recorded in it, both ends included', async () => {
    const a66 = await control('iso27001-a.6.6', { from: '2026-01-01', to: '2026-03-31' });
    expect(a66.total).toEqual({
      done: 1,
      open: 0,
      overdue: 0,
      waived: 1,
      not_required: 0,
      completions: 2,
    });
  });

  it('lists the evidence records of a control, oldest first, within the period', async () => {
    expect(await csv('iso27001-a.6.6', { from: '2026-01-01', to: '2026-03-31' })).toEqual([
      [
        ann.id,
        'E1',
        'Ann Example',
        ann.email,
        'rule-nda',
        'document',
        'nda',
        '1.0',
        '2026-01-01T00:00:00.000000Z',
        'signature',
        'sig-1',
      ],
      [
        bob.id,
        'E2',
        'Bob Example',
        bob.email,
        'rule-nda',
        'document',
        'nda',
        '1.0',
        '2026-03-31T23:59:59.999000Z',
        'import',
        'hr-file-7',
      ],
    ]);
    expect(await csv('iso27001-a.6.6')).toHaveLength(3);
  });

  it("never shows a background check's reference, which may be the vendor's report number", async () => {
    const rows = await csv('iso27001-a.6.1');
    expect(rows).toHaveLength(1);
    expect(rows[0][10]).toBeNull();
    expect(JSON.stringify(rows)).not.toContain('VENDOR-REPORT');
  });

  it('records the export and gives the selectors for export filtering', async () => {
    const events = await db.query<{ actor_id: string; details: Record<string, unknown> }>(
      "select actor_id, details from audit_event where action = 'control.evidence_exported' order by seq",
    );
    expect(events[0]).toEqual({
      actor_id: ann.id,
      details: { control: 'iso27001-a.6.6', from: '2026-01-01', to: '2026-03-31' },
    });
    expect(sut.subjectsFor('iso27001-a.6.6')).toEqual([
      { kind: 'document', subject: 'nda' },
      { kind: 'document', subject: 'confidentiality-agreement' },
    ]);
    expect(() => sut.subjectsFor('soc2-cc9.9')).toThrow('There is no such control');
  });
});
