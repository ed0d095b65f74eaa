/** A message as handed to the transport. */
export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** RFC 5322 Message-ID, the same on every attempt. */
  readonly messageId: string;
  readonly date: Date;
  readonly headers: Readonly<Record<string, string>>;
}

/** What the mail server said. `permanent` failures (5xx) are not retried. */
export type DeliveryOutcome =
  | { readonly delivered: true; readonly response: string }
  | {
      readonly delivered: false;
      readonly permanent: boolean;
      /** The installation's problem (no connection, a refused login), not this message's. */
      readonly outage?: boolean;
      readonly response: string;
    };

/**
 * Where mail goes: an SMTP server (SmtpMailTransport), or, with no SMTP_URL outside
 * production, nowhere: the outbox row is the mail, shown at /dev/mailbox (DevMailboxTransport).
 */
export abstract class MailTransport {
  /** Shown in the outbox and the CLI: `smtp`, or `dev-mailbox`. */
  abstract readonly name: string;
  abstract send(mail: OutgoingMail): Promise<DeliveryOutcome>;
  close(): void {}

  /** Nest calls this at shutdown: pooled connections are closed politely (QUIT). */
  onModuleDestroy(): void {
    this.close();
  }
}

/** The demo's transport: the message is already stored; delivering it changes nothing. */
export class DevMailboxTransport extends MailTransport {
  readonly name = 'dev-mailbox';

  send(): Promise<DeliveryOutcome> {
    return Promise.resolve({
      delivered: true,
      response: 'kept in the development mailbox (no SMTP_URL)',
    });
  }
}
