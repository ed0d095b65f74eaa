import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DocumentSyncService } from '../documents/document-sync.service';
import { RequirementsService } from '../requirements/requirements.service';
import { AttestationSeeder } from './attestation-seeder';
import { SEEDED_DONE_PREDICATE } from './seeded-completions';
import { type SyntheticPerson, syntheticOrganisation } from './synthetic-org';

const BATCH = 5000;

export interface SeedResult {
  people: number;
  assignments: number;
  /** Every completion recorded, signed attestations included. */
  completions: number;
  /** Signatures and training passes with their sealed PDFs. */
  attestations: number;
}

export interface SeedOptions {
  /** How many signed attestations (with sealed PDFs) to make; none unless asked. */
  readonly attestations?: number;
  /** These people instead of a synthetic organisation of `count` (the demo organisation). */
  readonly people?: readonly SyntheticPerson[];
  /** Which open assignments are done, as SQL over `requirement_assignment a`. */
  readonly donePredicate?: string;
}

/** Fills the database with a synthetic organisation, set-based, for demos and benchmarks. */
@Injectable()
export class SeedService {
  constructor(
    private readonly em: EntityManager,
    private readonly requirements: RequirementsService,
    private readonly documents: DocumentSyncService,
    private readonly attestationSeeder: AttestationSeeder,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async seed(
    count: number,
    progress: (line: string) => void,
    options: SeedOptions = {},
  ): Promise<SeedResult> {
    const now = this.clock.now();
    const wanted = options.attestations ?? 0;
    // Attestations need the documents they attest to, as the app publishes them at start.
    if (wanted > 0) await this.documents.sync({ derive: false });
    const people = options.people ?? syntheticOrganisation(count, now);
    await this.insertPeople(people, now, progress);
    progress('deriving requirements…');
    await this.requirements.derive();
    const done = options.donePredicate ?? SEEDED_DONE_PREDICATE;
    const attestations = await this.attestationSeeder.seed(wanted, progress, done);
    // A realistic mix: most people have done most of what is due; recent starters lag behind.
    // What the attestation seeder signed is done already and is not imported again.
    const [{ count: imported }] = await this.em.fork().execute<{ count: string }[]>(
      `with done as (
         insert into requirement_completion
           (id, person_id, requirement_id, kind, subject, subject_version, completed_at, source,
            reference, recorded_at)
         select gen_random_uuid(), a.person_id, a.requirement_id, a.kind, a.subject, null,
                least(a.due_date, current_date)::timestamptz - make_interval(days => abs(hashtext(a.id::text)) % 5),
                'import', 'seed', ?
           from requirement_assignment a
          where a.status not in ('done', 'waived', 'not_required')
            and (${done})
            and not exists (select 1 from requirement_completion c
                             where c.person_id = a.person_id and c.kind = a.kind
                               and c.subject = a.subject)
         returning 1)
       select count(*)::text as count from done`,
      [now],
    );
    const completions = Number(imported) + attestations;
    progress(`completions: ${completions}; deriving again…`);
    await this.requirements.derive();
    const [{ count: assignments }] = await this.em
      .fork()
      .execute<{ count: string }[]>('select count(*)::text as count from requirement_assignment');
    await this.audit.record({
      action: 'system.seeded',
      actorId: 'system',
      details: { people: people.length, completions, attestations },
    });
    return { people: people.length, assignments: Number(assignments), completions, attestations };
  }

  /** Inserts people as they are, 5,000 a statement; an email or number taken is skipped. */
  async insertPeople(
    people: readonly SyntheticPerson[],
    now: Date,
    progress: (line: string) => void = () => undefined,
  ): Promise<void> {
    for (let i = 0; i < people.length; i += BATCH) {
      const batch = people.slice(i, i + BATCH);
      await this.em.fork().execute(
        `insert into person (id, email, full_name, employee_number, department, job_title,
                             manager_email, employment_type, country, region, start_date,
                             end_date, status, roles, created_at, updated_at)
         select id, email, full_name, employee_number, department, job_title, manager_email,
                employment_type, country, region, start_date::date, end_date::date, status,
                array(select jsonb_array_elements_text(roles)), ?, ?
           from jsonb_to_recordset(?::jsonb) as r(id uuid, email text, full_name text,
                employee_number text, department text, job_title text, manager_email text,
                employment_type text, country text, region text, start_date text, end_date text,
                status text, roles jsonb)
         on conflict do nothing`,
        [now, now, JSON.stringify(batch)],
      );
      progress(`people: ${Math.min(i + BATCH, people.length)} of ${people.length}`);
    }
  }
}
