import { join } from 'node:path';
import { promisify } from 'node:util';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import hbs from 'hbs';
import { HttpErrorFilter } from './common/errors/http-error.filter';
import type { AppConfig } from './config/app-config';

/** Templates and static assets, beside src/ and dist/ alike. */
export const VIEWS_DIR = join(__dirname, '..', 'views');

export const BODY_LIMIT = '100kb';

/** Views, static assets, security headers, body limits and error pages. */
export async function configureHttp(app: NestExpressApplication, config: AppConfig): Promise<void> {
  const https = config.publicUrl.startsWith('https://');
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          ...(https ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    }),
  );
  app.use(cookieParser());
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  app.useStaticAssets(join(VIEWS_DIR, 'assets'), { prefix: '/assets/', index: false });
  app.setBaseViewsDir(VIEWS_DIR);
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/main' });
  await promisify<string>((dir: string, done: () => void) => hbs.registerPartials(dir, done))(
    join(VIEWS_DIR, 'partials'),
  );
  app.useGlobalFilters(new HttpErrorFilter());
}
