import { createTransport, type Transporter } from 'nodemailer';
import { type DeliveryOutcome, MailTransport, type OutgoingMail } from './mail-transport';

interface SmtpError {
  readonly responseCode?: number;
  readonly response?: string;
  readonly code?: string;
}

/**
 * Mail through SMTP with nodemailer: a small pool of connections, reused across messages.
 * RFC 5321 §4.2.1: a 4yz reply is transient (retried later), a 5yz reply permanent; a lost
 * connection or a timeout is transient too.
 */
export class SmtpMailTransport extends MailTransport {
  readonly name = 'smtp';
  private readonly transporter: Transporter;

  constructor(
    url: string,
    private readonly from: string,
    private readonly replyTo: string | undefined,
  ) {
    super();
    const parsed = new URL(url);
    this.transporter = createTransport({
      pool: true,
      maxConnections: 5,
      // The outbox retries, with backoff and the reason on record; the pool must not resend
      // on its own after a 421 or a dropped connection.
      maxRequeues: 0,
      host: parsed.hostname,
      port: parsed.port ? Number(parsed.port) : parsed.protocol === 'smtps:' ? 465 : 587,
      secure: parsed.protocol === 'smtps:',
      auth: parsed.username
        ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) }
        : undefined,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
      // Never log: the SMTP conversation holds addresses and the credentials.
      logger: false,
      debug: false,
    });
  }

  async send(mail: OutgoingMail): Promise<DeliveryOutcome> {
    try {
      const info = await this.transporter.sendMail({
        from: this.from,
        replyTo: this.replyTo,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        date: mail.date,
        headers: { ...mail.headers },
      });
      return { delivered: true, response: String(info.response ?? 'accepted') };
    } catch (error) {
      const { responseCode, response, code } = error as SmtpError;
      // Only the server's verdict on this message or its recipient is final. A refused login
      // (EAUTH) or a lost connection is the installation's problem, not the message's: retried.
      const aboutThisMessage = code === 'EENVELOPE' || code === 'EMESSAGE';
      const permanent =
        aboutThisMessage && responseCode !== undefined && responseCode >= 500 && responseCode < 600;
      if (code === 'EAUTH') {
        return {
          delivered: false,
          permanent: false,
          outage: true,
          response: `the mail server refused Attest's login (${responseCode ?? 'EAUTH'}): check the user and password in SMTP_URL`,
        };
      }
      return {
        delivered: false,
        permanent,
        // No reply about this message at all: the server is down or unreachable.
        outage: !aboutThisMessage && responseCode === undefined,
        response:
          response ??
          (code
            ? `no answer from the mail server (${code})`
            : 'the mail server could not be reached'),
      };
    }
  }

  override close(): void {
    this.transporter.close();
  }
}
