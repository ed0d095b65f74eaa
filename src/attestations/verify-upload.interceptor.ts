import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { singleFileUpload } from '../common/upload/single-file-upload';
import { VERIFY_MAX_BYTES } from './attestation-verification.service';

/**
 * Reads the one file of POST /verify into memory, stopping at the size limit: a 50 MB upload
 * is refused after 20 MB, never buffered whole. An interceptor rather than a middleware, so
 * it runs after the guards: a client over its rate limit is refused before its body is read.
 */
@Injectable()
export class VerifyUploadInterceptor implements NestInterceptor {
  private readonly upload = singleFileUpload({
    maxBytes: VERIFY_MAX_BYTES,
    fields: 2,
    tooLarge: `The file is larger than ${VERIFY_MAX_BYTES / 1024 / 1024} MB, so it is not an Attest attestation PDF (those are well under 1 MB).`,
    unreadable: 'Choose one PDF file with the form and try again.',
  });

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (req.is('multipart/form-data')) await this.upload(req, http.getResponse<Response>());
    return next.handle();
  }
}
