import { Injectable } from '@nestjs/common';
import { mayWaiveBackgroundCheck } from '../access/background-check.policy';
import type { Principal } from '../access/principal';
import { mayDecideAbout } from '../access/separation-of-duties.policy';
import {
  type BackgroundCheckFormView,
  editFormView,
  newFormView,
  withInput,
} from './background-check-form.view';
import { BackgroundCheckStatus } from './background-check.entity';
import { BackgroundCheckRepository } from './background-check.repository';
import { BackgroundCheckSecrets } from './background-check-secrets';
import {
  BackgroundCheckExists,
  BackgroundCheckNotFound,
  type InputProblem,
  PersonNotFound,
  ProviderReferenceConflict,
  SelfAdjudicationRefused,
} from './background-checks.errors';
import { BackgroundChecksService } from './background-checks.service';
import {
  CreateBackgroundCheckSchema,
  UpdateBackgroundCheckSchema,
} from './dto/background-check-form.dto';
import { problemsOf } from './dto/input-problems';

/** Saved, or the form again with what was typed and every problem in words. */
export type FormOutcome =
  { saved: true; id: string } | { saved: false; view: BackgroundCheckFormView };

export interface PersonChoiceView {
  readonly title: string;
  readonly q: string;
  readonly searched: boolean;
  readonly people: { id: string; fullName: string; email: string; department: string }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHOICES = 25;

const NOT_WAIVABLE: InputProblem = {
  path: 'status',
  message: 'You cannot waive a background check. Choose another status, or ask HR to waive it.',
};

/**
 * The create and edit forms of a background check: shown, and shown again on error (the GOV.UK
 * pattern: error summary at the top, each message beside its field, what was typed kept).
 */
@Injectable()
export class BackgroundCheckFormsService {
  constructor(
    private readonly checks: BackgroundChecksService,
    private readonly repository: BackgroundCheckRepository,
    private readonly secrets: BackgroundCheckSecrets,
  ) {}

  /** "Record a check": find the person first. */
  async choosePerson(q: string): Promise<PersonChoiceView> {
    const people = await this.repository.searchPeople(q, CHOICES);
    return {
      title: 'Record a background check',
      q,
      searched: q.trim() !== '',
      people: people.map((p) => ({ ...p, department: p.department ?? '' })),
    };
  }

  async newForm(actor: Principal, personId: string): Promise<BackgroundCheckFormView> {
    const person = await this.checks.subjectFor(actor, personId);
    return newFormView(
      actor.csrfToken,
      person,
      mayWaiveBackgroundCheck(actor, { personId: person.id }),
    );
  }

  async editForm(actor: Principal, id: string): Promise<BackgroundCheckFormView> {
    const check = await this.repository.findById(id);
    if (!check || this.checks.accessTo(actor, check) !== 'full')
      throw new BackgroundCheckNotFound();
    if (!mayDecideAbout(actor, check.person.id)) throw new SelfAdjudicationRefused();
    const sealed = {
      adjudicationNotes: this.secrets.open(
        id,
        'adjudicationNotes',
        check.adjudicationNotesCiphertext,
      ),
      reportReference: this.secrets.open(id, 'reportReference', check.reportReferenceCiphertext),
    };
    await this.checks.recordView(actor, check, 'full', 'edit');
    return editFormView(
      actor.csrfToken,
      check,
      sealed,
      mayWaiveBackgroundCheck(actor, { personId: check.person.id }),
    );
  }

  async create(actor: Principal, body: Record<string, unknown>): Promise<FormOutcome> {
    const personId = typeof body.personId === 'string' ? body.personId : '';
    if (!UUID.test(personId)) throw new PersonNotFound();
    const form = await this.newForm(actor, personId);
    const parsed = CreateBackgroundCheckSchema.safeParse(body);
    const problems = parsed.success ? [] : problemsOf(parsed.error);
    if (body.status === BackgroundCheckStatus.Waived && !form.canWaive) problems.push(NOT_WAIVABLE);
    if (!parsed.success || problems.length > 0) {
      return { saved: false, view: withInput(form, body, problems) };
    }
    try {
      return { saved: true, id: await this.checks.create(actor, parsed.data) };
    } catch (error) {
      if (!(error instanceof BackgroundCheckExists)) throw error;
      const exists = {
        path: 'type',
        message:
          'This person already has a check of this type. Choose another type, or update that check from their page.',
      };
      return { saved: false, view: withInput(form, body, [exists]) };
    }
  }

  async update(actor: Principal, id: string, body: Record<string, unknown>): Promise<FormOutcome> {
    const parsed = UpdateBackgroundCheckSchema.safeParse(body);
    const problems = parsed.success ? [] : problemsOf(parsed.error);
    if (body.status === BackgroundCheckStatus.Waived) {
      const check = await this.repository.findById(id);
      const waiving = check && check.status !== BackgroundCheckStatus.Waived;
      if (waiving && !mayWaiveBackgroundCheck(actor, { personId: check.person.id })) {
        problems.push(NOT_WAIVABLE);
      }
    }
    if (!parsed.success || problems.length > 0) {
      return { saved: false, view: withInput(await this.editForm(actor, id), body, problems) };
    }
    try {
      await this.checks.update(actor, id, parsed.data);
      return { saved: true, id };
    } catch (error) {
      if (!(error instanceof ProviderReferenceConflict)) throw error;
      const taken = {
        path: 'providerReference',
        message: 'Another check already has this provider’s reference. Check the reference.',
      };
      return { saved: false, view: withInput(await this.editForm(actor, id), body, [taken]) };
    }
  }
}
