// Browser mode's rule for pack installs from the web: http(s) only, and an address on this machine or a
// private network only when the person typed it into the editor's field (installPack's `typed` flag, which
// the editor's Models dialog sets and nothing else does). Otherwise a page holding the token, or a link
// handed to the person, could make the engine fetch from services that only this machine can reach.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { StirError } from '../shared/index.js';

/** Loopback, private, link-local, carrier-grade NAT, unique-local and unspecified ranges (RFC 1918, 4193, 6598). */
const LOCAL_ADDRESSES = new BlockList();
LOCAL_ADDRESSES.addSubnet('0.0.0.0', 8, 'ipv4');
LOCAL_ADDRESSES.addSubnet('10.0.0.0', 8, 'ipv4');
LOCAL_ADDRESSES.addSubnet('100.64.0.0', 10, 'ipv4');
LOCAL_ADDRESSES.addSubnet('127.0.0.0', 8, 'ipv4');
LOCAL_ADDRESSES.addSubnet('169.254.0.0', 16, 'ipv4');
LOCAL_ADDRESSES.addSubnet('172.16.0.0', 12, 'ipv4');
LOCAL_ADDRESSES.addSubnet('192.168.0.0', 16, 'ipv4');
LOCAL_ADDRESSES.addAddress('::', 'ipv6');
LOCAL_ADDRESSES.addAddress('::1', 'ipv6');
LOCAL_ADDRESSES.addSubnet('fc00::', 7, 'ipv6');
LOCAL_ADDRESSES.addSubnet('fe80::', 10, 'ipv6');

export function isLocalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  // BlockList checks an IPv4 address written as IPv6 (::ffff:7f00:1) against the IPv4 ranges too.
  return LOCAL_ADDRESSES.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** Whether a source names a URL (any scheme) rather than a path on this machine. */
export function looksLikeUrl(source: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source);
}

export type Resolve = (host: string) => Promise<readonly string[]>;

const resolveHost: Resolve = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

/** Refuses a URL browser mode may not install from; `typed` says the person typed it into the editor. */
export async function checkPackUrl(source: string, typed: boolean, resolve = resolveHost): Promise<void> {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new StirError('BAD_REQUEST', `${source} is not a web address Stir can read.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new StirError(
      'BAD_REQUEST',
      `Stir installs packs from http and https addresses, not ${url.protocol}`,
      {
        hint: 'Give an address that starts with https://.',
      },
    );
  }
  if (typed) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses =
    isIP(host) !== 0
      ? [host]
      : host === 'localhost' || host.endsWith('.localhost')
        ? ['127.0.0.1']
        : await resolve(host).catch(() => []);
  if (addresses.some(isLocalAddress)) {
    throw new StirError('UNAUTHORIZED', `${url.host} is on this machine or a private network.`, {
      hint: 'Type the address into the Models dialog yourself to install from there.',
    });
  }
}
