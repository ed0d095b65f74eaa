import { Global, Module } from '@nestjs/common';
import { AuditChainVerifier } from './audit-chain.verifier';
import { AuditEventRepository } from './audit-event.repository';
import { AuditLogService } from './audit-log.service';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditEventRepository, AuditService, AuditLogService, AuditChainVerifier],
  exports: [AuditService, AuditEventRepository, AuditChainVerifier],
})
export class AuditModule {}
