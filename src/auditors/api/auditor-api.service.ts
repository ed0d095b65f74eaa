import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import { standingText } from '../../requirements/requirement-standing';
import { RequirementsService } from '../../requirements/requirements.service';
import type { AuditPeriod } from '../audit-period';
import { ApiPersonNotFound } from '../auditors.errors';
import { ControlsService } from '../controls.service';
import type { Population } from '../population';
import { type PopulationCursor, PopulationRepository } from '../population.repository';
import { PopulationsService } from '../populations.service';
import type { ApiCaller } from './api-caller.decorator';
import { encodePopulationCursor } from './api-query';
import type { ControlsDto } from './dto/control.dto';
import type { PeoplePageDto, PersonDto, PopulationPageDto } from './dto/person.dto';
import type { PersonRequirementsDto } from './dto/requirement.dto';

/**
 * The read-only auditor API. Every read of personal details appends an audit event naming the
 * token (`auditor:<name>`) and the people it returned, by id only.
 */
@Injectable()
export class AuditorApiService {
  constructor(
    private readonly people: PopulationRepository,
    private readonly populations: PopulationsService,
    private readonly requirements: RequirementsService,
    private readonly controls: ControlsService,
    private readonly audit: AuditService,
  ) {}

  async listPeople(
    caller: ApiCaller,
    after: string | undefined,
    limit: number,
  ): Promise<PeoplePageDto> {
    const rows = await this.people.everyone(after, limit + 1);
    const data = rows.slice(0, limit);
    await this.record(caller, 'api.people_read', {
      details: { after: after ?? null, personIds: data.map((p) => p.id) },
    });
    return { data, nextCursor: rows.length > limit ? (data.at(-1)?.id ?? null) : null };
  }

  async person(caller: ApiCaller, id: string): Promise<PersonDto> {
    const [person] = await this.people.byIds([id]);
    if (!person) throw new ApiPersonNotFound();
    await this.record(caller, 'api.person_read', { subjectId: id });
    return person;
  }

  async requirementsOf(caller: ApiCaller, id: string): Promise<PersonRequirementsDto> {
    const [person] = await this.people.byIds([id]);
    if (!person) throw new ApiPersonNotFound();
    const standings = await this.requirements.standingsFor(id);
    await this.record(caller, 'api.person_requirements_read', { subjectId: id });
    return {
      personId: id,
      data: standings.map((s) => ({
        requirementId: s.requirementId,
        requirementIds: [...s.requirementIds],
        kind: s.kind,
        subject: s.subject,
        cycle: s.cycle,
        dueDate: s.dueDate,
        status: s.status,
        statusText: standingText(s),
        nextDueDate: s.nextDueDate,
        completedAt: s.completedAt?.toISOString() ?? null,
      })),
    };
  }

  async population(
    caller: ApiCaller,
    population: Population,
    period: AuditPeriod,
    after: PopulationCursor | undefined,
    limit: number,
  ): Promise<PopulationPageDto> {
    const page = await this.populations.page(population, period, after, limit);
    await this.record(caller, 'api.population_read', {
      details: {
        population,
        from: period.from,
        to: period.to,
        personIds: page.rows.map((p) => p.id),
      },
    });
    return {
      population,
      from: period.from,
      to: period.to,
      data: page.rows,
      nextCursor: page.next ? encodePopulationCursor(page.next) : null,
    };
  }

  /** The control mapping holds no personal details: reading it is not recorded. */
  listControls(): ControlsDto {
    return {
      data: this.controls.list().map((c) => ({
        id: c.id,
        framework: c.framework,
        title: c.title,
        description: c.description,
        evidence: c.evidence.map((e) => ({ kind: e.kind, subject: e.subject })),
      })),
    };
  }

  private async record(
    caller: ApiCaller,
    action: string,
    event: { subjectId?: string; details?: Record<string, unknown> },
  ): Promise<void> {
    await this.audit.record({
      action,
      actorId: caller.client.actorId,
      subjectType: event.subjectId ? 'person' : null,
      subjectId: event.subjectId ?? null,
      details: event.details,
      requestId: caller.requestId,
      ip: caller.ip,
      userAgent: caller.userAgent,
    });
  }
}
