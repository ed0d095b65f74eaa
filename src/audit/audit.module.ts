import { Global, Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AuditEventRepository } from './audit-event.repository';
import { AuditService } from './audit.service';

@Global()
@Module({
  providers: [AuditEventRepository, AuditService, Clock],
  exports: [AuditService, AuditEventRepository],
})
export class AuditModule {}
