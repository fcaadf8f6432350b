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
] as const;
const PRIVATE_V6 = [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const;

const privateBlocks = new BlockList();
for (const [net, prefix] of PRIVATE_V4) privateBlocks.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of PRIVATE_V6) privateBlocks.addSubnet(net, prefix, 'ipv6');

/** A host as URLs write it, without IPv6 brackets, lowercase. */
export const bareHost = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/** The IPv4 address an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) stands for, or the address itself. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** Loopback, private (RFC 1918, ULA, CGNAT), link-local or unspecified: an address inside the operator's network. */
export function isPrivateAddress(address: string): boolean {
  const plain = unmapped(address);
  const family = isIP(plain);
  if (family === 0) return false;
  return privateBlocks.check(plain, family === 4 ? 'ipv4' : 'ipv6');
}

const isLocalName = (host: string) => host === 'localhost' || host.endsWith('.localhost');

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
  if (allow.hosts.has(host)) return true;
  const target = address ?? host;
  const plain = unmapped(target);
  const family = isIP(plain);
  if (family !== 0 && (allow.hosts.has(plain) || allow.blocks.check(plain, family === 4 ? 'ipv4' : 'ipv6'))) return true;
  return false;
}

/**
 * Why a subscription's URL is refused, or undefined when it may be used. Judged on the literal host: a name
 * is resolved only at delivery (`addressRefusal`).
 */
export function urlRefusal(text: string, policy: UrlPolicy): string | undefined {
  if (!URL.canParse(text)) return 'must be an absolute URL';
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https:// URL';
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
  if (!isPrivateAddress(address) && !isLocalName(bareHost(host))) return undefined;
  if (allowedPrivate(policy.allow, bareHost(host), address)) return undefined;
  return `${host} resolved to ${address}, a loopback or private address not listed in WEBHOOK_ALLOW_PRIVATE`;
}
