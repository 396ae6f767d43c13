/**
 * Where mail goes: an SMTP server (newsletter.smtpUrl or SMTP_URL, smtp:// or smtps:// with
 * credentials), or, with neither set, .eml files in the outbox folder, so a fresh start works with no
 * mail server and every message can be opened in a mail client.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SendMailOptions, Transporter } from 'nodemailer';

export type OutgoingMail = SendMailOptions;

export interface MailTransport {
  /** 'smtp' or 'outbox', for logs and the CLI. */
  readonly kind: 'smtp' | 'outbox';
  /** Human-readable destination without credentials. */
  readonly description: string;
  /** Resolves once the server accepted the message (or the file is written); rejects with a MailSendError. */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** A failed delivery attempt; `permanent` when retrying cannot help (SMTP 5xx, e.g. unknown recipient). */
export class MailSendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly responseCode: number | null,
  ) {
    super(message);
    this.name = 'MailSendError';
  }
}

export interface TransportSettings {
  smtpUrl: string | null;
  outboxDir: string;
}

/** Per-connection limits: a hung server fails the attempt (and it is retried) instead of stalling a run. */
const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

export function createMailTransport(settings: TransportSettings): MailTransport {
  return settings.smtpUrl === null ? outboxTransport(settings.outboxDir) : smtpTransport(settings.smtpUrl);
}

function withoutCredentials(smtpUrl: string): string {
  try {
    const url = new URL(smtpUrl);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'smtp (unparseable URL)';
  }
}

/**
 * nodemailer is loaded when the first mail goes out: most starts send none (no subscribers yet, or
 * no digest due), and loading it costs start-up time and memory the service would hold all day.
 */
function lazyTransporter(make: (mailer: typeof import('nodemailer')) => Transporter): { get(): Promise<Transporter>; close(): void } {
  let made: Promise<Transporter> | null = null;
  let closed = false;
  return {
    get() {
      made ??= import('nodemailer').then(make);
      return made;
    },
    close() {
      if (closed) return;
      closed = true;
      void made?.then((transporter) => transporter.close(), () => undefined);
    },
  };
}

function smtpTransport(smtpUrl: string): MailTransport {
  // One connection, reused between messages: a digest run is sequential anyway.
  const pooled = lazyTransporter((mailer) => mailer.createTransport({ url: smtpUrl, pool: true, maxConnections: 1, ...SMTP_TIMEOUTS }));
  return {
    kind: 'smtp',
    description: withoutCredentials(smtpUrl),
    async send(mail) {
      try {
        await (await pooled.get()).sendMail(mail);
      } catch (error) {
        throw toSendError(error);
      }
    },
    close: () => pooled.close(),
  };
}

function toSendError(error: unknown): MailSendError {
  const detail = error as { message?: unknown; responseCode?: unknown };
  const code = typeof detail.responseCode === 'number' ? detail.responseCode : null;
  const message = typeof detail.message === 'string' ? detail.message : String(error);
  return new MailSendError(message, code !== null && code >= 500 && code < 600, code);
}

function outboxTransport(outboxDir: string): MailTransport {
  const writer = lazyTransporter((mailer) => mailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' }));
  return {
    kind: 'outbox',
    description: `.eml files in ${outboxDir}`,
    async send(mail) {
      let message: Buffer;
      try {
        const info = await (await writer.get()).sendMail(mail);
        message = info.message as Buffer;
      } catch (error) {
        throw toSendError(error);
      }
      mkdirSync(outboxDir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
      const target = path.join(outboxDir, name);
      // Written under a temporary name and renamed, so a reader of the folder never sees half a message.
      const partial = `${target}.partial`;
      writeFileSync(partial, message);
      renameSync(partial, target);
    },
    close: () => writer.close(),
  };
}
