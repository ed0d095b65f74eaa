import {
  BadRequestException,
  type HttpException,
  Injectable,
  type NestMiddleware,
  PayloadTooLargeException,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { Permission } from '../../access/permission';
import type { AttestRequest } from '../../access/principal';
import { MAX_FILE_BYTES } from './people-csv.parser';

function uploadError(error: unknown): HttpException {
  if (error instanceof MulterError && error.code === 'LIMIT_FILE_SIZE') {
    return new PayloadTooLargeException(
      `The file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB. Split it into smaller files and import each of them.`,
    );
  }
  return new BadRequestException(
    'The upload could not be read. Choose one CSV file with the form on the import page and try again.',
  );
}

/**
 * Reads the multipart upload of POST /people/import into memory (at most 5 MB, one file).
 * It runs as middleware, before the guards, because the CSRF guard needs the form's `_csrf`
 * field, which only the multipart parser can read; an interceptor would run too late. It
 * parses only for a principal who may import, so nobody else gets 5 MB held in memory; the
 * guards then refuse everyone else as usual.
 */
@Injectable()
export class PeopleUploadMiddleware implements NestMiddleware {
  private readonly upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 4, fieldSize: 1024, parts: 5 },
  }).single('file');

  async use(req: Request & AttestRequest, res: Response, next: NextFunction): Promise<void> {
    if (
      !req.principal?.permissions.has(Permission.PersonImport) ||
      !req.is('multipart/form-data')
    ) {
      next();
      return;
    }
    await new Promise<void>((resolve, reject) => {
      this.upload(req, res, (error: unknown) => (error ? reject(uploadError(error)) : resolve()));
    });
    next();
  }
}
