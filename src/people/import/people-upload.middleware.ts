import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Permission } from '../../access/permission';
import type { AttestRequest } from '../../access/principal';
import { singleFileUpload } from '../../common/upload/single-file-upload';
import { MAX_FILE_BYTES } from './people-csv.parser';

/**
 * Reads the multipart upload of POST /people/import into memory (at most 5 MB, one file).
 * It runs as middleware, before the guards, because the CSRF guard needs the form's `_csrf`
 * field, which only the multipart parser can read; an interceptor would run too late. It
 * parses only for a principal who may import, so nobody else gets 5 MB held in memory; the
 * guards then refuse everyone else as usual.
 */
@Injectable()
export class PeopleUploadMiddleware implements NestMiddleware {
  private readonly upload = singleFileUpload({
    maxBytes: MAX_FILE_BYTES,
    fields: 4,
    tooLarge: `The file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB. Split it into smaller files and import each of them.`,
    unreadable:
      'The upload could not be read. Choose one CSV file with the form on the import page and try again.',
  });

  async use(req: Request & AttestRequest, res: Response, next: NextFunction): Promise<void> {
    if (
      !req.principal?.permissions.has(Permission.PersonImport) ||
      !req.is('multipart/form-data')
    ) {
      next();
      return;
    }
    await this.upload(req, res);
    next();
  }
}
