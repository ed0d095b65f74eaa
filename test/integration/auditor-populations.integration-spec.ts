import { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../src/access/principal';
import { Role } from '../../src/access/role';
import { AuditEventRepository } from '../../src/audit/audit-event.repository';
import { AuditService } from '../../src/audit/audit.service';
import { AuditSampleRepository } from '../../src/auditors/audit-sample.repository';
import { SampleTooLarge } from '../../src/auditors/auditors.errors';
import { inPopulation, Population, POPULATIONS } from '../../src/auditors/population';
import {
  type PopulationCursor,
  PopulationRepository,
} from '../../src/auditors/population.repository';
import { SamplesService } from '../../src/auditors/samples.service';
import { drawSample, populationDigest } from '../../src/auditors/seeded-sample';
import type { Clock } from '../../src/common/clock';
import { migrate } from '../../src/database/migration.runner';
import { createOrmOptions } from '../../src/database/mikro-orm.config';
import { aPersonRow, insertPeople, type PersonRow } from '../factories/auditor-people.factory';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

const PERIOD = { from: '2026-01-01', to: '2026-03-31' };
const clock = { now: () => new Date('2026-06-15T12:00:00.000Z') } as Clock;

/** The documented order: employee number byte by byte, people without one last, then id. */
function stableOrder(a: PersonRow, b: PersonRow): number {
  if (a.employeeNumber !== b.employeeNumber) {
    if (a.employeeNumber === null) return 1;
    if (b.employeeNumber === null) return -1;
    const bytes = Buffer.compare(Buffer.from(a.employeeNumber), Buffer.from(b.employeeNumber));
    if (bytes !== 0) return bytes;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

describe(PopulationRepository.name, () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let sut: PopulationRepository;
  let people: PersonRow[];
  let asAuditor: Principal;

  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await MikroORM.init(createOrmOptions(db.clientUrl, { embedded: db.embedded }));
    await migrate(orm);
    sut = new PopulationRepository(orm.em);
    const at = (startDate: string | null, endDate: string | null = null) => ({
      startDate,
      endDate,
    });
    people = [
      // Every boundary of the period, for each population.
      aPersonRow(at('2025-12-31')),
      aPersonRow(at('2026-01-01')),
      aPersonRow(at('2026-03-31')),
      aPersonRow(at('2026-04-01')),
      aPersonRow(at(null)),
      aPersonRow(at(null, '2025-12-31')),
      aPersonRow(at('2020-05-01', '2025-12-31')),
      aPersonRow(at('2020-05-01', '2026-01-01')),
      aPersonRow(at('2020-05-01', '2026-03-31')),
      aPersonRow({ ...at('2020-05-01', '2026-04-01'), status: 'active' }),
      aPersonRow(at('2026-02-01', '2026-02-15')),
      aPersonRow({ ...at('2020-05-01'), status: 'terminated' }),
      // Orders a locale collation would sort differently from byte order, and no number.
      aPersonRow({ ...at('2026-02-02'), employeeNumber: 'a-100' }),
      aPersonRow({ ...at('2026-02-02'), employeeNumber: 'B-100' }),
      aPersonRow({ ...at('2026-02-02'), employeeNumber: 'E10' }),
      aPersonRow({ ...at('2026-02-02'), employeeNumber: 'E9' }),
      aPersonRow({ ...at('2026-02-02'), employeeNumber: null }),
      aPersonRow({ ...at('2026-02-03'), employeeNumber: null }),
      ...Array.from({ length: 40 }, (_, i) =>
        aPersonRow({
          ...at(`2026-0${1 + (i % 5)}-1${i % 9}`),
          employeeNumber: i % 4 ? `N${i}` : null,
        }),
      ),
    ];
    await insertPeople((sql, params) => db.query(sql, params), people);
    const [auditor] = await db.query<{ id: string }>(
      `insert into person (id, email, full_name, roles, start_date, created_at, updated_at)
       values ($1, 'aude@corp.example', 'Aude', '{auditor}', '2031-01-01', now(), now()) returning id`,
      [randomUUID()],
    );
    asAuditor = {
      personId: auditor.id,
      sessionId: randomUUID(),
      roles: [Role.Auditor],
      permissions: new Set(),
      totpVerified: false,
      csrfToken: 'x',
    };
  });

  afterAll(async () => {
    await orm?.close(true);
    await db?.close();
  });

  const expected = (population: Population) =>
    people
      .filter((p) => inPopulation(population, PERIOD, p))
      .sort(stableOrder)
      .map((p) => p.id);

  it.each(POPULATIONS)(
    'selects %s as the documented rule does, in the stable order',
    async (population) => {
      const ids = await sut.ids(population, PERIOD);
      expect(ids).toEqual(expected(population));
      expect(ids.length).toBeGreaterThanOrEqual(3);
      expect(await sut.count(population, PERIOD)).toBe(ids.length);
    },
  );

  it.each(POPULATIONS)(
    'pages through %s by keyset without losing or repeating anyone',
    async (population) => {
      const seen: string[] = [];
      let after: PopulationCursor | undefined;
      for (;;) {
        const page = await sut.page(population, PERIOD, after, 3);
        seen.push(...page.map((r) => r.id));
        if (page.length < 3) break;
        const last = page[page.length - 1];
        after = { employeeNumber: last.employeeNumber, id: last.id };
      }
      expect(seen).toEqual(expected(population));
    },
  );

  it('reads the HR fields auditors see, dates as calendar days', async () => {
    const person = people[8];
    expect(await sut.byIds([person.id])).toEqual([
      {
        id: person.id,
        employeeNumber: person.employeeNumber,
        fullName: person.fullName,
        email: person.email,
        department: person.department,
        country: person.country,
        employmentType: 'employee',
        startDate: '2020-05-01',
        endDate: '2026-03-31',
        status: 'terminated',
        accessEndedAt: null,
        deprovisionedAt: null,
      },
    ]);
  });

  describe(SamplesService.name, () => {
    let samples: SamplesService;

    beforeAll(() => {
      samples = new SamplesService(
        new AuditSampleRepository(orm.em),
        sut,
        new AuditService(new AuditEventRepository(orm.em), clock),
        clock,
      );
    });

    const draw = (seed?: string, size = 5) =>
      samples.draw(asAuditor, { population: Population.Active, period: PERIOD, size, seed });
    const sampleRow = (id: string) =>
      db.query<{
        person_ids: string[];
        population_sha256: string;
        seed: string;
        requested_by_id: string;
      }>(
        'select person_ids, population_sha256, seed, requested_by_id from audit_sample where id = $1',
        [id],
      );

    it('draws the same people again with the same seed, and records each draw', async () => {
      const first = (await sampleRow(await draw('audit-2026')))[0];
      const second = (await sampleRow(await draw('audit-2026')))[0];
      const other = (await sampleRow(await draw('another-seed')))[0];
      const population = expected(Population.Active);
      expect(first.person_ids).toEqual(drawSample(population, 5, 'audit-2026'));
      expect(second.person_ids).toEqual(first.person_ids);
      expect(other.person_ids).not.toEqual(first.person_ids);
      expect(first.population_sha256).toBe(populationDigest(population));
      expect(first.requested_by_id).toBe(asAuditor.personId);
      const events = await db.query<{ actor_id: string; details: Record<string, unknown> }>(
        "select actor_id, details from audit_event where action = 'sample.drawn' order by seq",
      );
      expect(events).toHaveLength(3);
      expect(events[0]).toMatchObject({
        actor_id: asAuditor.personId,
        details: { population: 'active', size: 5, seedGiven: true },
      });
    });

    it('makes up and records a seed when none is given', async () => {
      const row = (await sampleRow(await draw()))[0];
      expect(row.seed).toMatch(/^[0-9a-f]{32}$/);
      expect(row.person_ids).toEqual(drawSample(expected(Population.Active), 5, row.seed));
    });

    it('refuses more people than the population has, recording nothing', async () => {
      const before = await db.query('select id from audit_sample');
      const size = expected(Population.Active).length + 1;
      await expect(draw('x', size)).rejects.toThrow(SampleTooLarge);
      expect(await db.query('select id from audit_sample')).toHaveLength(before.length);
    });

    it.each([
      ['update', "update audit_sample set seed = 'forged'"],
      ['delete', 'delete from audit_sample'],
      ['truncate', 'truncate audit_sample'],
    ])('lets the database refuse to %s a sample', async (_op, sql) => {
      await expect(db.query(sql)).rejects.toThrow(/append-only/);
    });
  });

  // Last: it changes the column's collation. PGlite has no ICU collations; Postgres runs this.
  it('keeps byte order on a server whose default collation sorts by language', async () => {
    const [icu] = await db.query<{ n: string }>(
      "select count(*)::text as n from pg_collation where collname = 'en-x-icu'",
    );
    if (icu.n === '0') return;
    await db.query(
      'alter table person alter column employee_number type varchar(64) collate "en-x-icu"',
    );
    const [localeOrder] = await db.query<{ first: string }>(
      "select min(employee_number) as first from person where employee_number in ('a-100', 'B-100')",
    );
    expect(localeOrder.first).toBe('a-100');
    expect(await sut.ids(Population.NewHires, PERIOD)).toEqual(expected(Population.NewHires));
  });
});
