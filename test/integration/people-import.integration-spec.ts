import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import { AuditEventRepository } from '../../src/audit/audit-event.repository';
import { AuditService } from '../../src/audit/audit.service';
import { Clock } from '../../src/common/clock';
import { createOrmOptions } from '../../src/database/mikro-orm.config';
import { migrate } from '../../src/database/migration.runner';
import { PeopleImportService } from '../../src/people/import/people-import.service';
import { PersonRepository } from '../../src/people/person.repository';
import { type CsvRow, peopleCsv, personRow } from '../factories/people-csv.factory';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

interface PersonRowInDb {
  id: string;
  email: string;
  employee_number: string | null;
  job_title: string | null;
  roles: string[];
}

describe(PeopleImportService.name, () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let sut: PeopleImportService;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(createOrmOptions(db.clientUrl, { embedded: db.embedded }));
    await migrate(orm);
    const clock = new Clock();
    sut = new PeopleImportService(
      new PersonRepository(orm.em),
      new AuditService(new AuditEventRepository(orm.em), clock),
      clock,
    );
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.close();
  });

  const people = () =>
    db.query<PersonRowInDb>(
      'select id, email, employee_number, job_title, roles from person order by employee_number',
    );
  const events = (action: string) =>
    db.query<{ subject_id: string; actor_id: string; details: Record<string, unknown> }>(
      'select subject_id, actor_id, details from audit_event where action = $1 order by seq',
      [action],
    );

  describe('a team of four, imported, corrected and re-imported', () => {
    const boss = personRow({ employee_number: 'T-1', email: 'boss@corp.example' });
    const team: CsvRow[] = [
      boss,
      personRow({ employee_number: 'T-2', manager_email: boss.email, country: 'DE', region: '' }),
      personRow({ employee_number: 'T-3', manager_email: boss.email, country: 'IN' }),
      personRow({ employee_number: 'T-4', employment_type: 'contractor', country: 'GB' }),
    ];

    it('writes nothing for a file with problems, and lists each with its line and column', async () => {
      const bad = [
        team[0],
        { ...team[1], country: 'XX' },
        { ...team[2], manager_email: 'nobody@corp.example' },
        { ...team[3], start_date: '2026-02-30', status: 'retired' },
      ];
      const outcome = await sut.import('cli', peopleCsv(bad));
      expect(outcome).toEqual({
        ok: false,
        errors: [
          { line: 3, column: 'country', message: expect.stringContaining('"XX"') },
          { line: 5, column: 'start_date', message: expect.stringContaining('2026-02-30') },
          { line: 5, column: 'status', message: expect.stringContaining('retired') },
        ],
      });
      // The unknown manager is a database question, asked once the file itself is right.
      const fixedFile = await sut.import(
        'cli',
        peopleCsv([team[0], team[1], { ...team[2], manager_email: 'nobody@corp.example' }]),
      );
      expect(fixedFile).toEqual({
        ok: false,
        errors: [
          {
            line: 4,
            column: 'manager_email',
            message: 'Nobody with the email "nobody@corp.example" is in this file or in Attest.',
          },
        ],
      });
      expect(await people()).toEqual([]);
      expect(await events('person.imported')).toEqual([]);
    });

    it('creates everyone from the corrected file, as employees, with one audit event each', async () => {
      expect(await sut.import('cli', peopleCsv(team))).toEqual({
        ok: true,
        created: 4,
        updated: 0,
        unchanged: 0,
      });
      const rows = await people();
      expect(rows.map((r) => [r.employee_number, r.email, r.roles])).toEqual(
        team.map((t) => [t.employee_number, t.email, ['employee']]),
      );
      const imported = await events('person.imported');
      expect(imported.map((e) => e.subject_id).sort()).toEqual(rows.map((r) => r.id).sort());
      expect(imported.every((e) => e.actor_id === 'cli')).toBe(true);
    });

    it('changes nothing when the same file comes again', async () => {
      const before = await people();
      expect(await sut.import('cli', peopleCsv(team))).toEqual({
        ok: true,
        created: 0,
        updated: 0,
        unchanged: 4,
      });
      expect(await people()).toEqual(before);
      expect(await events('person.updated')).toEqual([]);
    });

    it('updates a changed row and records the names of the changed fields, not their values', async () => {
      const promoted = { ...team[1], job_title: 'Staff Engineer', region: 'BE' };
      const outcome = await sut.import('cli', peopleCsv([team[0], promoted, team[2], team[3]]));
      expect(outcome).toEqual({ ok: true, created: 0, updated: 1, unchanged: 3 });
      const [row] = (await people()).filter((p) => p.employee_number === 'T-2');
      expect(row.job_title).toBe('Staff Engineer');
      const updated = await events('person.updated');
      expect(updated).toEqual([
        {
          subject_id: row.id,
          actor_id: 'cli',
          details: { source: 'import', changedFields: ['job_title', 'region'] },
        },
      ]);
      expect(JSON.stringify(updated)).not.toContain('Staff Engineer');
    });

    it('matches by email when the employee number is new, and keeps roles from sign-in', async () => {
      await db.query(
        `insert into person (id, email, full_name, roles, created_at, updated_at)
         values (gen_random_uuid(), 'sso.only@corp.example', 'Sso Only', '{employee,hr}', now(), now())`,
      );
      const row = personRow({ email: 'SSO.Only@corp.example', employee_number: 'T-9' });
      expect(await sut.import('cli', peopleCsv([row]))).toMatchObject({ ok: true, updated: 1 });
      const [person] = (await people()).filter((p) => p.employee_number === 'T-9');
      expect(person).toMatchObject({ email: 'sso.only@corp.example', roles: ['employee', 'hr'] });
    });

    it('refuses a row whose email belongs to someone with another employee number', async () => {
      const clash = { ...team[3], employee_number: 'T-5' };
      const outcome = await sut.import('cli', peopleCsv([clash]));
      expect(outcome).toEqual({
        ok: false,
        errors: [{ line: 2, column: 'employee_number', message: expect.stringContaining('T-4') }],
      });
    });
  });

  it('imports the example file in policies/', async () => {
    const file = readFileSync(join(__dirname, '..', '..', 'policies', 'people.example.csv'));
    expect(await sut.import('cli', file)).toEqual({
      ok: true,
      created: 8,
      updated: 0,
      unchanged: 0,
    });
  });
});
