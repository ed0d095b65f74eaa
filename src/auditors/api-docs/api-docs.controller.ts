import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController, type OpenAPIObject } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../access/access.decorators';
import { ApiDocs } from './api-docs';

/**
 * Swagger UI's files, from the copy @nestjs/swagger depends on. Resolved from there rather
 * than from the project root, so the version is the one the document generator expects.
 */
const SWAGGER_UI_DIR = dirname(
  createRequire(require.resolve('@nestjs/swagger')).resolve('swagger-ui-dist/package.json'),
);

/** The only files served: everything else under /api/docs/assets is a 404. */
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js']);

/**
 * Public documentation of the auditor API: it describes routes and holds no data. Served from
 * a controller rather than SwaggerModule.setup, so that these routes carry @Public() like
 * every other route, and so the page needs no inline script or style: Swagger UI starts from
 * /assets/api-docs.js, and the app's Content-Security-Policy applies here unchanged.
 */
@ApiExcludeController()
@Controller('api')
export class ApiDocsController {
  constructor(private readonly docs: ApiDocs) {}

  @Public()
  @Get('docs')
  page(@Res() res: Response): void {
    res.render('auditors/api-docs', { layout: false });
  }

  @Public()
  @Get('docs-json')
  document(): OpenAPIObject {
    return this.docs.get();
  }

  @Public()
  @Get('docs/assets/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!ASSETS.has(file)) throw new NotFoundException();
    res.sendFile(join(SWAGGER_UI_DIR, file), { maxAge: '1d' });
  }
}
