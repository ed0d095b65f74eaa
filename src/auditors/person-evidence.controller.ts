import { Controller, Get, Param, ParseUUIDPipe, Query, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { RequirePermission } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { EvidencePersonNotFound } from './auditors.errors';
import { type PersonEvidenceView, PersonEvidenceService } from './person-evidence.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One sampled person's evidence, opened from a sample or a population. */
@ApiExcludeController()
@Controller('auditors/people')
export class PersonEvidenceController {
  constructor(private readonly evidence: PersonEvidenceService) {}

  @RequirePermission(Permission.RequirementRead)
  @Get(':id')
  @Render('auditors/person')
  show(
    @CurrentPrincipal() actor: Principal,
    @Param('id', new ParseUUIDPipe({ exceptionFactory: () => new EvidencePersonNotFound() }))
    id: string,
    @Query('sample') sample: unknown,
  ): Promise<PersonEvidenceView> {
    // Only for the way back to the sample: anything but an id is ignored.
    const sampleId = typeof sample === 'string' && UUID.test(sample) ? sample : undefined;
    return this.evidence.show(actor, id, sampleId);
  }
}
