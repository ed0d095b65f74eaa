import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiToken, type ApiRequest } from '../access/api-token.guard';
import { ApiTokenRole } from '../api-tokens/api-token.entity';
import { parseOrThrow } from './dto/background-check-form.dto';
import { ProviderEventSchema } from './dto/provider-event.dto';
import { type ProviderEventResult, ProviderEventsService } from './provider-events.service';

/** The screening provider's webhook. Bodies over the global 100 kB limit never get here. */
@Controller('api/v1/background-checks')
export class ProviderEventsController {
  constructor(private readonly events: ProviderEventsService) {}

  /** 200 for a new event and a repeated one alike: the provider need not tell them apart. */
  @ApiToken(ApiTokenRole.Integration)
  @Post('events')
  @HttpCode(200)
  ingest(@Req() req: ApiRequest, @Body() body: unknown): Promise<ProviderEventResult> {
    // AccessGuard admitted this request only with an integration token: apiClient is set.
    return this.events.ingest(req.apiClient!, parseOrThrow(ProviderEventSchema, body));
  }
}
