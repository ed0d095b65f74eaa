import { MikroOrmModule } from '@mikro-orm/nestjs';
import { type DynamicModule, Module } from '@nestjs/common';
import type { DatabaseEndpoint } from './embedded-postgres';
import { createOrmOptions } from './mikro-orm.config';

/** The ORM, connected to the database the bootstrap opened (PostgreSQL or embedded PGlite). */
@Module({})
export class DatabaseModule {
  static forRoot(endpoint: DatabaseEndpoint): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        MikroOrmModule.forRoot({
          ...createOrmOptions(endpoint.clientUrl, { embedded: endpoint.embedded }),
          registerRequestContext: true,
        }),
      ],
    };
  }
}
