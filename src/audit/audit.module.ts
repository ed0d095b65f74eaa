import { Global, Module } from '@nestjs/common';
import { AuditChainVerifier } from './audit-chain.verifier';
import { AuditEventRepository } from './audit-event.repository';
import { AuditLogService } from './audit-log.service';
import { AuditNamesReader } from './audit-names.reader';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { AuditTrailReader } from './audit-trail.reader';

@Global()
@Module({
  controllers: [AuditController],
  providers: [
    AuditEventRepository,
    AuditService,
    AuditLogService,
    AuditNamesReader,
    AuditChainVerifier,
    AuditTrailReader,
  ],
  exports: [AuditService, AuditEventRepository, AuditChainVerifier, AuditTrailReader],
})
export class AuditModule {}
