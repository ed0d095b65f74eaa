import { Controller, Get, Post, Render, Res, UploadedFile } from '@nestjs/common';
import type { Response } from 'express';
import { RequirePermission } from '../../access/access.decorators';
import { CurrentPrincipal } from '../../access/current-principal.decorator';
import { Permission } from '../../access/permission';
import type { Principal } from '../../access/principal';
import { PeopleImportService } from './people-import.service';
import { type ImportFormView, toImportFormView, toImportResultView } from './people-import.views';

/**
 * HR's upload of a people CSV file. The multipart body is read by PeopleUploadMiddleware, so
 * that the CSRF guard sees the form's `_csrf`; `@UploadedFile()` reads what it left.
 */
@Controller('people/import')
export class PeopleImportController {
  constructor(private readonly imports: PeopleImportService) {}

  @RequirePermission(Permission.PersonImport)
  @Get()
  @Render('people/import')
  form(@CurrentPrincipal() actor: Principal): ImportFormView {
    return toImportFormView(actor);
  }

  @RequirePermission(Permission.PersonImport)
  @Post()
  async upload(
    @CurrentPrincipal() actor: Principal,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Res() res: Response,
  ): Promise<void> {
    if (!file) {
      res
        .status(400)
        .render('people/import', toImportFormView(actor, 'Choose a CSV file to import.'));
      return;
    }
    const outcome = await this.imports.import(actor, file.buffer);
    res.status(outcome.ok ? 200 : 422).render('people/import-result', toImportResultView(outcome));
  }
}
