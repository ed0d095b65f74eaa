import {
  BadRequestException,
  type CallHandler,
  type ExecutionContext,
  type HttpException,
  Injectable,
  type NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import type { Observable } from 'rxjs';
import { VERIFY_MAX_BYTES } from './attestation-verification.service';

function uploadError(error: unknown): HttpException {
  if (error instanceof MulterError && error.code === 'LIMIT_FILE_SIZE') {
    return new PayloadTooLargeException(
      `The file is larger than ${VERIFY_MAX_BYTES / 1024 / 1024} MB, so it is not an Attest attestation PDF (those are well under 1 MB).`,
    );
  }
  return new BadRequestException('Choose one PDF file with the form and try again.');
}

/**
 * Reads the one file of POST /verify into memory, stopping at the size limit: a 50 MB upload
 * is refused after 20 MB, never buffered whole. An interceptor rather than a middleware, so
 * it runs after the guards: a client over its rate limit is refused before its body is read.
 */
@Injectable()
export class VerifyUploadInterceptor implements NestInterceptor {
  private readonly upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: VERIFY_MAX_BYTES, files: 1, fields: 2, fieldSize: 1024, parts: 3 },
  }).single('file');

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (req.is('multipart/form-data')) {
      const res = http.getResponse<Response>();
      await new Promise<void>((resolve, reject) => {
        this.upload(req, res, (error: unknown) => (error ? reject(uploadError(error)) : resolve()));
      });
    }
    return next.handle();
  }
}
