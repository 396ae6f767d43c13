/**
 * A start-up failure the operator can fix: one readable line naming the file and what to do,
 * printed without a stack trace by server.ts and cli.ts (exit code 1).
 */
export class StartupError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`cannot start: ${problem} (${file}). ${fix}`);
    this.name = 'StartupError';
  }
}

/** The error's own message, without the stack: what SQLite or the file system said. */
export function causeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${message} [${code}]` : message;
}
