import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiToken } from '../../access/api-token.guard';
import { ApiTokenRole } from '../../api-tokens/api-token.entity';
import { parsePeriod } from '../audit-period';
import { parsePopulation, Population } from '../population';
import { type ApiCaller, CurrentApiCaller } from './api-caller.decorator';
import { MAX_PAGE_SIZE, parseIdCursor, parseLimit, parsePopulationCursor } from './api-query';
import { AuditorApiService } from './auditor-api.service';
import { ApiErrorDto, ControlsDto } from './dto/control.dto';
import { PeoplePageDto, PersonDto, PopulationPageDto } from './dto/person.dto';
import { PersonRequirementsDto } from './dto/requirement.dto';

export const AUDITOR_TOKEN_SCHEME = 'auditor-token';

const LIMIT = {
  name: 'limit',
  required: false,
  schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 100 },
} as const;
const AFTER = {
  name: 'after',
  required: false,
  description: 'The nextCursor of the previous page; leave out for the first page.',
} as const;

/**
 * The read-only API for audit tools: bearer tokens of the auditor role only (`attest token
 * create --role auditor`), never a browser session. Lists page by keyset.
 */
@ApiTags('auditor')
@ApiBearerAuth(AUDITOR_TOKEN_SCHEME)
@ApiUnauthorizedResponse({ type: ApiErrorDto, description: 'No live auditor token.' })
@ApiForbiddenResponse({ type: ApiErrorDto, description: 'A token of another role.' })
@ApiBadRequestResponse({ type: ApiErrorDto, description: 'A parameter is malformed.' })
@ApiToken(ApiTokenRole.Auditor)
@Controller('api/v1')
export class AuditorApiController {
  constructor(private readonly api: AuditorApiService) {}

  @ApiOperation({ summary: 'Everyone Attest knows, in id order' })
  @ApiQuery(AFTER)
  @ApiQuery(LIMIT)
  @ApiOkResponse({ type: PeoplePageDto })
  @Get('people')
  listPeople(
    @CurrentApiCaller() caller: ApiCaller,
    @Query('after') after: unknown,
    @Query('limit') limit: unknown,
  ): Promise<PeoplePageDto> {
    return this.api.listPeople(caller, parseIdCursor(after), parseLimit(limit));
  }

  @ApiOperation({ summary: "One person's HR fields" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PersonDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @Get('people/:id')
  person(
    @CurrentApiCaller() caller: ApiCaller,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<PersonDto> {
    return this.api.person(caller, id);
  }

  @ApiOperation({ summary: "A person's requirements and where each stands today" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PersonRequirementsDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @Get('people/:id/requirements')
  requirements(
    @CurrentApiCaller() caller: ApiCaller,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<PersonRequirementsDto> {
    return this.api.requirementsOf(caller, id);
  }

  @ApiOperation({
    summary: 'New hires, terminations or everyone active in a period',
    description:
      'new-hires: start date in the period; terminations: end date in the period; active: started on or before `to` (or no start date) and not ended before `from`. Both ends are included; at most five years.',
  })
  @ApiParam({ name: 'population', enum: Population, enumName: 'Population' })
  @ApiQuery({ name: 'from', required: true, schema: { type: 'string', format: 'date' } })
  @ApiQuery({ name: 'to', required: true, schema: { type: 'string', format: 'date' } })
  @ApiQuery(AFTER)
  @ApiQuery(LIMIT)
  @ApiOkResponse({ type: PopulationPageDto })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'No such population.' })
  @Get('populations/:population')
  population(
    @CurrentApiCaller() caller: ApiCaller,
    @Param('population') population: string,
    @Query() query: Record<string, unknown>,
  ): Promise<PopulationPageDto> {
    return this.api.population(
      caller,
      parsePopulation(population),
      parsePeriod(query.from, query.to),
      parsePopulationCursor(query.after),
      parseLimit(query.limit),
    );
  }

  @ApiOperation({ summary: 'The control mapping of policies/controls.yml' })
  @ApiOkResponse({ type: ControlsDto })
  @Get('controls')
  controls(): ControlsDto {
    return this.api.listControls();
  }
}
