import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { LeavingService } from './leaving.service';

/** Hourly, so a last day that passes at midnight ends access within the hour. */
const EVERY_MS = 60 * 60_000;
/** The first pass: soon after start, but not in the way of start-up. */
const FIRST_MS = 2 * 60_000;

/**
 * Ends the access of people whose last day has passed with no change to their record to set it
 * off (an end date recorded weeks ahead). Their sessions are refused from that day anyway
 * (SessionsService.resolve); this pass records it: `accessEndedAt`, `person.left`, the
 * checklist. It runs on the instances that run the notification scheduler (NOTIFICATIONS), and
 * is safe on several at once: each leaver is locked and their steps run once (LeavingService).
 */
@Injectable()
export class LeavingJobs implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LeavingJobs.name);
  private readonly timers: NodeJS.Timeout[] = [];
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly leaving: LeavingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.mail.background) return;
    const run = () => {
      this.running = this.running
        .then(async () => {
          if (this.stopped) return;
          const left = await this.leaving.leavePastEndDate('system');
          if (left.length > 0)
            this.logger.log({ msg: 'access ended after last day', count: left.length });
        })
        .catch((error: unknown) => this.logger.error({ err: error, msg: 'leaving pass failed' }));
    };
    for (const timer of [setTimeout(run, FIRST_MS), setInterval(run, EVERY_MS)]) {
      timer.unref();
      this.timers.push(timer);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    await this.running;
  }
}
