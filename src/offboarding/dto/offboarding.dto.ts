import { z } from 'zod';
import { OFFBOARDING_NOTE_MAX_LENGTH } from '../offboarding-task-record.entity';

/** HR's or the manager's optional note when marking a task done. */
export const MarkTaskDoneSchema = z.object({
  note: z
    .string()
    .max(
      OFFBOARDING_NOTE_MAX_LENGTH,
      `Keep the note to ${OFFBOARDING_NOTE_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer.`,
    )
    .optional(),
});

/** A requirement id from requirements.yml (kebab-case). */
export const RequirementIdSchema = z
  .string()
  .max(100)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
