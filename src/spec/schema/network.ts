import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { type Rejection, withHint } from './message.ts';
import { checked } from './refine.ts';

const HOSTNAME_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** A host address: IPv4, IPv6 or a DNS name. Dotted numbers must be a real IPv4 address. */
export function addressRejection(text: string): Rejection | null {
  if (isIPv4(text) || isIPv6(text)) return null;
  if (/^[\d.]+$/.test(text)) {
    return {
      message: 'not a valid IPv4 address',
      hint: 'write four numbers 0-255 separated by dots, e.g. 10.20.11.10',
    };
  }
  if (text.includes(':')) {
    return {
      message: 'not a valid IPv6 address',
      hint: 'write an IPv6 address without brackets or port, e.g. 2001:db8::10',
    };
  }
  const labels = text.replace(/\.$/, '').split('.');
  if (text.length <= 253 && labels.every((label) => HOSTNAME_LABEL.test(label))) return null;
  return {
    message: 'expected an IPv4 address, an IPv6 address or a DNS name',
    hint: 'write e.g. 10.20.11.10, 2001:db8::10 or apim-1.internal.example.com (no scheme, port or path)',
  };
}

export const addressSchema = checked(
  z.string({
    error: (issue) =>
      issue.input === undefined ? undefined : 'expected an address (a string such as 10.20.11.10)',
  }),
  addressRejection,
);

export interface Cidr {
  address: string;
  prefix: number;
  family: 4 | 6;
}

export function parseCidr(text: string): Cidr | Rejection {
  const hint =
    'write an address and a prefix length, e.g. 203.0.113.0/24 or 2001:db8::/32 (/32 or /128 for one address)';
  const parts = text.split('/');
  if (parts.length !== 2) return { message: 'expected a CIDR network (address/prefix)', hint };
  const [address, prefixText] = parts as [string, string];
  const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : null;
  if (family === null) {
    return { message: `the address part is not a valid IPv${address.includes(':') ? 6 : 4} address`, hint };
  }
  const max = family === 4 ? 32 : 128;
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix >= 0 && prefix <= max)) {
    return { message: `the prefix length must be a number from 0 to ${max} for IPv${family}`, hint };
  }
  return { address, prefix, family };
}

export function isCidr(value: Cidr | Rejection): value is Cidr {
  return 'prefix' in value;
}

function ipv4Bits(address: string): bigint {
  return address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6Bits(address: string): bigint {
  let text = address;
  // An embedded IPv4 tail ("::ffff:10.0.0.1") is two more groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const bits = ipv4Bits(v4[1]!);
    text = `${text.slice(0, v4.index)}${(bits >> 16n).toString(16)}:${(bits & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = Array(8 - headGroups.length - tailGroups.length).fill('0');
  const groups = tail === undefined ? headGroups : [...headGroups, ...zeros, ...tailGroups];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}

/** True when the address has bits set below the prefix (203.0.113.7/24): usually a typo. */
export function hasHostBits(cidr: Cidr): boolean {
  const width = cidr.family === 4 ? 32 : 128;
  const bits = cidr.family === 4 ? ipv4Bits(cidr.address) : ipv6Bits(cidr.address);
  const hostMask = (1n << BigInt(width - cidr.prefix)) - 1n;
  return (bits & hostMask) !== 0n;
}

export const cidrSchema = checked(
  z.string({
    error: (issue) =>
      issue.input === undefined ? undefined : 'expected a CIDR network (a string such as 203.0.113.0/24)',
  }),
  (text) => {
    const cidr = parseCidr(text);
    return isCidr(cidr) ? null : cidr;
  },
).meta({ examples: ['203.0.113.0/24', '2001:db8::/32'] });

export const portSchema = z
  .number({ error: (issue) => (issue.input === undefined ? undefined : 'expected a port number') })
  .int(withHint('a port is a whole number', 'write a port from 1 to 65535'))
  .min(1, withHint('a port is at least 1', 'write a port from 1 to 65535'))
  .max(65535, withHint('a port is at most 65535', 'write a port from 1 to 65535'));
