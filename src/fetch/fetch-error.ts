/** Why a fetch did not produce a document. Values, not exceptions: the scheduler records them per feed. */
export interface FetchError {
  code:
    | 'bad-url'
    | 'blocked-address'
    | 'dns'
    | 'network'
    | 'timeout'
    | 'too-large'
    | 'too-many-redirects'
    | 'http-status'
    | 'not-a-feed';
  /** Human readable; always names the URL involved. */
  message: string;
  status?: number;
  retryAfterSeconds?: number;
  /** True when retrying cannot help (410 Gone, a URL that is not http(s)); the scheduler may disable the feed. */
  permanent: boolean;
}

export function fetchError(
  code: FetchError['code'],
  message: string,
  extra: { status?: number; retryAfterSeconds?: number; permanent?: boolean } = {},
): FetchError {
  const error: FetchError = { code, message, permanent: extra.permanent ?? false };
  if (extra.status !== undefined) error.status = extra.status;
  if (extra.retryAfterSeconds !== undefined) error.retryAfterSeconds = extra.retryAfterSeconds;
  return error;
}
