/**
 * Readable one-line logs in logfmt style ("time level message key=value ..."), which both people
 * and log shippers can read. Level from LOG_LEVEL (debug, info, warn, error); default info.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function formatValue(value: string | number | boolean | null): string {
  const text = String(value);
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
}

export function createLogger(
  options: { level?: LogLevel; write?: (line: string) => void; fields?: LogFields } = {},
): Logger {
  const level = options.level ?? parseLevel(process.env.LOG_LEVEL);
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const base = options.fields ?? {};
  const log = (at: LogLevel, message: string, fields: LogFields = {}) => {
    if (ORDER[at] < ORDER[level]) return;
    const parts = [new Date().toISOString(), at.toUpperCase().padEnd(5), message];
    for (const [key, value] of Object.entries({ ...base, ...fields })) {
      if (value !== undefined) parts.push(`${key}=${formatValue(value)}`);
    }
    write(parts.join(' '));
  };
  return {
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
    child: (fields) => createLogger({ level, write, fields: { ...base, ...fields } }),
  };
}

function parseLevel(raw: string | undefined): LogLevel {
  return raw === 'debug' || raw === 'info' || raw === 'warn' || raw === 'error' ? raw : 'info';
}

/** For tests and scripts that must stay quiet. */
export const silentLogger: Logger = createLogger({ level: 'error', write: () => {} });

/** Adapts a Logger to sinks that pass arbitrary field values (objects are JSON-encoded). */
export function withLooseFields(logger: Logger): {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
} {
  const flatten = (fields: Record<string, unknown> = {}): LogFields =>
    Object.fromEntries(
      Object.entries(fields).map(([key, value]) => [
        key,
        value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)
          ? (value as LogFields[string])
          : JSON.stringify(value),
      ]),
    );
  return {
    info: (message, fields) => logger.info(message, flatten(fields)),
    error: (message, fields) => logger.error(message, flatten(fields)),
  };
}
