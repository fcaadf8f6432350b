// Where webhooks may be sent (decision 0044): a pure decision on a URL and on the address its host resolved to.
// In production only https://, and never to loopback, private, link-local or unspecified addresses unless
// WEBHOOK_ALLOW_PRIVATE lists the host or a CIDR holding the address; in development and tests http:// to such
// targets is allowed. The same check runs at subscription (on the literal host) and at each delivery (on the
// address actually connected to, so that a name that later resolves to 127.0.0.1 is refused: DNS rebinding).
import { BlockList, isIP } from 'node:net';

/** Hosts and CIDRs an operator allows despite being private (WEBHOOK_ALLOW_PRIVATE). */
export interface AllowList {
  hosts: ReadonlySet<string>;
  blocks: BlockList;
  /** As configured, for messages and docs. */
  entries: readonly string[];
}

export interface UrlPolicy {
  production: boolean;
  allow: AllowList;
}

const PRIVATE_V4 = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  // Benchmarking (RFC 2544), multicast, reserved and the limited broadcast: never a receiver on the internet.
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
  ['255.255.255.255', 32],
] as const;
const PRIVATE_V6 = [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  // Site-local (deprecated, still routed inside some networks) and multicast.
  ['fec0::', 10],
  ['ff00::', 8],
] as const;

const privateBlocks = new BlockList();
for (const [net, prefix] of PRIVATE_V4) privateBlocks.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of PRIVATE_V6) privateBlocks.addSubnet(net, prefix, 'ipv6');

/** A host as URLs write it, without IPv6 brackets or the root's trailing dot (`localhost.` is `localhost`), lowercase. */
export const bareHost = (hostname: string) =>
  hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.+$/, '')
    .toLowerCase();

/** The 16 bytes of an IPv6 address (a dotted IPv4 tail included), or undefined when it is not one. */
function ipv6Bytes(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address.replace(/%.*$/, '');
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  if (all.length !== 8) return undefined;
  return all.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

/**
 * The IPv4 address an IPv6 address carries and would reach: IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible
 * (`::a.b.c.d`), NAT64 (`64:ff9b::/96`) or 6to4 (`2002:AABB:CCDD::/48`); undefined for any other.
 */
export function embeddedIPv4(address: string): string | undefined {
  const bytes = ipv6Bytes(address);
  if (!bytes) return undefined;
  const zero = (from: number, to: number) => bytes.slice(from, to).every((byte) => byte === 0);
  const v4 = (from: number) => bytes.slice(from, from + 4).join('.');
  if (zero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return v4(12);
  if (zero(0, 12)) return v4(12);
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zero(4, 12)) return v4(12);
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return v4(2);
  return undefined;
}

/** The address itself and the IPv4 address it carries, if any: each must pass. */
const addressesOf = (address: string): string[] => {
  const embedded = embeddedIPv4(address);
  return embedded === undefined ? [address] : [address, embedded];
};

const inBlocks = (blocks: BlockList, address: string) => {
  const family = isIP(address);
  return family !== 0 && blocks.check(address, family === 4 ? 'ipv4' : 'ipv6');
};

/**
 * Loopback, private (RFC 1918, ULA, CGNAT), link-local, site-local, benchmarking, multicast, reserved or unspecified:
 * an address inside the operator's network or no receiver at all; an IPv6 address carrying such an IPv4 one too.
 */
export function isPrivateAddress(address: string): boolean {
  const plain = bareHost(address);
  if (isIP(plain) === 0) return false;
  return addressesOf(plain).some((candidate) => inBlocks(privateBlocks, candidate));
}

/** `localhost` and its subdomains, written with or without the root's trailing dot. */
const isLocalName = (host: string) => {
  const name = bareHost(host);
  return name === 'localhost' || name.endsWith('.localhost');
};

/** Parses WEBHOOK_ALLOW_PRIVATE: host names, addresses and CIDRs separated by commas; throws naming a bad entry. */
export function parseAllowList(text: string | undefined): AllowList {
  const entries = (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const hosts = new Set<string>();
  const blocks = new BlockList();
  for (const entry of entries) {
    const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
    if (cidr) {
      const family = isIP(bareHost(cidr[1]!));
      const prefix = Number(cidr[2]);
      if (family === 0 || prefix > (family === 4 ? 32 : 128)) throw new Error(`${entry} is not a CIDR like 10.0.0.0/8 or fd00::/8`);
      blocks.addSubnet(bareHost(cidr[1]!), prefix, family === 4 ? 'ipv4' : 'ipv6');
    } else if (isIP(bareHost(entry)) !== 0 || /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(entry)) {
      hosts.add(bareHost(entry));
    } else throw new Error(`${entry} is neither a host name, an address nor a CIDR`);
  }
  return { hosts, blocks, entries };
}

function allowedPrivate(allow: AllowList, host: string, address?: string): boolean {
  if (allow.hosts.has(bareHost(host))) return true;
  const target = bareHost(address ?? host);
  if (isIP(target) === 0) return false;
  // The address or the IPv4 address it carries, listed: `::ffff:10.0.0.5` when 10.0.0.0/8 is.
  return addressesOf(target).some((candidate) => allow.hosts.has(candidate) || inBlocks(allow.blocks, candidate));
}

/**
 * Why a subscription's URL is refused, or undefined when it may be used. Judged on the literal host: a name
 * is resolved only at delivery (`addressRefusal`).
 */
export function urlRefusal(text: string, policy: UrlPolicy): string | undefined {
  if (!URL.canParse(text)) return 'must be an absolute URL';
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return policy.production ? 'must be an https:// URL' : 'must be an http:// or https:// URL';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials: the signature authenticates the service';
  if (url.hash !== '') return 'must not have a fragment';
  const host = bareHost(url.hostname);
  const local = isLocalName(host) || isPrivateAddress(host);
  if (!policy.production) return undefined;
  if (url.protocol !== 'https:') return 'must be an https:// URL in production';
  if (local && !allowedPrivate(policy.allow, host)) return `${host} is a loopback or private address; list it in WEBHOOK_ALLOW_PRIVATE to allow it`;
  return undefined;
}

/** Why a delivery to `host`, resolved to `address`, is refused (production only), or undefined. */
export function addressRefusal(host: string, address: string, policy: UrlPolicy): string | undefined {
  if (!policy.production) return undefined;
  if (!isPrivateAddress(address) && !isLocalName(host)) return undefined;
  if (allowedPrivate(policy.allow, host, address)) return undefined;
  return `${host} resolved to ${address}, a loopback or private address not listed in WEBHOOK_ALLOW_PRIVATE`;
}
