/**
 * Signed tokens for the confirm and unsubscribe links: "<subscriber id>.<HMAC-SHA256>" over the
 * purpose, the id and the subscriber's random nonce. Nothing about the address is in the link, a
 * confirm token never unsubscribes (and vice versa), and once an address is deleted its nonce is gone,
 * so its old links stop working even if SQLite reuses nothing else.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type LinkPurpose = 'confirm' | 'unsubscribe';

export class LinkSigner {
  constructor(private readonly secret: string) {
    if (secret.length < 16) throw new Error('the newsletter link secret must be at least 16 characters long');
  }

  sign(purpose: LinkPurpose, subscriber: { id: number; nonce: string }): string {
    return `${subscriber.id}.${this.mac(purpose, subscriber.id, subscriber.nonce)}`;
  }

  /** The subscriber id a token claims, or null when it is malformed. Check it with `verify` afterwards. */
  claimedId(token: unknown): number | null {
    if (typeof token !== 'string') return null;
    const match = /^([1-9][0-9]{0,14})\.([A-Za-z0-9_-]{43})$/.exec(token);
    return match ? Number(match[1]) : null;
  }

  /** Whether `token` is this purpose's signature for the subscriber (constant time). */
  verify(purpose: LinkPurpose, token: string, subscriber: { id: number; nonce: string }): boolean {
    const expected = Buffer.from(this.sign(purpose, subscriber), 'utf8');
    const given = Buffer.from(token, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(purpose: LinkPurpose, id: number, nonce: string): string {
    return createHmac('sha256', this.secret).update(`newsletter-${purpose}-v1\n${id}\n${nonce}`, 'utf8').digest('base64url');
  }
}
