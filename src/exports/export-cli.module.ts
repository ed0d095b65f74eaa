import { Module, type Type } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions/sessions.module';
import type { AppConfig } from '../config/app-config';
import { ExportArchiveModule } from './export-archive.module';

/**
 * ExportArchiveModule outside the app (`attest export`, `attest verify`, the bench): the
 * attestations module reaches PeopleModule, whose services need the global sessions module
 * that the app's AuthModule otherwise provides.
 */
export function exportCliModule(config: AppConfig): Type {
  @Module({
    imports: [SessionsModule.forRoot(config), ExportArchiveModule],
    exports: [ExportArchiveModule],
  })
  class ExportCliModule {}
  return ExportCliModule;
}
