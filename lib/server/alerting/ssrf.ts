// SSRF guard for outbound notifications: refuses destinations that resolve to loopback,
// private, link-local, carrier-grade NAT, multicast or otherwise reserved addresses, unless
// private receivers are allowed (TXDRIFT_ALLOW_PRIVATE_WEBHOOKS=1). Checked when a
// destination is saved (`checkUrl`) and again at connect time (`guardedLookup`, handed to
// node:http as its `lookup`, so the address the socket connects to is the one checked,
// whatever DNS answers by then). Depends on node:dns and node:net only.
import 'server-only';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { lookup as dnsLookupAsync } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['100::', 64],
] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** True when `address` (an IP literal) is not a public unicast address. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const lower = address.toLowerCase();
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) addresses reach the embedded IPv4 address.
  const embedded = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1];
  if (embedded) return blocked.check(embedded, 'ipv4');
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (mappedHex) {
    const n = (parseInt(mappedHex[1]!, 16) << 16) | parseInt(mappedHex[2]!, 16);
    return blocked.check([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'), 'ipv4');
  }
  return blocked.check(lower, 'ipv6');
}

export class SsrfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SsrfError';
  }
}

const refusal = (host: string, address: string) =>
  `${host} resolves to ${address}, a loopback, private or link-local address: refused (set TXDRIFT_ALLOW_PRIVATE_WEBHOOKS=1 for on-premise receivers)`;

const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

/** Throws SsrfError when the URL's host is, or resolves to, a non-public address. */
export async function checkUrl(url: string, allowPrivate: boolean): Promise<void> {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new SsrfError(`only http and https URLs are allowed, got ${u.protocol}`);
  if (u.username || u.password) throw new SsrfError('credentials in the URL are not allowed; use headers');
  if (allowPrivate) return;
  const host = bareHost(u.hostname);
  // A name that does not resolve now cannot be refused now; the connect-time check still applies.
  const addresses = isIP(host) ? [host] : (await dnsLookupAsync(host, { all: true }).catch(() => [])).map((a) => a.address);
  const bad = addresses.find(isPrivateAddress);
  if (bad) throw new SsrfError(refusal(host, bad));
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http.request that fails the connection when any resolved address is not public. */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses as LookupAddress[];
      const bad = allowPrivate ? undefined : list.find((a) => isPrivateAddress(a.address));
      if (bad) return callback(Object.assign(new SsrfError(refusal(hostname, bad.address)), { code: 'ESSRF' }), '');
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} does not resolve`), { code: 'ENOTFOUND' }), '');
      callback(null, first.address, first.family);
    });
  };
}

/** Node skips `lookup` for IP literals: those are checked here before connecting. */
export function literalHostProblem(url: URL, allowPrivate: boolean): string | null {
  const host = bareHost(url.hostname);
  if (allowPrivate || !isIP(host) || !isPrivateAddress(host)) return null;
  return refusal(host, host);
}
