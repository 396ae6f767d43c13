/**
 * Validating and normalizing a reader's e-mail address. zod's address check (already a dependency)
 * rejects display names, spaces, missing domains and quoted local parts; we add the SMTP length limits.
 */
import { z } from 'zod';

/** RFC 5321: 254 characters in a path, 64 in the local part. */
const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;

const addressSchema = z.email();

export type AddressCheck = { ok: true; email: string } | { ok: false; problem: string };

/**
 * Trimmed and lower-cased (mailbox providers treat addresses case-insensitively, and one reader must
 * not become two subscribers by typing a capital letter), then validated.
 */
export function normalizeEmailAddress(raw: unknown): AddressCheck {
  if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, problem: 'Please enter your e-mail address.' };
  const email = raw.trim().toLowerCase();
  if (email.length > MAX_ADDRESS_LENGTH || email.indexOf('@') > MAX_LOCAL_PART_LENGTH) {
    return { ok: false, problem: 'That e-mail address is too long.' };
  }
  if (!addressSchema.safeParse(email).success) {
    return { ok: false, problem: 'That does not look like an e-mail address (for example: name@example.com).' };
  }
  return { ok: true, email };
}
