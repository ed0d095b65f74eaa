import { ApiProperty } from '@nestjs/swagger';
import { EmploymentType, PersonStatus } from '../../../people/person.entity';
import { Population } from '../../population';

/** A person's HR fields as the auditor API shows them: the columns of the population CSVs. */
export class PersonDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, nullable: true, example: 'E1001' })
  employeeNumber: string | null;

  @ApiProperty({ example: 'Jordan Rivera' })
  fullName: string;

  @ApiProperty({ format: 'email' })
  email: string;

  @ApiProperty({ type: String, nullable: true, example: 'Finance' })
  department: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'ISO 3166-1 alpha-2', example: 'US' })
  country: string | null;

  @ApiProperty({ enum: EmploymentType, enumName: 'EmploymentType' })
  employmentType: string;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  startDate: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'Last day worked.' })
  endDate: string | null;

  @ApiProperty({ enum: PersonStatus, enumName: 'PersonStatus' })
  status: string;
}

const NEXT_CURSOR =
  'Pass as `after` to get the next page; null on the last page. Opaque: send it back unchanged.';

export class PeoplePageDto {
  @ApiProperty({ type: [PersonDto], description: 'In id order.' })
  data: PersonDto[];

  @ApiProperty({ type: String, nullable: true, description: NEXT_CURSOR })
  nextCursor: string | null;
}

export class PopulationPageDto {
  @ApiProperty({ enum: Population, enumName: 'Population' })
  population: Population;

  @ApiProperty({ format: 'date', description: 'First day of the period, included.' })
  from: string;

  @ApiProperty({ format: 'date', description: 'Last day of the period, included.' })
  to: string;

  @ApiProperty({
    type: [PersonDto],
    description:
      'By employee number (byte order, people without one last), then id: the order samples are drawn from.',
  })
  data: PersonDto[];

  @ApiProperty({ type: String, nullable: true, description: NEXT_CURSOR })
  nextCursor: string | null;
}
