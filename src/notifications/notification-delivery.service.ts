import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AuditService } from '../audit/audit.service';
import { calendarDayOf } from '../common/calendar-day';
import { Clock } from '../common/clock';
import { MailTransport, type OutgoingMail } from './mail-transport';
import { NotificationStatus, OPTIONAL_KINDS } from './notification-kind';
import { type ClaimedNotification, NotificationRepository } from './notification.repository';
import { AttestMetrics } from '../metrics/attest-metrics';

/** Messages claimed, and sent, at once: a claim never waits behind other chunks. */
const CHUNK = 20;
/**
 * A chunk's claim outlives its SMTP conversations (20 messages over 5 connections with a 60 s
 * socket timeout); a worker that vanished loses it after this.
 */
const CLAIM_MS = 5 * 60_000;
/**
 * A message the server answers with a transient error (4xx) is retried this many times in all,
 * backing off 1, 2, 4 … 60 minutes. An outage of the installation (no connection, a refused
 * login) does not count against the message: it is retried, hourly at most, until it ends.
 */
export const MAX_ATTEMPTS = 8;

export function retryDelayMs(attempts: number): number {
  return Math.min(60, 2 ** (attempts - 1)) * 60_000;
}

/** What one attempt decided, to be recorded with its audit event. */
interface Outcome {
  readonly n: ClaimedNotification;
  readonly status: NotificationStatus;
  readonly reason: string;
  /** A transient failure: try again after this long. */
  readonly retryInMs?: number;
  /** Final outcomes are audited; a retry is not (the message's row keeps the reason). */
  readonly audit?: { readonly action: string; readonly details: Record<string, unknown> };
}

export interface DeliverySummary {
  sent: number;
  failed: number;
  retrying: number;
  suppressed: number;
}

/**
 * Delivers the outbox. Workers claim a chunk at a time with SKIP LOCKED, so two instances never
 * take the same message; a claim that lapses (the worker died) is taken over after CLAIM_MS,
 * and only the claim's holder (its token) records an outcome. The one window left is a crash
 * after the server accepted a message and before it was marked sent: the retry carries the same
 * Message-ID, by which receiving systems recognise a repeat.
 */
@Injectable()
export class NotificationDelivery {
  private readonly logger = new Logger(NotificationDelivery.name);

  constructor(
    private readonly em: EntityManager,
    private readonly notifications: NotificationRepository,
    private readonly transport: MailTransport,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly metrics?: AttestMetrics,
  ) {}

  /** Sends until nothing is due, or until `signal` aborts (between chunks, never mid-send). */
  async drain(signal?: AbortSignal): Promise<DeliverySummary> {
    const summary: DeliverySummary = { sent: 0, failed: 0, retrying: 0, suppressed: 0 };
    const token = randomUUID();
    // Each chunk is recorded while the next one is being claimed and sent.
    let recording: Promise<void> = Promise.resolve();
    try {
      while (!signal?.aborted) {
        const claimed = await this.notifications.claim(this.clock.now(), CHUNK, CLAIM_MS, token);
        if (claimed.length === 0) break;
        const relevance = await this.notifications.relevance(
          claimed.map((n) => n.id),
          calendarDayOf(this.clock.now()),
        );
        const outcomes = await Promise.all(
          claimed.map((n) => this.attempt(n, relevance.get(n.id) ?? null)),
        );
        await recording;
        recording = this.settle(token, outcomes, summary);
      }
    } finally {
      await recording;
    }
    return summary;
  }

  /** Sends one message, or decides not to; what to record comes back. */
  private async attempt(
    n: ClaimedNotification,
    suppressedBecause: string | null,
  ): Promise<Outcome> {
    if (suppressedBecause) {
      return {
        n,
        status: NotificationStatus.Suppressed,
        reason: suppressedBecause,
        audit: { action: 'notification.suppressed', details: { reason: suppressedBecause } },
      };
    }
    const outcome = await this.transport.send(this.outgoing(n));
    if (outcome.delivered) {
      return {
        n,
        status: NotificationStatus.Sent,
        reason: outcome.response,
        audit: { action: 'notification.sent', details: { transport: this.transport.name } },
      };
    }
    if (!outcome.permanent && (outcome.outage || n.attempts < MAX_ATTEMPTS)) {
      return {
        n,
        status: NotificationStatus.Queued,
        reason: `attempt ${n.attempts} failed, will retry: ${outcome.response}`,
        retryInMs: retryDelayMs(n.attempts),
      };
    }
    // The server's words can quote the address: the log and the audit event say only what
    // kind of failure it was.
    this.logger.warn({
      notificationId: n.id,
      permanent: outcome.permanent,
      msg: 'notification failed',
    });
    return {
      n,
      status: NotificationStatus.Failed,
      reason: outcome.permanent
        ? `refused by the mail server: ${outcome.response}`
        : `gave up after ${n.attempts} attempts: ${outcome.response}`,
      audit: {
        action: 'notification.failed',
        details: { permanent: outcome.permanent, attempts: n.attempts },
      },
    };
  }

  /**
   * A chunk's outcomes and their audit events, in one transaction: each message is recorded as
   * sent (failed, suppressed) together with its audit event, or neither is. One commit per
   * chunk rather than per message: the audit chain's lock is taken once for the chunk.
   */
  private async settle(
    token: string,
    outcomes: readonly Outcome[],
    summary: DeliverySummary,
  ): Promise<void> {
    const counted: string[] = [];
    await this.em.fork().transactional(async (em) => {
      for (const { n, status, reason, retryInMs, audit } of outcomes) {
        const now = this.clock.now();
        const settled = await this.notifications.settle(
          em,
          n.id,
          token,
          {
            status,
            reason,
            ...(status === NotificationStatus.Sent && { sentAt: now }),
            ...(retryInMs !== undefined && { nextAttemptAt: new Date(now.getTime() + retryInMs) }),
          },
          now,
        );
        if (!settled) continue;
        counted.push(retryInMs !== undefined ? 'retrying' : status);
        if (status === NotificationStatus.Sent) summary.sent++;
        else if (status === NotificationStatus.Failed) summary.failed++;
        else if (status === NotificationStatus.Suppressed) summary.suppressed++;
        else summary.retrying++;
        if (!audit) continue;
        await this.audit.recordIn(em, {
          action: audit.action,
          subjectType: n.aboutPersonId || n.recipientPersonId ? 'person' : 'notification',
          subjectId: n.aboutPersonId ?? n.recipientPersonId ?? n.id,
          details: { notificationId: n.id, kind: n.kind, items: n.itemCount, ...audit.details },
        });
      }
    });
    // Counted once committed: a chunk whose transaction rolled back recorded nothing.
    for (const outcome of counted) this.metrics?.notifications.inc({ outcome });
  }

  /** A mailto: to whoever answers replies, which a person there acts on. */
  private unsubscribe(): string {
    const address =
      this.config.mail.replyTo ??
      /<([^>]+)>/.exec(this.config.mail.from)?.[1] ??
      this.config.mail.from;
    return `<mailto:${address}?subject=${encodeURIComponent('Unsubscribe from the Attest digest')}>`;
  }

  private outgoing(n: ClaimedNotification): OutgoingMail {
    return {
      to: n.recipientEmail,
      subject: n.subject,
      text: n.textBody,
      html: n.htmlBody,
      messageId: n.messageId,
      date: this.clock.now(),
      headers: {
        // RFC 3834 §5: machine-written; auto-responders must not answer it.
        'Auto-Submitted': 'auto-generated',
        'X-Auto-Response-Suppress': 'All',
        // RFC 2369: only optional mail (the digests) offers a way out. Reminders of required
        // work do not: their frequency is bounded by the rules file instead.
        ...(OPTIONAL_KINDS.has(n.kind) && { 'List-Unsubscribe': this.unsubscribe() }),
      },
    };
  }
}
