import { z } from 'zod';
import {
  BACKGROUND_CHECK_TYPES,
  RequirementKind,
  TASK_SUBJECTS,
} from '../requirements/requirement-rule';

const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** `soc2-cc1.1`, `iso27001-a.6.3`: safe in a URL and a file name. */
const CONTROL_ID = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;

const kinds = Object.values(RequirementKind) as [RequirementKind, ...RequirementKind[]];

const text = (what: string, max: number) =>
  z
    .string({ error: `must be ${what}` })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

const selector = z
  .strictObject(
    {
      kind: z.enum(kinds, { error: `must be one of ${kinds.join(', ')}` }),
      subject: z.string({ error: 'must be a document, training or check name' }),
    },
    { error: 'must be a map such as { kind: document, subject: nda }' },
  )
  .superRefine((rule, ctx) => {
    // The same subjects as policies/requirements.yml, so a selector means what a rule means.
    if (rule.kind === RequirementKind.BackgroundCheck) {
      if (!(BACKGROUND_CHECK_TYPES as readonly string[]).includes(rule.subject)) {
        ctx.addIssue({
          code: 'custom',
          path: ['subject'],
          message: `must be a background check type: ${BACKGROUND_CHECK_TYPES.join(', ')}`,
        });
      }
    } else if (
      rule.kind === RequirementKind.Task &&
      !(TASK_SUBJECTS as readonly string[]).includes(rule.subject)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['subject'],
        message: `must be an offboarding task: ${TASK_SUBJECTS.join(', ')}`,
      });
    } else if (!KEBAB_CASE.test(rule.subject)) {
      ctx.addIssue({
        code: 'custom',
        path: ['subject'],
        message: `must be the kebab-case id of a ${rule.kind}, as in policies/requirements.yml`,
      });
    }
  });

const control = z.strictObject(
  {
    id: z
      .string({ error: 'must be an id such as soc2-cc1.1' })
      .regex(CONTROL_ID, 'must be lower case letters, digits, dots and dashes, such as soc2-cc1.1'),
    framework: text('the framework, such as SOC 2', 100),
    title: text("the control's title", 200),
    description: text('one line saying what the control requires', 500),
    evidence: z
      .array(selector, { error: 'must be a list of { kind, subject } selectors' })
      .min(1, 'must name at least one kind of evidence'),
  },
  { error: 'must be a map with id, framework, title, description and evidence' },
);

export const controlsFileSchema = z.strictObject(
  {
    version: z.literal(1, { error: 'must be 1' }),
    controls: z.array(control, { error: 'must be a list of controls' }).min(1, 'must not be empty'),
  },
  { error: 'must be a map with `version: 1` and a `controls:` list' },
);

export type ControlsFileContent = z.infer<typeof controlsFileSchema>;
