import { NotificationOutboxModule } from '../notifications/notification-outbox.module';
import { Module } from '@nestjs/common';
import { PeopleModule } from '../people/people.module';
import { RequirementsModule } from '../requirements/requirements.module';
import { OnboardingRollupCompactor } from './onboarding-rollup.compactor';
import { OnboardingController } from './onboarding.controller';
import { OnboardingRepository } from './onboarding.repository';
import { OnboardingService } from './onboarding.service';

@Module({
  imports: [PeopleModule, RequirementsModule, NotificationOutboxModule],
  controllers: [OnboardingController],
  providers: [OnboardingRepository, OnboardingService, OnboardingRollupCompactor],
})
export class OnboardingModule {}
