import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { AuthCookies } from './auth-cookies';
import { SessionRepository } from './session.repository';
import { SessionMiddleware } from './session.middleware';
import { SessionsService } from './sessions.service';

/** Server-side sessions, kept apart from sign-in so that features can read them. */
@Module({})
export class SessionsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SessionsModule,
      global: true,
      providers: [
        SessionRepository,
        SessionsService,
        SessionMiddleware,
        { provide: AuthCookies, useValue: new AuthCookies(config) },
      ],
      exports: [SessionsService, SessionMiddleware, AuthCookies],
    };
  }
}
