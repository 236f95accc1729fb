/**
 * An OpenSSH public key line (`ssh-ed25519 AAAA... comment`), as in authorized_keys. Checked here
 * so a pasted private key, a truncated line or a key of an old type is refused with its location
 * instead of being silently unusable at the bastion.
 */
import { z } from 'zod';
import type { Rejection } from './message.ts';
import { checked } from './refine.ts';

/** Key types the bastion accepts (ssh-rsa keys sign with rsa-sha2-256/512; their type name stays). */
export const PUBLIC_KEY_TYPES = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'ssh-rsa',
] as const;

const HINT =
  'paste one line of the user\'s ~/.ssh/id_ed25519.pub, e.g. "ssh-ed25519 AAAAC3Nza... alice@laptop"';

export function publicKeyRejection(line: string): Rejection | null {
  if (/PRIVATE KEY/.test(line)) {
    return {
      message: 'this is a private key; never put one in the spec',
      hint: `remove it (and consider the key leaked); ${HINT}`,
    };
  }
  const [type, blob] = line.trim().split(/\s+/);
  if (type === undefined || blob === undefined)
    return { message: 'not an OpenSSH public key line', hint: HINT };
  if (!(PUBLIC_KEY_TYPES as readonly string[]).includes(type)) {
    return {
      message: `key type \`${type}\` is not accepted`,
      hint: `use one of ${PUBLIC_KEY_TYPES.join(', ')} (ssh-keygen -t ed25519 makes a new one)`,
    };
  }
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(blob) ? Buffer.from(blob, 'base64') : Buffer.alloc(0);
  // The blob starts with the key type again as an SSH string: a truncated or mixed-up line fails here.
  const length = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
  const inner =
    length > 0 && bytes.length >= 4 + length ? bytes.subarray(4, 4 + length).toString('latin1') : '';
  if (inner !== type || bytes.length < 4 + length + 4) {
    return { message: 'the key data is damaged or does not match its type', hint: HINT };
  }
  return null;
}

export const publicKeySchema = checked(
  z.string({
    error: (issue) =>
      issue.input === undefined ? undefined : 'expected an OpenSSH public key line (a string)',
  }),
  publicKeyRejection,
).meta({ examples: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG... alice@laptop'] });
