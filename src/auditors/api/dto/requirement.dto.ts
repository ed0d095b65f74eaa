import { ApiProperty } from '@nestjs/swagger';
import { AssignmentStatus } from '../../../requirements/assignment-deriver';
import { RequirementKind } from '../../../requirements/requirement-rule';

/**
 * One requirement for the person as it stands today: its current cycle, the same standing the
 * person's own pages, the HR reports and the compliance summary show.
 */
export class AssignmentDto {
  @ApiProperty({
    example: 'employee-nda',
    description: 'The rule in policies/requirements.yml whose cycle is shown.',
  })
  requirementId: string;

  @ApiProperty({
    type: [String],
    example: ['us-criminal-record', 'admin-criminal-record-rescreening'],
    description: 'Every rule met by the same work (same kind and subject): listed once.',
  })
  requirementIds: string[];

  @ApiProperty({ enum: RequirementKind, enumName: 'RequirementKind' })
  kind: string;

  @ApiProperty({ example: 'nda', description: 'Document id, training id or check type.' })
  subject: string;

  @ApiProperty({ description: '0 for the first time; recurring requirements count up.' })
  cycle: number;

  @ApiProperty({ format: 'date' })
  dueDate: string;

  @ApiProperty({
    enum: AssignmentStatus,
    enumName: 'AssignmentStatus',
    description:
      'The current cycle: an open one past its due date reads as overdue; a next cycle due more than 60 days away is not open yet (see nextDueDate).',
  })
  status: AssignmentStatus;

  @ApiProperty({ example: 'Done, next due 6 Dec 2027', description: 'The status in words.' })
  statusText: string;

  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'Done or waived, and the next cycle is scheduled for this day.',
  })
  nextDueDate: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt: string | null;
}

export class PersonRequirementsDto {
  @ApiProperty({ format: 'uuid' })
  personId: string;

  @ApiProperty({ type: [AssignmentDto], description: 'One per requirement, soonest due first.' })
  data: AssignmentDto[];
}
