import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { mayDecideAbout } from '../access/separation-of-duties.policy';
import { AuditService } from '../audit/audit.service';
import { calendarDayOf } from '../common/calendar-day';
import { Clock } from '../common/clock';
import { dueText, humanDate, humanInstant, label } from '../common/labels';
import { Person, PersonStatus } from '../people/person.entity';
import { hasLeft } from '../requirements/assignment-deriver';
import { CompletionSource } from '../requirements/requirement-completion.entity';
import { RequirementKind, type RequirementRule, TaskDoer } from '../requirements/requirement-rule';
import { RequirementRules } from '../requirements/requirement-rules';
import { tagClassOf } from '../requirements/requirement-standing';
import { RequirementsService } from '../requirements/requirements.service';
import {
  OFFBOARDING_NOTE_MAX_LENGTH,
  OffboardingTaskRecord,
} from './offboarding-task-record.entity';
import { OffboardingNoteInvalid, OffboardingTaskNotFound } from './offboarding.errors';
import { taskCapacity } from './offboarding-task.policy';
import { SigningLink } from './signing-link.entity';

/** One line of the offboarding task list. */
export interface OffboardingTaskView {
  requirementId: string;
  title: string;
  /** Who does it, in words: "The leaver signs", "HR", "HR or the manager". */
  doer: string;
  status: string;
  statusText: string;
  tagClass: string;
  closed: boolean;
  dueDate: string;
  dueText: string;
  /** Who marked it done, when, and their note; or when the leaver signed. */
  record: { by: string; at: string; atText: string; note: string | null } | null;
  /** The actor may mark it done, and in which capacity. */
  canMark: boolean;
  markAs: string | null;
}

export interface SigningLinkView {
  id: string;
  createdBy: string;
  createdAtText: string;
  expiresAtText: string;
  state: string;
  tagClass: string;
  revocable: boolean;
}

export interface OffboardingSectionView {
  personId: string;
  personName: string;
  leaving: string;
  /** Whether they can still sign in, or when their access ended, in words. */
  access: string;
  progress: string;
  tasks: OffboardingTaskView[];
  /** The actor may create and revoke signing links for this person. */
  canManageLinks: boolean;
  /** There is something left for the leaver to sign. */
  hasOpenDocuments: boolean;
  links: SigningLinkView[];
}

/** One line of the terminations population's checklist outcome. */
export interface ChecklistOutcome {
  done: number;
  total: number;
  open: string[];
}

const doerText = (rule: RequirementRule) =>
  rule.kind !== RequirementKind.Task
    ? 'The leaver signs'
    : (rule.doneBy ?? []).map((d) => (d === 'hr' ? 'HR' : 'the manager')).join(' or ');

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The offboarding checklist (ISO/IEC 27001:2022 A.5.11, A.6.5): the leaving rules of
 * requirements.yml as they stand for one person, and HR's or the manager's record of each task.
 */
@Injectable()
export class OffboardingChecklistService {
  constructor(
    private readonly em: EntityManager,
    private readonly rules: RequirementRules,
    private readonly requirements: RequirementsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  leavingRules(): RequirementRule[] {
    return this.rules.all().filter((r) => r.dueDaysAfterEnd !== undefined);
  }

  /**
   * The leavers whose manager is `managerEmail` and who have a task open that the manager may
   * do (`done_by: manager`), with how many: the manager's way in from their home page.
   */
  async leaversManagedBy(
    managerEmail: string,
  ): Promise<Array<{ id: string; name: string; openTasks: number; href: string }>> {
    const subjects = [
      ...new Set(
        this.leavingRules()
          .filter((r) => r.kind === RequirementKind.Task && r.doneBy?.includes(TaskDoer.Manager))
          .map((r) => r.subject),
      ),
    ];
    if (subjects.length === 0) return [];
    const { rows } = await sql<{ id: string; name: string; open: string }>`
      select p.id, p.full_name as name, count(*)::text as open
        from person p join requirement_assignment a on a.person_id = p.id
       where lower(p.manager_email) = ${managerEmail.toLowerCase()}
         and a.kind = ${RequirementKind.Task} and a.subject in (${sql.join(subjects)})
         and a.status not in ('done', 'waived', 'not_required')
       group by p.id, p.full_name
       order by p.full_name
       limit 200`.execute(this.em.fork().getKysely());
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      openTasks: Number(r.open),
      href: `/offboarding/people/${r.id}`,
    }));
  }

  /** The person page's "Offboarding" section; null for someone who is not leaving. */
  async sectionFor(actor: Principal, personId: string): Promise<OffboardingSectionView | null> {
    const em = this.em.fork();
    const person = await em.findOne(Person, { id: personId });
    if (!person) return null;
    const leaving = person.status === PersonStatus.Terminated || person.endDate;
    const rules = new Map(this.leavingRules().map((r) => [r.id, r]));
    const standings = (await this.requirements.standingsFor(personId)).filter((s) =>
      s.requirementIds.some((id) => rules.has(id)),
    );
    if (!leaving && standings.length === 0) return null;
    const actorPerson = await em.findOne(Person, { id: actor.personId });
    const records = await em.find(
      OffboardingTaskRecord,
      { person: personId },
      { orderBy: { completedAt: 'desc' } },
    );
    const names = await this.namesOf(em, [
      ...records.map((r) => r.doneBy),
      ...(await this.linksOf(em, personId)).map((l) => l.createdBy),
    ]);
    const today = calendarDayOf(this.clock.now());
    const tasks = standings.map((s): OffboardingTaskView => {
      const rule = rules.get(s.requirementIds.find((id) => rules.has(id))!)!;
      const record = records.find((r) => r.subject === s.subject);
      const capacity =
        rule.kind === RequirementKind.Task && s.open
          ? taskCapacity(actor, actorPerson?.email ?? null, rule.doneBy ?? [], {
              id: personId,
              managerEmail: person.managerEmail ?? null,
            })
          : null;
      return {
        requirementId: rule.id,
        title: label(s.subject),
        doer: capitalised(doerText(rule)),
        status: s.status,
        statusText: label(s.status),
        tagClass: tagClassOf(s.status),
        closed: !s.open,
        dueDate: s.dueDate,
        dueText: s.open ? dueText(s.dueDate, today) : '',
        record:
          rule.kind === RequirementKind.Task && record && !s.open
            ? {
                by: `${names.get(record.doneBy) ?? 'Someone no longer in Attest'} (${label(record.doneAs)})`,
                at: record.completedAt.toISOString(),
                atText: humanInstant(record.completedAt),
                note: record.note ?? null,
              }
            : s.completedAt && !s.open
              ? {
                  by: 'Signed by the leaver',
                  at: s.completedAt.toISOString(),
                  atText: humanInstant(s.completedAt),
                  note: null,
                }
              : null,
        canMark: capacity !== null,
        markAs: capacity && label(capacity),
      };
    });
    const canManageLinks =
      actor.permissions.has(Permission.SigningLinkManage) && mayDecideAbout(actor, personId);
    const now = this.clock.now();
    const links = canManageLinks ? await this.linksOf(em, personId) : [];
    return {
      personId,
      personName: person.fullName,
      leaving: person.endDate
        ? `Last day: ${humanDate(person.endDate)}`
        : 'Terminated (no end date recorded)',
      access: person.accessEndedAt
        ? `Access ended ${humanInstant(person.accessEndedAt)}.`
        : hasLeft(person, today)
          ? 'They can no longer sign in (Attest did not record when their access ended).'
          : 'They can still sign in until their last day.',
      progress: `${tasks.filter((t) => t.closed).length} of ${tasks.length} done`,
      tasks,
      canManageLinks,
      hasOpenDocuments: tasks.some((t, i) => !t.closed && standings[i].kind === 'document'),
      links: links.map((l) => {
        const state = l.usedAt
          ? 'used'
          : l.revokedAt
            ? 'revoked'
            : l.expiresAt <= now
              ? 'expired'
              : 'active';
        return {
          id: l.id,
          createdBy: names.get(l.createdBy) ?? 'Someone no longer in Attest',
          createdAtText: humanInstant(l.createdAt),
          expiresAtText: humanInstant(l.expiresAt),
          state: { used: 'Used', revoked: 'Revoked', expired: 'Expired', active: 'Active' }[state],
          tagClass: state === 'active' ? 'govuk-tag--green' : 'govuk-tag--grey',
          revocable: state === 'active',
        };
      }),
    };
  }

  /**
   * HR or the leaver's manager marks a task done, with an optional note. The record is
   * append-only; its completion, the re-derived checklist and the audit event commit together.
   */
  async markDone(
    actor: Principal,
    personId: string,
    requirementId: string,
    note: string | undefined,
  ): Promise<void> {
    const trimmed = note?.trim() || null;
    if (trimmed !== null && trimmed.length > OFFBOARDING_NOTE_MAX_LENGTH) {
      throw new OffboardingNoteInvalid();
    }
    const rule = this.rules.byId(requirementId);
    if (!rule || rule.kind !== RequirementKind.Task || rule.dueDaysAfterEnd === undefined) {
      throw new OffboardingTaskNotFound();
    }
    const em = this.em.fork();
    const [person, actorPerson] = await Promise.all([
      em.findOne(Person, { id: personId }),
      em.findOne(Person, { id: actor.personId }),
    ]);
    if (!person) throw new OffboardingTaskNotFound();
    const capacity = taskCapacity(actor, actorPerson?.email ?? null, rule.doneBy ?? [], {
      id: personId,
      managerEmail: person.managerEmail ?? null,
    });
    const standing = (await this.requirements.standingsFor(personId)).find((s) =>
      s.requirementIds.includes(requirementId),
    );
    if (!capacity || !standing?.open) throw new OffboardingTaskNotFound();
    const now = this.clock.now();
    await em.transactional(async (tx) => {
      const id = randomUUID();
      tx.create(OffboardingTaskRecord, {
        id,
        person: personId,
        requirementId,
        subject: rule.subject,
        doneBy: actor.personId,
        doneAs: capacity,
        note: trimmed,
        completedAt: now,
      });
      await tx.flush();
      await this.requirements.completeIn(tx, personId, rule, {
        subjectVersion: null,
        completedAt: now,
        source: CompletionSource.OffboardingTask,
        reference: id,
      });
      await this.requirements.deriveIn(tx, [personId]);
      await this.audit.recordIn(tx, {
        action: 'offboarding.task_completed',
        actorId: actor.personId,
        subjectType: 'person',
        subjectId: personId,
        details: { requirementId, recordId: id, doneAs: capacity, withNote: trimmed !== null },
      });
    });
  }

  /** "3 of 3 done" per leaver, and which are open, for the terminations population. */
  async outcomesOf(personIds: readonly string[]): Promise<Map<string, ChecklistOutcome>> {
    const ids = this.leavingRules().map((r) => r.id);
    const out = new Map<string, ChecklistOutcome>();
    if (personIds.length === 0 || ids.length === 0) return out;
    const rows = await this.em
      .fork()
      .execute<{ person_id: string; subject: string; status: string }[]>(
        `select person_id, subject, status from requirement_assignment
        where person_id in (select jsonb_array_elements_text(?::jsonb)::uuid)
          and requirement_id in (select jsonb_array_elements_text(?::jsonb))
        order by person_id, subject`,
        [JSON.stringify(personIds), JSON.stringify(ids)],
      );
    for (const row of rows) {
      const o = out.get(row.person_id) ?? { done: 0, total: 0, open: [] };
      o.total += 1;
      if (row.status === 'done' || row.status === 'waived') o.done += 1;
      else o.open.push(label(row.subject));
      out.set(row.person_id, o);
    }
    return out;
  }

  private linksOf(em: EntityManager, personId: string): Promise<SigningLink[]> {
    return em.find(
      SigningLink,
      { person: personId },
      { orderBy: { createdAt: 'desc' }, limit: 10 },
    );
  }

  private async namesOf(em: EntityManager, ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const people = await em.find(Person, { id: { $in: unique } });
    return new Map(people.map((p) => [p.id, p.fullName]));
  }
}
