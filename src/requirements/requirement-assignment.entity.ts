import { defineEntity, p } from '@mikro-orm/core';
import { PersonSchema } from '../people/person.entity';
import { AssignmentStatus } from './assignment-deriver';
import { RequirementKind } from './requirement-rule';

export const RequirementAssignmentSchema = defineEntity({
  name: 'RequirementAssignment',
  tableName: 'requirement_assignment',
  // The unique key leads with person_id, so it also serves "this person's assignments": a
  // separate person index would only slow down the million-row rewrites.
  uniques: [
    {
      name: 'requirement_assignment_person_requirement_cycle_unique',
      properties: ['person', 'requirementId', 'cycle'],
    },
  ],
  indexes: [
    // HR: "what is overdue", "what falls due this week".
    { name: 'requirement_assignment_status_due_date_index', properties: ['status', 'dueDate'] },
    // The overdue list: open rows in due-date order, read page by page with a keyset.
    {
      name: 'requirement_assignment_open_due_index',
      expression:
        'create index "requirement_assignment_open_due_index" on "requirement_assignment" ("due_date", "id") where "status" not in (\'done\', \'waived\', \'not_required\')',
    },
    // HR and auditors: "who has not signed the NDA".
    {
      name: 'requirement_assignment_requirement_status_index',
      properties: ['requirementId', 'status'],
    },
  ],
  properties: {
    id: p.uuid().primary(),
    person: () => p.manyToOne(PersonSchema),
    requirementId: p.string().length(100),
    kind: p.enum(() => RequirementKind),
    subject: p.string().length(100),
    cycle: p.integer(),
    dueDate: p.date(),
    status: p.enum(() => AssignmentStatus),
    completedAt: p.datetime().nullable(),
    waivedAt: p.datetime().nullable(),
    /** Person id of whoever waived it; the waiver row itself is the evidence. */
    waivedBy: p.uuid().nullable(),
    waiverReason: p.string().length(1000).nullable(),
    updatedAt: p.datetime(),
  },
});

/**
 * One cycle of one requirement for one person. A projection, recomputed from the rules, the
 * person's HR facts, completions and waivers; it can be rebuilt at any time.
 */
export class RequirementAssignment extends RequirementAssignmentSchema.class {}
RequirementAssignmentSchema.setClass(RequirementAssignment);
