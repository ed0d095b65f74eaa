import { ApiProperty } from '@nestjs/swagger';
import { AssignmentStatus } from '../../../requirements/assignment-deriver';
import { RequirementKind } from '../../../requirements/requirement-rule';

/** One cycle of one requirement for the person, as it stands today. */
export class AssignmentDto {
  @ApiProperty({ example: 'employee-nda', description: 'The rule in policies/requirements.yml.' })
  requirementId: string;

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
    description: 'An open assignment past its due date reads as overdue.',
  })
  status: AssignmentStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt: string | null;
}

export class PersonRequirementsDto {
  @ApiProperty({ format: 'uuid' })
  personId: string;

  @ApiProperty({ type: [AssignmentDto], description: 'Soonest due first.' })
  data: AssignmentDto[];
}
