import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { streamCsv } from '../common/csv/stream-csv';
import { AUDIT_CSV_COLUMNS } from './audit-log.views';
import { AuditLogService } from './audit-log.service';
import { AuditLogQuerySchema, parseDto } from './dto/audit-log.dto';

/** The audit log for admins and auditors: a filtered, paged list and its CSV. */
@Controller()
export class AuditController {
  constructor(private readonly auditLog: AuditLogService) {}

  @RequirePermission(Permission.AuditRead)
  @Get('audit')
  async list(@Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    res.render('audit/index', await this.auditLog.list(parseDto(AuditLogQuerySchema, query)));
  }

  @RequirePermission(Permission.AuditRead)
  @Get('audit.csv')
  async csv(
    @CurrentPrincipal() actor: Principal,
    @Query() query: Record<string, unknown>,
    @Req() req: Request & { id?: unknown },
    @Res() res: Response,
  ): Promise<void> {
    const filters = parseDto(AuditLogQuerySchema, query);
    const context = {
      requestId: typeof req.id === 'string' ? req.id : undefined,
      ip: req.ip,
      userAgent: req.get('user-agent'),
    };
    await streamCsv(
      res,
      'audit-log',
      AUDIT_CSV_COLUMNS,
      this.auditLog.exportCsv(actor, filters, context),
    );
  }
}
