import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import type { FetchError } from './fetch-error';
import { fetchError } from './fetch-error';
import type { FetchOptions } from './fetch-options';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Addresses the guard approved, in resolver order; the request must connect to one of exactly these
 * (no second DNS lookup, which a rebinding DNS server could answer differently).
 */
export interface ApprovedTarget {
  url: URL;
  addresses: ResolvedAddress[];
}

export type GuardResult = { ok: true; target: ApprovedTarget } | { ok: false; error: FetchError };

export type HostResolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const resolveAll: HostResolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Parses a feed URL, accepting only absolute http(s) URLs without credentials. */
export function parseFeedUrl(raw: string): { ok: true; url: URL } | { ok: false; error: FetchError } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, error: fetchError('bad-url', `Not a valid absolute URL: ${raw}`, { permanent: true }) };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      ok: false,
      error: fetchError('bad-url', `Only http and https feeds are fetched, not ${url.protocol} (${raw})`, {
        permanent: true,
      }),
    };
  }
  if (url.username || url.password) {
    return { ok: false, error: fetchError('bad-url', `Credentials in feed URLs are not supported: ${url.host}`, { permanent: true }) };
  }
  return { ok: true, url };
}

/**
 * Why an address must not be fetched, or null when it is public unicast.
 * Allow-listing `unicast` (rather than block-listing ranges) also refuses reserved, benchmarking,
 * broadcast and the IPv6 transition ranges (6to4, Teredo, NAT64) that can embed private IPv4 addresses.
 */
export function blockedAddressReason(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return 'unparseable address';
  }
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    // ::ffff:127.0.0.1 reaches the IPv4 loopback: judge the embedded IPv4 address.
    if (v6.isIPv4MappedAddress()) return blockedAddressReason(v6.toIPv4Address().toString());
    // IPv4-compatible ::a.b.c.d (::/96, deprecated by RFC 4291): URL parsing turns [::127.0.0.1] into
    // [::7f00:1], which ipaddr.js calls unicast. Nothing public lives there; refuse the whole range.
    const parts = v6.parts;
    if (parts.slice(0, 6).every((part) => part === 0) && (parts[6] !== 0 || parts[7] > 1)) return 'ipv4-compatible';
    const range = v6.range();
    return range === 'unicast' ? null : range;
  }
  const range = (parsed as ipaddr.IPv4).range();
  return range === 'unicast' ? null : range;
}

function isAllowListed(url: URL, allowedHosts: readonly string[]): boolean {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const hostname = url.hostname.toLowerCase();
  return allowedHosts.some((entry) => {
    const wanted = entry.trim().toLowerCase();
    return wanted === hostname || wanted === `${hostname}:${port}` || wanted === url.host.toLowerCase();
  });
}

/** URL.hostname keeps the brackets of an IPv6 literal. */
function bareHostname(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Resolves the URL's host and approves one address to connect to.
 * Every resolved address must be public: a host that resolves to both a public and a private
 * address is refused, since the OS could pick either.
 */
export async function approveTarget(
  url: URL,
  options: Pick<FetchOptions, 'allowPrivateNetworks' | 'allowedHosts' | 'allowedUrls'>,
  resolve: HostResolver = resolveAll,
): Promise<GuardResult> {
  const hostname = bareHostname(url);
  const trusted =
    options.allowPrivateNetworks || isAllowListed(url, options.allowedHosts) || (options.allowedUrls ?? []).includes(url.href);

  if (ipaddr.isValid(hostname)) {
    const reason = trusted ? null : blockedAddressReason(hostname);
    if (reason) {
      return { ok: false, error: fetchError('blocked-address', `Refusing to fetch ${url.href}: ${hostname} is a ${reason} address`) };
    }
    return { ok: true, target: { url, addresses: [{ address: hostname, family: hostname.includes(':') ? 6 : 4 }] } };
  }

  let addresses: Array<{ address: string; family: number }>;
  try {
    addresses = await resolve(hostname);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'lookup failed';
    return { ok: false, error: fetchError('dns', `Cannot resolve ${hostname} for ${url.href}: ${code}`) };
  }
  if (addresses.length === 0) {
    return { ok: false, error: fetchError('dns', `No address for ${hostname} (${url.href})`) };
  }
  if (!trusted) {
    for (const { address } of addresses) {
      const reason = blockedAddressReason(address);
      if (reason) {
        return {
          ok: false,
          error: fetchError('blocked-address', `Refusing to fetch ${url.href}: ${hostname} resolves to ${address}, a ${reason} address`),
        };
      }
    }
  }
  return {
    ok: true,
    target: { url, addresses: addresses.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 })) },
  };
}
