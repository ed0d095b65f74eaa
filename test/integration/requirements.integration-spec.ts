import { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '../../src/access/role';
import { AuditEventRepository } from '../../src/audit/audit-event.repository';
import { AuditService } from '../../src/audit/audit.service';
import type { Clock } from '../../src/common/clock';
import { migrate } from '../../src/database/migration.runner';
import { createOrmOptions } from '../../src/database/mikro-orm.config';
import { EmploymentType, Person, PersonStatus } from '../../src/people/person.entity';
import { DocumentPublicationsReader } from '../../src/requirements/document-publications.reader';
import { RequirementAssignmentRepository } from '../../src/requirements/requirement-assignment.repository';
import { CompletionSource } from '../../src/requirements/requirement-completion.entity';
import { RequirementCompletionRepository } from '../../src/requirements/requirement-completion.repository';
import { RequirementInputsRepository } from '../../src/requirements/requirement-inputs.repository';
import { RequirementRules } from '../../src/requirements/requirement-rules';
import { RequirementWaiverRepository } from '../../src/requirements/requirement-waiver.repository';
import { DEFAULT_REQUIREMENTS_FILE } from '../../src/requirements/requirements-file.loader';
import {
  SelfWaiverRefused,
  WaiverCycleInvalid,
  WaiverReasonInvalid,
} from '../../src/requirements/requirements.errors';
import {
  type RequirementsActor,
  RequirementsService,
} from '../../src/requirements/requirements.service';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

const NOW = new Date('2026-06-15T12:00:00.000Z');
const fixedClock = { now: () => NOW } as Clock;

interface AssignmentRow {
  requirement_id: string;
  cycle: number;
  due_date: string;
  status: string;
  waived_by: string | null;
  waiver_reason: string | null;
}

describe(RequirementsService.name, () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let dir: string;
  let hr: Person;
  let asHr: RequirementsActor;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(createOrmOptions(db.clientUrl, { embedded: db.embedded }));
    await migrate(orm);
    dir = mkdtempSync(join(tmpdir(), 'attest-requirements-'));
    hr = await aPerson({ roles: [Role.Hr] });
    asHr = { personId: hr.id };
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A service reading `rulesFile`; each test builds its own so rule changes stay local. */
  function serviceWith(rulesFile = DEFAULT_REQUIREMENTS_FILE): RequirementsService {
    const rules = new RequirementRules(rulesFile);
    rules.onModuleInit();
    return new RequirementsService(
      rules,
      new RequirementInputsRepository(orm.em),
      new RequirementAssignmentRepository(orm.em),
      new RequirementCompletionRepository(orm.em),
      new RequirementWaiverRepository(orm.em),
      new DocumentPublicationsReader(orm.em),
      new AuditService(new AuditEventRepository(orm.em), fixedClock),
      fixedClock,
    );
  }

  function rulesFile(edit: (text: string) => string): string {
    const path = join(dir, `${randomUUID()}.yml`);
    writeFileSync(path, edit(readFileSync(DEFAULT_REQUIREMENTS_FILE, 'utf8')));
    return path;
  }

  async function aPerson(overrides: Partial<Person> = {}): Promise<Person> {
    const em = orm.em.fork();
    const id = randomUUID();
    const person = em.create(Person, {
      id,
      email: `${id}@example.test`,
      fullName: 'Test Person',
      employmentType: EmploymentType.Employee,
      country: 'US',
      startDate: '2026-06-01',
      status: PersonStatus.Active,
      roles: [Role.Employee],
      createdAt: NOW,
      updatedAt: NOW,
      ...overrides,
    });
    await em.persist(person).flush();
    return person;
  }

  async function update(person: Person, changes: Partial<Person>): Promise<void> {
    await orm.em.fork().nativeUpdate(Person, { id: person.id }, changes);
  }

  const assignmentsOf = (person: Person) =>
    db.query<AssignmentRow>(
      `select requirement_id, cycle, due_date::text as due_date, status, waived_by, waiver_reason
         from requirement_assignment where person_id = $1 order by requirement_id, cycle`,
      [person.id],
    );
  const brief = async (person: Person) =>
    (await assignmentsOf(person)).map((a) => `${a.requirement_id}#${a.cycle} ${a.status}`);
  const count = async (table: string, person: Person) =>
    Number(
      (
        await db.query<{ n: string }>(`select count(*) as n from ${table} where person_id = $1`, [
          person.id,
        ])
      )[0].n,
    );

  it('changes nothing when it derives the same facts twice', async () => {
    const sut = serviceWith();
    const people = [
      await aPerson(),
      await aPerson({ country: 'DE' }),
      await aPerson({ employmentType: EmploymentType.Contractor }),
      await aPerson({
        roles: [Role.Admin],
        startDate: '2026-09-01',
        status: PersonStatus.PreStart,
      }),
    ];
    await sut.recordCompletion(asHr, people[0].id, 'employee-nda', {
      source: CompletionSource.Test,
    });
    const ids = people.map((p) => p.id);

    const first = await sut.derive(ids);
    const before = await db.query('select * from requirement_assignment order by id');
    const second = await sut.derive(ids);

    expect(first.inserted + first.unchanged).toBeGreaterThan(20);
    expect(second).toEqual({
      inserted: 0,
      updated: 0,
      deleted: 0,
      unchanged: first.inserted + first.unchanged,
    });
    // Not even updated_at moved.
    expect(await db.query('select * from requirement_assignment order by id')).toEqual(before);
    // Everyone at once, in keyset-paged batches, likewise.
    await sut.derive();
    expect(await sut.derive()).toMatchObject({ inserted: 0, updated: 0, deleted: 0 });
  });

  it('keeps a completion through re-derivation and a renamed, retimed rule', async () => {
    const person = await aPerson();
    await serviceWith().recordCompletion(asHr, person.id, 'employee-nda', {
      source: CompletionSource.Signature,
      subjectVersion: '1.0',
      reference: 'signature-1',
      completedAt: new Date('2026-06-03T09:00:00.000Z'),
    });
    expect(await brief(person)).toContain('employee-nda#0 done');

    const renamed = serviceWith(
      rulesFile((text) =>
        text
          .replace('id: employee-nda', 'id: staff-nda')
          .replace(
            /(subject: nda\n.*\n)    due: \{ days_after_start: 7 \}/,
            '$1    due: { days_after_start: 14 }',
          ),
      ),
    );
    await renamed.derive([person.id]);
    await renamed.derive([person.id]);

    const rows = await assignmentsOf(person);
    expect(rows.find((a) => a.requirement_id === 'staff-nda')).toMatchObject({
      cycle: 0,
      status: 'done',
      due_date: '2026-06-15',
    });
    // The old rule's done row is history and stays.
    expect(rows.find((a) => a.requirement_id === 'employee-nda')?.status).toBe('done');
    expect(await count('requirement_completion', person)).toBe(1);
  });

  it('keeps a waiver through re-derivation, with who and why', async () => {
    const sut = serviceWith();
    const person = await aPerson({ startDate: '2026-05-01' });
    await sut.derive([person.id]);
    expect(await brief(person)).toContain('us-criminal-record#0 overdue');

    await sut.waive(
      asHr,
      person.id,
      'us-criminal-record',
      0,
      '  Screened by the previous employer of record; report in HR file.  ',
    );
    await sut.derive([person.id]);
    await sut.derive();

    const waived = (await assignmentsOf(person)).find(
      (a) => a.requirement_id === 'us-criminal-record',
    );
    expect(waived).toMatchObject({
      status: 'waived',
      waived_by: hr.id,
      waiver_reason: 'Screened by the previous employer of record; report in HR file.',
    });
    expect(await count('requirement_waiver', person)).toBe(1);
    const [event] = await db.query<{
      actor_id: string;
      subject_id: string;
      details: Record<string, unknown>;
    }>(
      "select actor_id, subject_id, details from audit_event where action = 'requirement.waived' and subject_id = $1",
      [person.id],
    );
    expect(event).toMatchObject({ actor_id: hr.id, subject_id: person.id });
    expect(Object.keys(event.details).sort()).toEqual(['cycle', 'requirementId', 'waiverId']);
  });

  it.each<[string, (sut: RequirementsService, person: Person) => Promise<unknown>, unknown]>([
    [
      'an empty reason',
      (sut, p) => sut.waive(asHr, p.id, 'employee-nda', 0, '   '),
      WaiverReasonInvalid,
    ],
    [
      'a reason over 1000 characters',
      (sut, p) => sut.waive(asHr, p.id, 'employee-nda', 0, 'x'.repeat(1001)),
      WaiverReasonInvalid,
    ],
    [
      'a waiver of one’s own requirement',
      (sut, p) => sut.waive({ personId: p.id }, p.id, 'employee-nda', 0, 'Because.'),
      SelfWaiverRefused,
    ],
    [
      'a cycle the person does not have',
      (sut, p) => sut.waive(asHr, p.id, 'employee-nda', 5, 'Because.'),
      WaiverCycleInvalid,
    ],
  ])('refuses %s', async (_case, act, error) => {
    const person = await aPerson();
    await expect(act(serviceWith(), person)).rejects.toBeInstanceOf(error);
    expect(await count('requirement_waiver', person)).toBe(0);
  });

  it('gives a person who moves from Germany to the US the US checks', async () => {
    const sut = serviceWith();
    const person = await aPerson({
      country: 'DE',
      startDate: '2026-07-01',
      status: PersonStatus.PreStart,
    });
    await sut.derive([person.id]);
    const checks = async () => (await brief(person)).filter((a) => /verification|criminal/.test(a));
    expect(await checks()).toEqual(['employment-verification#0 not_started']);

    await update(person, { country: 'US' });
    const counts = await sut.derive([person.id]);

    expect(await checks()).toEqual([
      'us-criminal-record#0 not_started',
      'us-employment-verification#0 not_started',
    ]);
    expect(counts).toMatchObject({ inserted: 2, deleted: 1, updated: 0 });
  });

  it('keeps a leaver’s open assignments as not required, what they completed, and starts their checklist', async () => {
    const sut = serviceWith();
    const person = await aPerson();
    await sut.recordCompletion(asHr, person.id, 'employee-nda', {
      source: CompletionSource.Signature,
    });
    await sut.recordCompletion(asHr, person.id, 'training-phishing', {
      source: CompletionSource.Training,
    });
    expect((await assignmentsOf(person)).length).toBeGreaterThan(5);

    await update(person, { status: PersonStatus.Terminated, endDate: '2026-06-14' });
    await sut.derive([person.id]);

    const after = await brief(person);
    expect(after).toContain('employee-nda#0 done');
    expect(after).toContain('training-phishing#0 done');
    expect(after).toContain('training-phishing#1 not_required');
    expect(after).toContain('leaver-return-of-assets#0 overdue');
    const joining = after.filter((a) => !a.startsWith('leaver-'));
    expect(joining.every((a) => / (done|not_required)$/.test(a))).toBe(true);
    expect(joining.length).toBeGreaterThan(5);
    expect(await count('requirement_completion', person)).toBe(2);
  });

  it.each([
    ['update', 'update requirement_completion set subject = $2 where person_id = $1', ['tampered']],
    ['delete', 'delete from requirement_completion where person_id = $1', []],
  ])('keeps completions append-only in the database itself: %s', async (_op, sql, params) => {
    const person = await aPerson();
    await serviceWith().recordCompletion(asHr, person.id, 'employee-nda', {
      source: CompletionSource.Test,
    });
    await expect(db.query(sql, [person.id, ...params])).rejects.toThrow(/append-only/);
    expect(await count('requirement_completion', person)).toBe(1);
  });

  it('refuses a blank waiver reason in the database too', async () => {
    const person = await aPerson();
    await expect(
      db.query(
        `insert into requirement_waiver (id, person_id, requirement_id, cycle, waived_at, waived_by_id, reason)
         values ($1, $2, 'employee-nda', 0, now(), $3, '  ')`,
        [randomUUID(), person.id, hr.id],
      ),
    ).rejects.toThrow(/requirement_waiver_reason_check/);
  });
});
