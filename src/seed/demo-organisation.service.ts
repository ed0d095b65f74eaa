import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { BACKGROUND_CHECK_TYPES } from '../background-checks/background-check.entity';
import { Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { RequirementsService } from '../requirements/requirements.service';
import { demoOrganisation } from './demo-organisation';
import { DEMO_DONE_PREDICATE } from './seeded-completions';
import { SeedService } from './seed.service';

/** Enough sealed PDFs for every signature the demo's history holds. */
const DEMO_ATTESTATIONS = 1000;
/** Yearly training over the longest tenure: each round records one more year's cycle. */
const MAX_CYCLES = 10;
/** Screening vendor named on the demo's checks. */
const DEMO_PROVIDER = 'Demo screening';

export interface DemoOrganisationCreated {
  readonly people: number;
  readonly attestations: number;
  readonly checksPending: number;
}

/**
 * The demo organisation a development start makes on an empty database, so HR's and auditors'
 * pages show a picture on day one. Everything goes through the seed's paths: people, derived
 * requirements, real signatures with sealed PDFs, imported completions for later cycles, and
 * background checks (clear where the requirement is met, in progress for some newcomers).
 */
@Injectable()
export class DemoOrganisationService {
  constructor(
    private readonly em: EntityManager,
    private readonly seed: SeedService,
    private readonly requirements: RequirementsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Creates the demo organisation if nobody exists yet; null when there was someone.
   * `starting` is called once the work is certain to run, to say that it takes a while.
   */
  async createIfEmpty(
    starting: () => void = () => undefined,
  ): Promise<DemoOrganisationCreated | null> {
    if (!this.config.demoData || this.config.isProduction) return null;
    if (await this.anyone()) return null;
    starting();
    const now = this.clock.now();
    const { people, newcomers } = demoOrganisation(now, this.config.saml.roleMap, randomUUID);
    const result = await this.seed.seed(people.length, () => undefined, {
      people,
      attestations: DEMO_ATTESTATIONS,
      donePredicate: DEMO_DONE_PREDICATE,
    });
    await this.completeLaterCycles(now);
    // The newcomers arrive after the history is written, so none of it is theirs; HR had them
    // screened before their first day.
    await this.seed.insertPeople(newcomers, now);
    await this.requirements.derive();
    await this.screenBeforeStart(
      newcomers.map((p) => p.id),
      now,
    );
    const checksPending = await this.recordBackgroundChecks(now);
    await this.requirements.derive();
    return {
      people: people.length + newcomers.length,
      attestations: result.attestations,
      checksPending,
    };
  }

  private async anyone(): Promise<boolean> {
    const [row] = await this.em
      .fork()
      .execute<{ found: boolean }[]>('select exists (select 1 from person) as found');
    return row.found;
  }

  /**
   * Recurring training came round again for people who have been here years: the cycles they
   * did are recorded as imported (from the training system before Attest), the rest are due.
   */
  private async completeLaterCycles(now: Date): Promise<void> {
    for (let round = 0; round < MAX_CYCLES; round++) {
      const [{ count }] = await this.em.fork().execute<{ count: string }[]>(
        `with done as (
           insert into requirement_completion
             (id, person_id, requirement_id, kind, subject, subject_version, completed_at,
              source, reference, recorded_at)
           select gen_random_uuid(), a.person_id, a.requirement_id, a.kind, a.subject, null,
                  a.due_date::timestamptz - make_interval(days => abs(hashtext(a.id::text)) % 20),
                  'import', 'demo', ?
             from requirement_assignment a
            where a.status not in ('done', 'waived', 'not_required')
              and a.due_date < current_date
              and (${DEMO_DONE_PREDICATE})
           returning 1)
         select count(*)::text as count from done`,
        [now],
      );
      if (Number(count) === 0) return;
      await this.requirements.derive();
    }
  }

  /** The screening of people who start today, cleared before their first day. */
  private async screenBeforeStart(personIds: readonly string[], now: Date): Promise<void> {
    await this.em.fork().execute(
      `insert into requirement_completion
         (id, person_id, requirement_id, kind, subject, subject_version, completed_at, source,
          reference, recorded_at)
       select gen_random_uuid(), a.person_id, a.requirement_id, a.kind, a.subject, null,
              p.start_date::timestamptz - interval '5 days' + interval '11 hours', 'import', 'demo', ?
         from requirement_assignment a join person p on p.id = a.person_id
        where a.kind = 'background_check' and a.status not in ('done', 'waived', 'not_required')
          and a.person_id = any(string_to_array(?, ',')::uuid[])`,
      [now, personIds.join(',')],
    );
  }

  /**
   * A background check for each screening requirement: clear when it is met, in progress for
   * people who start soon or just started and have not cleared yet. Returns how many are pending.
   */
  private async recordBackgroundChecks(now: Date): Promise<number> {
    const em = this.em.fork();
    await em.execute(
      `insert into background_check
         (id, person_id, type, jurisdiction, provider_name, provider_reference, invited_at,
          started_at, completed_at, status, created_at, updated_at)
       select gen_random_uuid(), a.person_id, a.subject, coalesce(p.country, 'US'), ?,
              'demo-' || left(md5(a.person_id::text || a.subject), 12),
              coalesce(c.completed_at, ?::timestamptz) - interval '9 days',
              coalesce(c.completed_at, ?::timestamptz) - interval '7 days',
              c.completed_at,
              case when c.completed_at is null then 'in_progress' else 'clear' end,
              coalesce(c.completed_at, ?::timestamptz) - interval '9 days',
              coalesce(c.completed_at, ?::timestamptz - interval '7 days')
         from (select distinct on (person_id, subject) person_id, subject, status
                 from requirement_assignment
                where kind = 'background_check'
                order by person_id, subject, cycle desc) a
         join person p on p.id = a.person_id
         left join lateral (select min(completed_at) as completed_at
                              from requirement_completion rc
                             where rc.person_id = a.person_id and rc.kind = 'background_check'
                               and rc.subject = a.subject) c on true
        where a.subject = any(string_to_array(?, ','))
          and (c.completed_at is not null or p.start_date >= current_date - 30)
       on conflict do nothing`,
      [DEMO_PROVIDER, now, now, now, now, BACKGROUND_CHECK_TYPES.join(',')],
    );
    await em.execute(
      `insert into background_check_event (id, check_id, at, actor_id, from_status, to_status, source)
       select gen_random_uuid(), b.id, b.started_at, 'provider', 'invited', 'in_progress', 'provider'
         from background_check b where b.provider_name = ?
       union all
       select gen_random_uuid(), b.id, b.completed_at, 'provider', 'in_progress', 'clear', 'provider'
         from background_check b where b.provider_name = ? and b.status = 'clear'`,
      [DEMO_PROVIDER, DEMO_PROVIDER],
    );
    const [{ pending }] = await em.execute<{ pending: string }[]>(
      `select count(*)::text as pending from background_check
        where provider_name = ? and status = 'in_progress'`,
      [DEMO_PROVIDER],
    );
    return Number(pending);
  }
}
