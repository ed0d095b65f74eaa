import type { Role } from '../access/role';
import type { EmploymentType } from '../people/person.entity';

export enum RequirementKind {
  Document = 'document',
  Training = 'training',
  BackgroundCheck = 'background_check',
  /** Something others do for a leaver: HR or their manager marks it done (offboarding). */
  Task = 'task',
}

/**
 * The offboarding tasks a rule may ask others to do (ISO/IEC 27001:2022 A.5.11 return of
 * assets, A.6.5 responsibilities after termination).
 */
export const TASK_SUBJECTS = ['return-of-assets', 'exit-interview', 'access-review'] as const;
export type TaskSubject = (typeof TASK_SUBJECTS)[number];

/** Who may mark a task done: HR, the leaver's manager (by manager email), or either. */
export enum TaskDoer {
  Hr = 'hr',
  Manager = 'manager',
}

/**
 * The screening types a rule may ask for; a rules file naming any other type is refused at
 * start-up rather than silently never met. The check record spells two of them shorter
 * (`identity`, `education`): requirement-inputs.repository.ts maps them when it reads checks.
 */
export const BACKGROUND_CHECK_TYPES = [
  'criminal_record',
  'employment_verification',
  'education_verification',
  'identity_verification',
  'right_to_work',
] as const;
export type BackgroundCheckType = (typeof BACKGROUND_CHECK_TYPES)[number];

/** Who a rule applies to. Every given criterion must hold; within a list, any entry matches. */
export interface RequirementSelector {
  /** ISO 3166-1 alpha-2, upper case. */
  readonly countries?: readonly string[];
  readonly excludeCountries?: readonly string[];
  readonly employmentTypes?: readonly EmploymentType[];
  readonly departments?: readonly string[];
  readonly roles?: readonly Role[];
}

/** One line of policies/requirements.yml, validated and frozen. */
export interface RequirementRule {
  readonly id: string;
  readonly kind: RequirementKind;
  /** A document id, a training id, or a background check type, depending on `kind`. */
  readonly subject: string;
  readonly appliesTo: RequirementSelector;
  /**
   * Days after the start date the first cycle is due; negative means before the start. Unused
   * (0) by a leaving rule.
   */
  readonly dueDaysAfterStart: number;
  /**
   * A leaving rule (offboarding): it applies only to people with an end date or terminated, and
   * is due this many days after the end date (or the day their access ended). One-off.
   */
  readonly dueDaysAfterEnd?: number;
  /** Tasks only: who marks it done. */
  readonly doneBy?: readonly TaskDoer[];
  /** Months after each completion the next cycle is due; absent for one-off requirements. */
  readonly recurrenceMonths?: number;
  /** Documents only: days people have to sign a new material version once it is published. */
  readonly reacknowledgeDays?: number;
}
