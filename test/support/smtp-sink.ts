import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: string;
  parsed: ParsedMail;
}

export interface SmtpSink {
  /** smtp://user:pass@127.0.0.1:<port> */
  url: string;
  messages: ReceivedMail[];
  /** Every message to this address, in order of acceptance. */
  to(address: string): ReceivedMail[];
  /** Resolves once `count` messages have been accepted in total (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** The next `count` messages are refused with a temporary 451 after their data arrived. */
  failNext(count: number): void;
  /** Recipients refused for good at RCPT TO (550, as for an unknown mailbox). */
  refuse(address: string): void;
  /** After `accepted` messages in total, the next transaction stalls at MAIL FROM until release(). */
  stallAfter(accepted: number): void;
  release(): void;
  /** Whether a transaction is waiting at the stall. */
  readonly stalled: boolean;
  close(): Promise<void>;
}

/**
 * A real SMTP server (smtp-server, from the nodemailer project) on 127.0.0.1, requiring the
 * credentials in `url`, that keeps every accepted message. No STARTTLS: the test talks plain smtp://.
 */
export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let failures = 0;
  let stallAt: number | null = null;
  let releaseStall: (() => void) | null = null;
  const refused = new Set<string>();

  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'mailer' && auth.password === 's3cret-pass') return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onMailFrom(_address, _session, callback) {
      if (stallAt !== null && messages.length >= stallAt) {
        releaseStall = () => callback();
        return;
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (!refused.has(address.address)) return callback();
      const error = new Error('No such mailbox here') as Error & { responseCode: number };
      error.responseCode = 550;
      return callback(error);
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (failures > 0) {
          failures -= 1;
          const error = new Error('Try again later: mailbox busy') as Error & { responseCode: number };
          error.responseCode = 451;
          return callback(error);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            messages.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw, parsed });
            for (const waiter of [...waiters]) {
              if (messages.length >= waiter.count) {
                waiters.splice(waiters.indexOf(waiter), 1);
                waiter.resolve();
              }
            }
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://mailer:s3cret-pass@127.0.0.1:${port}`,
    messages,
    to: (address) => messages.filter((message) => message.to.includes(address)),
    waitFor(count, timeoutMs = 10_000) {
      if (messages.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${messages.length} of ${count} mails arrived`)), timeoutMs);
        waiters.push({ count, resolve: () => { clearTimeout(timer); resolve(); } });
      });
    },
    failNext(count) {
      failures = count;
    },
    refuse(address) {
      refused.add(address);
    },
    stallAfter(accepted) {
      stallAt = accepted;
    },
    release() {
      stallAt = null;
      releaseStall?.();
      releaseStall = null;
    },
    get stalled() {
      return releaseStall !== null;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
