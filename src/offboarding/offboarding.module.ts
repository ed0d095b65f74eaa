import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { OffboardingChecklistModule } from './offboarding-checklist.module';
import { LeaverSigningController } from './leaver-signing.controller';
import { LeaverSigningService } from './leaver-signing.service';
import { LeaverCookie, LeaverSessionMiddleware } from './leaver-session.middleware';
import { OffboardingController } from './offboarding.controller';

/**
 * Offboarding (ISO/IEC 27001:2022 A.5.11, A.6.5): HR's and managers' checklist actions, and the
 * leaver's one-time signing link.
 */
@Module({
  imports: [OffboardingChecklistModule, DocumentsModule, SignaturesModule],
  controllers: [OffboardingController, LeaverSigningController],
  providers: [LeaverSigningService, LeaverCookie, LeaverSessionMiddleware],
})
export class OffboardingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(LeaverSessionMiddleware).forRoutes('leaving', 'leaving/*path');
  }
}
