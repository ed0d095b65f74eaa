import { type ParsedMail, simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly envelopeTo: string[];
  readonly parsed: ParsedMail;
  readonly raw: string;
}

/**
 * A real SMTP server for tests (smtp-server), which parses what arrives with mailparser.
 * `refuse` answers RCPT TO for an address with a reply code: 550 for good, 421 the first
 * `times` times (a server that is busy, then recovers).
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  private readonly refusals = new Map<string, { code: number; times: number }>();
  private server!: SMTPServer;
  port = 0;
  /** Credentials the sink accepts; any other login is refused with 535. */
  readonly user = 'attest';
  readonly password = 'sink-p@ss/word';

  static async start(options: { delayMs?: number } = {}): Promise<SmtpSink> {
    const sink = new SmtpSink();
    sink.server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      authOptional: false,
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === sink.user && auth.password === sink.password) {
          return callback(null, { user: auth.username });
        }
        const error = Object.assign(new Error('Invalid credentials'), { responseCode: 535 });
        return callback(error);
      },
      onRcptTo: (address, _session, callback) => {
        const refusal = sink.refusals.get(address.address.toLowerCase());
        if (refusal && refusal.times > 0) {
          refusal.times--;
          const text = refusal.code >= 500 ? '5.1.1 mailbox unavailable' : '4.3.2 try again later';
          return callback(Object.assign(new Error(text), { responseCode: refusal.code }));
        }
        return callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          void simpleParser(raw).then((parsed) => {
            sink.received.push({
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              parsed,
              raw,
            });
            setTimeout(() => callback(), options.delayMs ?? 0);
          }, callback);
        });
      },
    });
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    sink.port = (sink.server.server.address() as AddressInfo).port;
    return sink;
  }

  /** The SMTP_URL that reaches this sink, with its credentials percent-encoded. */
  get url(): string {
    return `smtp://${this.user}:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}`;
  }

  refuse(address: string, code: number, times = Number.POSITIVE_INFINITY): void {
    this.refusals.set(address.toLowerCase(), { code, times });
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.envelopeTo.includes(address));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
