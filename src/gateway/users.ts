import { createHash } from 'node:crypto';
import type { ParsedKey } from 'ssh2';
import ssh2 from 'ssh2';
import { base32Decode } from '../auth/totp.ts';
import type { GatewayUser } from './config.ts';

export interface UserKey {
  parsed: ParsedKey;
  /** SSH wire encoding of the public key, what the client sends */
  blob: Buffer;
  /** OpenSSH-style SHA256 fingerprint, for the audit log */
  fingerprint: string;
}

export interface KnownUser {
  name: string;
  keys: UserKey[];
  totpSecret: Buffer | undefined;
  environments: ReadonlySet<string>;
}

/** `SHA256:base64` without padding, as `ssh-keygen -lf` prints it. */
export function keyFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Parses the users once at start. Errors name the user and the key's position, never the key or
 * the secret itself.
 */
export function compileUsers(users: readonly GatewayUser[]): Map<string, KnownUser> {
  const out = new Map<string, KnownUser>();
  for (const user of users) {
    if (out.has(user.name)) throw new Error(`gateway user "${user.name}" is listed twice; merge the entries`);
    const keys = user.keys.map((line, i) => {
      const parsed = ssh2.utils.parseKey(line);
      const key = Array.isArray(parsed) ? parsed[0] : parsed;
      if (key instanceof Error || key === undefined || key.isPrivateKey()) {
        throw new Error(
          `gateway user "${user.name}": keys[${i}] is not an OpenSSH public key line ` +
            `(expected "ssh-ed25519 AAAA... comment", as in ~/.ssh/id_ed25519.pub)`,
        );
      }
      const blob = key.getPublicSSH();
      return { parsed: key, blob, fingerprint: keyFingerprint(blob) };
    });
    let totpSecret: Buffer | undefined;
    if (user.totpSecret !== undefined) {
      try {
        totpSecret = base32Decode(user.totpSecret);
      } catch {
        throw new Error(
          `gateway user "${user.name}": the TOTP secret is not base32 (A-Z, 2-7); re-enrol the user`,
        );
      }
      if (totpSecret.length < 10) {
        throw new Error(
          `gateway user "${user.name}": the TOTP secret is shorter than 80 bits; re-enrol the user`,
        );
      }
    }
    out.set(user.name, { name: user.name, keys, totpSecret, environments: new Set(user.environments) });
  }
  return out;
}

/** The user's key matching the offered public key blob, if any. */
export function findUserKey(user: KnownUser, offered: Buffer): UserKey | undefined {
  return user.keys.find((k) => k.blob.equals(offered));
}
