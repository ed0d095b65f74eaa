import { Module } from '@nestjs/common';
import { DATA_CIPHER_PROVIDER } from '../common/crypto/data-cipher';
import { RequirementsModule } from '../requirements/requirements.module';
import { BackgroundCheckFormsService } from './background-check-forms.service';
import { BackgroundCheckRepository } from './background-check.repository';
import { BackgroundCheckSecrets } from './background-check-secrets';
import { BackgroundChecksController } from './background-checks.controller';
import { BackgroundChecksService } from './background-checks.service';
import { ProviderEventsController } from './provider-events.controller';
import { ProviderEventsService } from './provider-events.service';

/** Background checks: HR's tracking pages, each person's own view, the provider webhook. */
@Module({
  imports: [RequirementsModule],
  controllers: [BackgroundChecksController, ProviderEventsController],
  providers: [
    DATA_CIPHER_PROVIDER,
    BackgroundCheckRepository,
    BackgroundCheckSecrets,
    BackgroundChecksService,
    BackgroundCheckFormsService,
    ProviderEventsService,
  ],
})
export class BackgroundChecksModule {}
