import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiToken } from '../access/api-token.guard';
import { ApiTokenRole } from '../api-tokens/api-token.entity';
import { type ApiCaller, CurrentApiCaller } from '../auditors/api/api-caller.decorator';
import { AUDITOR_TOKEN_SCHEME } from '../auditors/api/auditor-api.controller';
import { ApiErrorDto } from '../auditors/api/dto/control.dto';
import { CreateExportDto, ExportJobDto } from './dto/export-job.dto';
import { parseExportFilters } from './export-filters';
import type { ExportJob } from './export-job.entity';
import { ExportNotFound } from './exports.errors';
import type { ExportRequester } from './export-job.lifecycle';
import { ExportsService } from './exports.service';
import { exportView } from './exports.views';
import { sendExportFile } from './zip-response';

const ID = new ParseUUIDPipe({ exceptionFactory: () => new ExportNotFound() });

const requesterOf = (caller: ApiCaller): ExportRequester => ({
  actorId: caller.client.actorId,
  requestId: caller.requestId,
  ip: caller.ip,
  userAgent: caller.userAgent,
});

function toDto(job: ExportJob): ExportJobDto {
  const view = exportView(job);
  return {
    id: job.id,
    status: job.status,
    filters: job.filters,
    total: job.total,
    done: job.doneCount,
    sha256: job.sha256 ?? null,
    size: job.size ?? null,
    error: job.error ?? null,
    createdAt: view.createdAt,
    finishedAt: view.finishedAt,
    downloadUrl: view.downloadUrl ? `/api/v1${view.downloadUrl}` : null,
  };
}

/**
 * Evidence exports for audit tools, with an auditor token. Always a background job: create it,
 * poll it, download the ZIP. Check the ZIP with `attest verify` or openssl.
 */
@ApiTags('auditor')
@ApiBearerAuth(AUDITOR_TOKEN_SCHEME)
@ApiUnauthorizedResponse({ type: ApiErrorDto, description: 'No live auditor token.' })
@ApiForbiddenResponse({ type: ApiErrorDto, description: 'A token of another role.' })
@ApiToken(ApiTokenRole.Auditor)
@Controller('api/v1/exports')
export class ExportsApiController {
  constructor(private readonly exports: ExportsService) {}

  @ApiOperation({
    summary: 'Start an export of sealed attestation PDFs',
    description:
      'A ZIP of the original sealed PDFs, index.csv, follow-up.csv (the reminders and escalations concerning the people in it), manifest.json (the SHA-256 of every file) and manifest.json.p7s (a detached CMS signature of manifest.json by the seal).',
  })
  @ApiBody({ type: CreateExportDto, required: false })
  @ApiAcceptedResponse({ type: ExportJobDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'A filter is malformed.' })
  @HttpCode(202)
  @Post()
  async create(
    @CurrentApiCaller() caller: ApiCaller,
    @Body() body: Record<string, unknown> | undefined,
  ): Promise<ExportJobDto> {
    const started = await this.exports.request(
      requesterOf(caller),
      parseExportFilters(body ?? {}),
      {
        background: true,
      },
    );
    return toDto(await this.exports.find(started.id));
  }

  @ApiOperation({ summary: "An export's progress" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ExportJobDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @Get(':id')
  async show(@Param('id', ID) id: string): Promise<ExportJobDto> {
    return toDto(await this.exports.find(id));
  }

  @ApiOperation({ summary: 'The finished ZIP', description: 'Repr-Digest carries its SHA-256.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('application/zip')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'Not finished yet.' })
  @Get(':id/download')
  async download(
    @CurrentApiCaller() caller: ApiCaller,
    @Param('id', ID) id: string,
    @Res() res: Response,
  ): Promise<void> {
    await sendExportFile(res, await this.exports.download(requesterOf(caller), id));
  }
}
