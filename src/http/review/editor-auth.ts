/**
 * Editor authentication: the configured editor token, the signed session cookie derived from it,
 * and CSRF tokens bound to a session.
 *
 * Every secret comparison goes through `timingSafeEqual` on fixed-length digests, so neither the
 * content nor the length of a guess leaks through response timing. The cookie never carries the
 * token: it carries the editor's name, an issue time and a random session id, signed with
 * HMAC-SHA256 keyed by the token, so rotating EDITOR_TOKEN signs every editor out. The session id
 * must also be live in the session store: signing out deletes it there, so the old cookie (and its
 * CSRF token) stop working at once, not when the cookie expires.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE_NAME = 'review_session';
/** Cookie scope: the review page and its form endpoints; the JSON API uses Bearer tokens instead. */
export const SESSION_COOKIE_PATH = '/review';
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;
/** Tolerated clock difference for an issue time slightly in the future (several server processes). */
const CLOCK_SKEW_SECONDS = 60;
export const MAX_EDITOR_NAME_LENGTH = 64;
/** The schema's minimum (config `review.editorToken`); repeated here so a hand-built router cannot use a weak one. */
export const MIN_EDITOR_TOKEN_LENGTH = 16;

/** Where live sessions are kept (the database in production: store/editor-sessions-repository.ts). */
export interface SessionStore {
  create(sessionId: string, editor: string, issuedAtSeconds: number, expiresAtSeconds: number): void;
  isActive(sessionId: string, nowSeconds: number): boolean;
  revoke(sessionId: string): boolean;
}

/** Sessions of one process (hand-built routers and unit tests); the server uses the database. */
export class MemorySessionStore implements SessionStore {
  private readonly expiries = new Map<string, number>();
  create(sessionId: string, _editor: string, _issuedAtSeconds: number, expiresAtSeconds: number): void {
    this.expiries.set(sessionId, expiresAtSeconds);
  }
  isActive(sessionId: string, nowSeconds: number): boolean {
    return (this.expiries.get(sessionId) ?? 0) > nowSeconds;
  }
  revoke(sessionId: string): boolean {
    return this.expiries.delete(sessionId);
  }
}

export interface EditorSession {
  /** Random id naming the session in the store. */
  id: string;
  editor: string;
  /** Seconds since the epoch. */
  issuedAt: number;
  /** The cookie value, which CSRF tokens are bound to. */
  value: string;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Equal-length comparison of two strings' digests, in constant time for a given input length. */
export function secretsEqual(candidate: string, expected: string): boolean {
  return timingSafeEqual(sha256(candidate), sha256(expected));
}

/**
 * An editor's display name for the "who" of decisions: trimmed, inner whitespace collapsed,
 * 1-64 characters, no control characters. Returns null when unusable.
 */
export function normalizeEditorName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const name = raw.replace(/\s+/g, ' ').trim();
  if (name.length === 0 || name.length > MAX_EDITOR_NAME_LENGTH) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return null;
  return name;
}

export class EditorAuth {
  constructor(
    private readonly token: string,
    private readonly nowMs: () => number = Date.now,
    private readonly sessions: SessionStore = new MemorySessionStore(),
  ) {
    if (token.length < MIN_EDITOR_TOKEN_LENGTH) {
      throw new Error(`the editor token must be at least ${MIN_EDITOR_TOKEN_LENGTH} characters long`);
    }
    // A blank token (16 spaces) could be typed into the sign-in form; the API could never send it.
    if (!/^\S+$/.test(token)) {
      throw new Error('the editor token must not be blank or contain whitespace');
    }
  }

  tokenMatches(candidate: string): boolean {
    return secretsEqual(candidate, this.token);
  }

  /** The value of `Authorization: Bearer <token>` when it is the editor token. */
  bearerMatches(authorization: string | undefined): boolean {
    if (authorization === undefined) return false;
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    return match !== null && this.tokenMatches(match[1]);
  }

  issueSession(editor: string): EditorSession {
    const issuedAt = Math.floor(this.nowMs() / 1000);
    const id = randomBytes(18).toString('base64url');
    this.sessions.create(id, editor, issuedAt, issuedAt + SESSION_MAX_AGE_SECONDS);
    const payload = Buffer.from(JSON.stringify({ e: editor, t: issuedAt, s: id }), 'utf8').toString('base64url');
    return { id, editor, issuedAt, value: `${payload}.${this.sign('session', payload)}` };
  }

  /** Sign-out: the session's cookie and CSRF token are refused from now on. */
  endSession(session: EditorSession): void {
    this.sessions.revoke(session.id);
  }

  /** The session a cookie value proves, or null when it is forged, malformed, expired or signed out. */
  verifySession(value: string | undefined): EditorSession | null {
    if (value === undefined) return null;
    const dot = value.lastIndexOf('.');
    if (dot <= 0) return null;
    const payload = value.slice(0, dot);
    if (!this.signatureMatches('session', payload, value.slice(dot + 1))) return null;
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    const { e, t, s } = (decoded ?? {}) as { e?: unknown; t?: unknown; s?: unknown };
    const editor = normalizeEditorName(e);
    if (editor === null || typeof t !== 'number' || !Number.isInteger(t) || typeof s !== 'string') return null;
    const nowSeconds = Math.floor(this.nowMs() / 1000);
    const ageSeconds = nowSeconds - t;
    if (ageSeconds > SESSION_MAX_AGE_SECONDS || ageSeconds < -CLOCK_SKEW_SECONDS) return null;
    if (!this.sessions.isActive(s, nowSeconds)) return null;
    return { id: s, editor, issuedAt: t, value };
  }

  /** A CSRF token valid only together with this session's cookie. */
  csrfTokenFor(session: EditorSession): string {
    return this.sign('csrf', session.value);
  }

  csrfMatches(session: EditorSession, candidate: unknown): boolean {
    return typeof candidate === 'string' && this.signatureMatches('csrf', session.value, candidate);
  }

  private sign(purpose: 'session' | 'csrf', message: string): string {
    // The purpose prefix keeps a session signature from ever being accepted as a CSRF token and vice versa.
    return createHmac('sha256', this.token).update(`review-${purpose}-v1\n${message}`, 'utf8').digest('base64url');
  }

  private signatureMatches(purpose: 'session' | 'csrf', message: string, candidate: string): boolean {
    return secretsEqual(candidate, this.sign(purpose, message));
  }
}

/** Reads one cookie from a Cookie header; undefined when absent or not decodable. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Set-Cookie value for a session (`secure` when the request came over HTTPS). */
export function sessionCookieHeader(session: EditorSession, secure: boolean): string {
  return [
    `${SESSION_COOKIE_NAME}=${encodeURIComponent(session.value)}`,
    `Path=${SESSION_COOKIE_PATH}`,
    `Max-Age=${SESSION_MAX_AGE_SECONDS}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookieHeader(secure: boolean): string {
  return [
    `${SESSION_COOKIE_NAME}=`,
    `Path=${SESSION_COOKIE_PATH}`,
    'Max-Age=0',
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
