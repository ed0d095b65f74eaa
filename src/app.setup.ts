import { join } from 'node:path';
import { promisify } from 'node:util';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import hbs from 'hbs';
import type { NextFunction, Request, Response } from 'express';
import { auditClientMiddleware } from './audit/audit-client.context';
import { HttpErrorFilter } from './common/errors/http-error.filter';
import { withScimErrors } from './scim/scim-error.filter';
import { registerViewHelpers } from './common/view-helpers';
import { ControlCharactersInterceptor } from './common/validation/control-characters.interceptor';
import type { AppConfig } from './config/app-config';
import { scimBodyMiddleware } from './scim/scim-body.middleware';

/** Templates and static assets, beside src/ and dist/ alike. */
export const VIEWS_DIR = join(__dirname, '..', 'views');

export const BODY_LIMIT = '100kb';

/**
 * A production instance served over https usually sits behind a TLS-terminating proxy; then,
 * without TRUST_PROXY, every client appears to be the proxy: one rate-limit budget for all, and
 * the proxy's address in every audit event and signature.
 */
export function proxyWarning(config: AppConfig): string | undefined {
  if (!config.isProduction || config.trustProxy !== undefined) return undefined;
  if (!config.publicUrl.startsWith('https://')) return undefined;
  return (
    'PUBLIC_URL is https but TRUST_PROXY is unset: forwarded headers are ignored, so behind a ' +
    'proxy every client shares one rate limit and is recorded with the proxy’s address. Set ' +
    'TRUST_PROXY to the proxy hop count or addresses (see the README).'
  );
}

/** Views, static assets, security headers, body limits and error pages. */
export async function configureHttp(app: NestExpressApplication, config: AppConfig): Promise<void> {
  const https = config.publicUrl.startsWith('https://');
  // Express's default ignores X-Forwarded-*; only a configured proxy may state the client.
  // proxy-addr splices named ranges into the list it is given: hand it a copy.
  const trust = config.trustProxy;
  if (trust !== undefined) app.set('trust proxy', typeof trust === 'number' ? trust : [...trust]);
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
  app.use(auditClientMiddleware);
  app.use(cookieParser());
  // SCIM reads its own media type and limit first (RFC 7644 §3.1); this parser then skips it.
  app.use('/scim', scimBodyMiddleware);
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  app.useStaticAssets(join(VIEWS_DIR, 'assets'), { prefix: '/assets/', index: false });
  // Everything past the static assets may hold personal data (pages, CSVs, PDFs, the API):
  // RFC 9111 §5.2.2.5, no shared or browser cache keeps a copy.
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.setBaseViewsDir(VIEWS_DIR);
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/main' });
  registerViewHelpers(hbs);
  await promisify<string>((dir: string, done: () => void) => hbs.registerPartials(dir, done))(
    join(VIEWS_DIR, 'partials'),
  );
  app.useGlobalFilters(
    withScimErrors(new HttpErrorFilter(config.oidc ? '/auth/oidc/login' : '/auth/saml/login')),
  );
  app.useGlobalInterceptors(new ControlCharactersInterceptor());
}
