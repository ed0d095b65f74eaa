import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import type { Response } from 'express';
import { RequirePermission } from '../access/access.decorators';
import { Permission } from '../access/permission';
import { NotificationHistoryReader } from './notification-history.reader';
import { messageView, outboxRowView } from './notification.views';

const MESSAGE_ID = new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException() });

/**
 * The demo's inbox: with no SMTP_URL outside production, mail is stored, not sent, and read
 * here as each recipient would see it. Never mounted in production (notifications.module.ts).
 */
@Controller('dev/mailbox')
export class DevMailboxController {
  constructor(private readonly history: NotificationHistoryReader) {}

  @RequirePermission(Permission.NotificationRead)
  @Get()
  async inbox(@Res() res: Response): Promise<void> {
    const rows = await this.history.list({ limit: 200 });
    res.render('notifications/mailbox', {
      title: 'Development mailbox',
      rows: rows.map(outboxRowView),
    });
  }

  @RequirePermission(Permission.NotificationRead)
  @Get(':id')
  async message(@Param('id', MESSAGE_ID) id: string, @Res() res: Response): Promise<void> {
    const message = await this.history.findOne(id);
    if (!message) throw new NotFoundException();
    res.render('notifications/show', {
      title: message.subject,
      mailbox: true,
      message: messageView(message),
    });
  }

  /** The HTML part, alone and inert: no scripts, no outside requests, in a sandbox. */
  @RequirePermission(Permission.NotificationRead)
  @Get(':id/html')
  async html(@Param('id', MESSAGE_ID) id: string, @Res() res: Response): Promise<void> {
    const message = await this.history.findOne(id);
    if (!message) throw new NotFoundException();
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox allow-top-navigation-by-user-activation",
    );
    res.type('html').send(message.htmlBody);
  }
}
