import { ApiProperty } from '@nestjs/swagger';
import { RequirementKind } from '../../../requirements/requirement-rule';

export class EvidenceSelectorDto {
  @ApiProperty({ enum: RequirementKind, enumName: 'RequirementKind' })
  kind: string;

  @ApiProperty({ example: 'nda' })
  subject: string;
}

/** A control of policies/controls.yml and the records that evidence it. */
export class ControlDto {
  @ApiProperty({ example: 'iso27001-a.6.6' })
  id: string;

  @ApiProperty({ example: 'ISO/IEC 27001:2022' })
  framework: string;

  @ApiProperty({ example: 'A.6.6 Confidentiality or non-disclosure agreements' })
  title: string;

  @ApiProperty()
  description: string;

  @ApiProperty({ type: [EvidenceSelectorDto] })
  evidence: EvidenceSelectorDto[];
}

export class ControlsDto {
  @ApiProperty({ type: [ControlDto] })
  data: ControlDto[];
}

/** Every error of /api, whatever its status. */
export class ApiErrorDto {
  @ApiProperty({ example: 401 })
  status: number;

  @ApiProperty({ example: 'sign_in_required', description: 'The status, as a word.' })
  error: string;

  @ApiProperty({ description: 'What to do about it, for a person to read.' })
  message: string;

  @ApiProperty({
    required: false,
    type: Object,
    additionalProperties: true,
    description: 'Which parameter was wrong, where that helps.',
  })
  details?: Record<string, unknown>;

  @ApiProperty({ description: 'Quote it when asking an administrator.' })
  requestId: string;
}
