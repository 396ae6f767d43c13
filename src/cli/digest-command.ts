import { createDigestBuilder, type DigestBuildResult } from '../digest/build-digest';
import { digestPlainText } from '../digest/digest-feed';
import type { Digest } from '../digest/digest-types';
import type { Services } from '../services';
import { DigestsRepository } from '../store/digests-repository';

export interface DigestCommandOptions {
  /** "Now" for choosing the latest completed period; defaults to the current time; never later than now. */
  at?: Date;
  /** Remove the stored issue of that period first and build it again from the stories as they are now. */
  rebuild?: boolean;
  /** The real clock (tests). */
  now?: Date;
}

/**
 * Builds the digest of the latest completed period (or returns the stored one: an issue, once built,
 * never changes) and prints it. `created` says which of the two happened. A date later than now is
 * refused (DigestDateInFutureError): it would store an issue dated in the future.
 */
export function digestCommand(
  services: Pick<Services, 'db' | 'config'>,
  out: NodeJS.WritableStream,
  options: DigestCommandOptions = {},
): DigestBuildResult {
  const builder = createDigestBuilder(services);
  const now = options.now ?? new Date();
  const at = options.at ?? now;
  if (options.rebuild) {
    const result = builder.rebuildLatest(at, now);
    out.write(result.removed ? 'Removed the stored issue and built it again.\n\n' : 'No issue was stored for this period; built a new one.\n\n');
    out.write(digestPlainText(result.digest));
    return result;
  }
  const result = builder.buildLatest(at, now);
  out.write(result.created ? 'Built a new digest.\n\n' : 'This period\'s digest was already built; showing the stored issue.\n\n');
  out.write(digestPlainText(result.digest));
  return result;
}

export class DigestNotFoundError extends Error {
  constructor(readonly which: string) {
    super(`no stored digest for ${which}`);
    this.name = 'DigestNotFoundError';
  }
}

/**
 * Removes wrongly built issues: `which` is an issue's date (YYYY-MM-DD, as in /digests/<date>) or
 * its period end (an ISO instant). Prints what was removed; DigestNotFoundError when nothing matches.
 */
export function digestRemoveCommand(services: Pick<Services, 'db'>, out: NodeJS.WritableStream, which: string): Digest[] {
  const digests = new DigestsRepository(services.db);
  let found: Digest[];
  if (/^\d{4}-\d{2}-\d{2}$/.test(which)) {
    found = digests.findAllByPeriodDate(which);
  } else {
    const end = new Date(which);
    const stored = Number.isNaN(end.getTime()) ? null : digests.findByPeriodEnd(end);
    found = stored === null ? [] : [stored];
  }
  if (found.length === 0) throw new DigestNotFoundError(which);
  digests.remove(found);
  for (const digest of found) out.write(`Removed the digest of ${digest.periodDate} (period ${digest.periodStart} to ${digest.periodEnd}).\n`);
  return found;
}
