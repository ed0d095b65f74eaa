import {
  Controller,
  Inject,
  Get,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Permission } from '../access/permission';
import type { Principal } from '../access/principal';
import { sendCsv } from '../common/csv/send-csv';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { toCsv } from '../common/csv/csv';
import { PersonNotFound } from '../people/people.errors';
import { NotificationHistoryReader } from './notification-history.reader';
import { NotificationKind, NotificationStatus } from './notification-kind';
import {
  KIND_WORDS,
  messageView,
  OUTBOX_CSV_HEADER,
  outboxCsvRow,
  outboxRowView,
} from './notification.views';
import { NotificationsService } from './notifications.service';

const PAGE = 50;
const CSV_LIMIT = 100_000;
const PERSON_ID = new ParseUUIDPipe({ exceptionFactory: () => new PersonNotFound() });
const MESSAGE_ID = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException() });

const oneOf = <T extends string>(values: readonly T[], value: unknown): T | undefined =>
  values.includes(value as T) ? (value as T) : undefined;

/** A keyset cursor `<ISO time>_<uuid>`; anything else starts from the top. */
function parseBefore(value: unknown): { createdAt: Date; id: string } | undefined {
  if (typeof value !== 'string' || value.length > 100) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)_([0-9a-f-]{36})$/i.exec(value);
  if (!match || Number.isNaN(Date.parse(match[1]))) return undefined;
  return { createdAt: new Date(match[1]), id: match[2] };
}

/** HR's and admins' view of the outbox, and "send a reminder now". */
@Controller()
export class NotificationsController {
  constructor(
    private readonly history: NotificationHistoryReader,
    private readonly notifications: NotificationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @RequirePermission(Permission.NotificationRead)
  @Get('notifications')
  async list(@Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const status = oneOf(Object.values(NotificationStatus), query.status);
    const kind = oneOf(Object.values(NotificationKind), query.kind);
    if (query.format === 'csv') {
      const rows = await this.history.list({ status, kind, limit: CSV_LIMIT });
      return sendCsv(res, 'notifications', toCsv(OUTBOX_CSV_HEADER, rows.map(outboxCsvRow)));
    }
    const rows = await this.history.list({
      status,
      kind,
      before: parseBefore(query.before),
      limit: PAGE + 1,
    });
    const last = rows[PAGE - 1];
    const filterQuery = new URLSearchParams({
      ...(status && { status }),
      ...(kind && { kind }),
    }).toString();
    res.render('notifications/index', {
      title: 'Notifications',
      // Mounted exactly then (notifications.module.ts): the demo's inbox, one click away.
      devMailbox: !this.config.isProduction && !this.config.mail.smtpUrl,
      rows: rows.slice(0, PAGE).map(outboxRowView),
      statuses: Object.values(NotificationStatus).map((value) => ({
        value,
        text: value.charAt(0).toUpperCase() + value.slice(1),
        selected: value === status,
      })),
      kinds: Object.values(NotificationKind).map((value) => ({
        value,
        text: KIND_WORDS[value],
        selected: value === kind,
      })),
      filterQuery,
      nextCursor:
        rows.length > PAGE && last ? `${new Date(last.createdAt).toISOString()}_${last.id}` : null,
    });
  }

  @RequirePermission(Permission.NotificationRead)
  @Get('notifications/:id')
  async show(@Param('id', MESSAGE_ID) id: string, @Res() res: Response): Promise<void> {
    const message = await this.history.findOne(id);
    if (!message) throw new NotFoundException();
    res.render('notifications/show', {
      title: message.subject,
      message: messageView(message),
    });
  }

  /** Sends the person a reminder of everything open, now; at most one an hour. */
  @RequirePermission(Permission.NotificationSend)
  @Post('people/:id/reminders')
  async remind(
    @CurrentPrincipal() actor: Principal,
    @Param('id', PERSON_ID) personId: string,
    @Res() res: Response,
  ): Promise<void> {
    const outcome = await this.notifications.remind(actor, personId);
    res.redirect(
      303,
      `/people/${personId}?reminder=${outcome.queued ? 'sent' : outcome.reason}#reminders`,
    );
  }
}
