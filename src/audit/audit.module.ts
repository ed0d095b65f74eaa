import { Global, Module } from '@nestjs/common';
import { AuditEventRepository } from './audit-event.repository';
import { AuditService } from './audit.service';

@Global()
@Module({
  providers: [AuditEventRepository, AuditService],
  exports: [AuditService, AuditEventRepository],
})
export class AuditModule {}
