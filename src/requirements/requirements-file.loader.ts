import { join } from 'node:path';
import type { YamlFileProblem } from '../common/yaml/yaml-file.errors';
import {
  loadYamlFile,
  type Locate,
  parseYamlFile,
  type YamlFileKind,
} from '../common/yaml/yaml-file.loader';
import type { NotificationPolicy } from '../notifications/notification-policy';
import { toNotificationPolicy } from '../notifications/notification-policy.schema';
import type { RequirementRule, RequirementSelector } from './requirement-rule';
import { type RequirementsFileContent, requirementsFileSchema } from './requirements-file.schema';
import { RequirementsFileInvalid } from './requirements.errors';

/** Where the organisation keeps its rules; dist/requirements and src/requirements alike. */
export const REQUIREMENTS_FILE_NAME = 'requirements.yml';

/** The checkout's own rules file, as shipped. */
export const DEFAULT_REQUIREMENTS_FILE = join(
  __dirname,
  '..',
  '..',
  'policies',
  REQUIREMENTS_FILE_NAME,
);

const requirementsFile: YamlFileKind<typeof requirementsFileSchema, readonly RequirementRule[]> = {
  schema: requirementsFileSchema,
  listKey: 'requirements',
  unknownKeyHint: 'check its spelling against the comments at the top of the file',
  invalid: RequirementsFileInvalid,
  check: duplicateIds,
  build: (content) => content.requirements.map(toRule),
};

const notificationsSection: YamlFileKind<typeof requirementsFileSchema, NotificationPolicy> = {
  ...requirementsFile,
  build: (content) => toNotificationPolicy(content.notifications),
};

/**
 * The file's `notifications:` section with its defaults. The whole file is validated, so a
 * mistake anywhere in it stops the start with the same messages as {@link loadRequirementsFile}.
 */
export function loadNotificationPolicy(path: string): NotificationPolicy {
  return loadYamlFile(path, notificationsSection);
}

/** Parses the `notifications:` section from YAML text. */
export function parseNotificationPolicy(text: string, fileName: string): NotificationPolicy {
  return parseYamlFile(text, fileName, notificationsSection);
}

/** Reads and validates a rules file; throws {@link RequirementsFileInvalid} naming every line. */
export function loadRequirementsFile(path: string): readonly RequirementRule[] {
  return loadYamlFile(path, requirementsFile);
}

/** Parses rules from YAML text. `fileName` only labels the error messages. */
export function parseRequirementsFile(text: string, fileName: string): readonly RequirementRule[] {
  return parseYamlFile(text, fileName, requirementsFile);
}

function duplicateIds(content: RequirementsFileContent, locate: Locate): YamlFileProblem[] {
  const firstLine = new Map<string, number>();
  const problems: YamlFileProblem[] = [];
  content.requirements.forEach((rule, index) => {
    const position = locate(['requirements', index, 'id']);
    const earlier = firstLine.get(rule.id);
    if (earlier === undefined) firstLine.set(rule.id, position.line);
    else {
      problems.push({
        ...position,
        message: `id "${rule.id}" is already used on line ${earlier}; every requirement needs its own id`,
      });
    }
  });
  return problems;
}

type FileRule = RequirementsFileContent['requirements'][number];

function toRule(rule: FileRule): RequirementRule {
  const selector = rule.applies_to ?? {};
  const appliesTo: RequirementSelector = {
    ...(selector.countries && { countries: selector.countries }),
    ...(selector.exclude_countries && { excludeCountries: selector.exclude_countries }),
    ...(selector.employment_types && { employmentTypes: selector.employment_types }),
    ...(selector.departments && { departments: selector.departments }),
    ...(selector.roles && { roles: selector.roles as RequirementSelector['roles'] }),
  };
  return {
    id: rule.id,
    kind: rule.kind,
    subject: rule.subject,
    appliesTo,
    dueDaysAfterStart: rule.due.days_after_start ?? 0,
    ...(rule.due.days_after_end !== undefined && { dueDaysAfterEnd: rule.due.days_after_end }),
    ...(rule.done_by && {
      doneBy: [...new Set(typeof rule.done_by === 'string' ? [rule.done_by] : rule.done_by)],
    }),
    ...(rule.recurrence && { recurrenceMonths: rule.recurrence.every_months }),
    ...(rule.reacknowledge && { reacknowledgeDays: rule.reacknowledge.days_after_publication }),
  };
}
