import {
  Controller,
  Get,
  Param,
  Post,
  Render,
  Res,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
import type { Response } from 'express';
import { Public } from '../access/access.decorators';
import { SkipCsrf } from '../access/csrf.guard';
import { AuthThrottlerGuard, IP_THROTTLER, RateLimitBucket } from '../auth/auth-throttler.guard';
import {
  AttestationVerificationService,
  type VerificationOutcome,
} from './attestation-verification.service';
import { VerifyUploadInterceptor } from './verify-upload.interceptor';

/** Verifications per minute per client: a person checks a few files; a script is refused. */
export const VERIFY_LIMIT_PER_MINUTE = 30;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface VerifyPageView {
  title: string;
  result: VerificationOutcome | null;
}

/** 200 for a file that verifies, 422 with the one reason for one that does not. */
function show(res: Response, result: VerificationOutcome): void {
  const view: VerifyPageView = { title: 'Verify an attestation', result };
  res.status(result.valid ? 200 : 422).render('verify/index', view);
}

/**
 * Anyone holding an attestation may check it: the page needs no account and says nothing a
 * holder of the PDF does not already have.
 */
@Controller('verify')
@UseGuards(AuthThrottlerGuard)
@RateLimitBucket('verify')
@Throttle({ [IP_THROTTLER]: { limit: VERIFY_LIMIT_PER_MINUTE, ttl: 60_000 } })
export class VerifyController {
  constructor(private readonly verification: AttestationVerificationService) {}

  @Public()
  @Get()
  @Render('verify/index')
  form(): VerifyPageView {
    return { title: 'Verify an attestation', result: null };
  }

  /** No session to protect and nothing changes: a cross-site upload gains nothing. */
  @Public()
  @SkipCsrf()
  @Post()
  @UseInterceptors(VerifyUploadInterceptor)
  async upload(
    @UploadedFile() file: Express.Multer.File | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const result: VerificationOutcome = file
      ? await this.verification.verifyFile(file.buffer)
      : { valid: false, reason: 'no-file', message: 'Choose a PDF file to verify.' };
    show(res, result);
  }

  @Public()
  @Get(':id')
  async byId(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const result: VerificationOutcome = UUID.test(id)
      ? await this.verification.verifyStored(id.toLowerCase())
      : {
          valid: false,
          reason: 'unknown-attestation',
          message: 'Attest has no attestation with this id.',
        };
    show(res, result);
  }
}
