import { createDigestBuilder, type DigestBuildResult } from '../digest/build-digest';
import { digestPlainText } from '../digest/digest-feed';
import type { Services } from '../services';

export interface DigestCommandOptions {
  /** "Now" for choosing the latest completed period; defaults to the current time. */
  at?: Date;
}

/**
 * Builds the digest of the latest completed period (or returns the stored one: an issue, once built,
 * never changes) and prints it. `created` says which of the two happened.
 */
export function digestCommand(
  services: Pick<Services, 'db' | 'config'>,
  out: NodeJS.WritableStream,
  options: DigestCommandOptions = {},
): DigestBuildResult {
  const builder = createDigestBuilder(services);
  const result = builder.buildLatest(options.at ?? new Date());
  out.write(result.created ? 'Built a new digest.\n\n' : 'This period\'s digest was already built; showing the stored issue.\n\n');
  out.write(digestPlainText(result.digest));
  return result;
}
