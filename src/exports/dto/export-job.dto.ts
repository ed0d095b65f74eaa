import { ApiProperty } from '@nestjs/swagger';
import { ExportStatus } from '../export-job.entity';

/** POST /api/v1/exports. Every filter is optional; together they all apply. */
export class CreateExportDto {
  @ApiProperty({ required: false, format: 'date', description: 'First signing day (UTC).' })
  from?: string;

  @ApiProperty({ required: false, format: 'date', description: 'Last signing day (UTC).' })
  to?: string;

  @ApiProperty({ required: false, example: 'Finance', description: 'Exactly as HR records it.' })
  department?: string;

  @ApiProperty({ required: false, example: 'iso27001-a.6.6', description: 'GET /api/v1/controls' })
  control?: string;
}

export class ExportFiltersDto {
  @ApiProperty({ nullable: true, type: String, format: 'date' })
  from: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date' })
  to: string | null;

  @ApiProperty({ nullable: true, type: String })
  department: string | null;

  @ApiProperty({ nullable: true, type: String })
  control: string | null;
}

/** An export job: poll it until `status` is `done`, then fetch `downloadUrl`. */
export class ExportJobDto {
  @ApiProperty({ format: 'uuid', description: 'Also the exportId in the ZIP’s manifest.json.' })
  id: string;

  @ApiProperty({ enum: ExportStatus, enumName: 'ExportStatus' })
  status: ExportStatus;

  @ApiProperty({ type: ExportFiltersDto })
  filters: ExportFiltersDto;

  @ApiProperty({ description: 'Attestations to export.' })
  total: number;

  @ApiProperty({ description: 'Attestations written so far.' })
  done: number;

  @ApiProperty({ nullable: true, type: String, description: 'SHA-256 (hex) of the whole ZIP.' })
  sha256: string | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Bytes.' })
  size: number | null;

  @ApiProperty({ nullable: true, type: String })
  error: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  finishedAt: string | null;

  @ApiProperty({ nullable: true, type: String, example: '/api/v1/exports/…/download' })
  downloadUrl: string | null;
}
