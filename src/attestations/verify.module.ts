import { Module } from '@nestjs/common';
import { AttestationsModule } from './attestations.module';
import { VerifyController } from './verify.controller';

/**
 * The public verification pages. Apart from AttestationsModule because they are rate limited
 * with the sign-in throttler, which only the web app has: the CLI's module graph uses the
 * verifier without them.
 */
@Module({
  imports: [AttestationsModule],
  controllers: [VerifyController],
})
export class VerifyModule {}
