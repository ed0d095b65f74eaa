import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AuthCookies } from './auth-cookies';
import { SessionRepository } from './session.repository';
import { SessionMiddleware } from './session.middleware';
import { SessionsService } from './sessions.service';

/**
 * Server-side sessions, kept apart from sign-in so that features can read them: a feature that
 * ends or checks sessions (people, signing, people changes) imports this module.
 */
@Module({
  providers: [
    SessionRepository,
    SessionsService,
    SessionMiddleware,
    {
      provide: AuthCookies,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new AuthCookies(config),
    },
  ],
  exports: [SessionsService, SessionMiddleware, AuthCookies],
})
export class SessionsModule {}
