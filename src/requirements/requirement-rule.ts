import type { Role } from '../access/role';
import type { EmploymentType } from '../people/person.entity';

export enum RequirementKind {
  Document = 'document',
  Training = 'training',
  BackgroundCheck = 'background_check',
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
  /** Days after the start date the first cycle is due; negative means before the start. */
  readonly dueDaysAfterStart: number;
  /** Months after each completion the next cycle is due; absent for one-off requirements. */
  readonly recurrenceMonths?: number;
  /** Documents only: days people have to sign a new material version once it is published. */
  readonly reacknowledgeDays?: number;
}
