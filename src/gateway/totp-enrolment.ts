import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTotpSecret, totpUri } from '../auth/totp.ts';

/**
 * TOTP secrets live in the gateway's data directory, one file per user (mode 0600), never in the
 * spec: the spec is in version control, and a secret there would be readable by everyone who can
 * read the repository. `steward access enroll USER` writes one and prints the otpauth URI once.
 */
export function totpSecretFile(dataDir: string, user: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(user))
    throw new Error(`user name "${user}" cannot name a file; use A-Z, 0-9, . _ -`);
  return join(dataDir, 'gateway', 'totp', user);
}

/** Creates (or, with `replace`, rotates) a user's secret; returns it with its enrolment URI. */
export function enrollTotp(
  dataDir: string,
  user: string,
  opts: { issuer: string; replace?: boolean },
): { secret: string; uri: string; file: string } {
  const file = totpSecretFile(dataDir, user);
  mkdirSync(join(dataDir, 'gateway', 'totp'), { recursive: true, mode: 0o700 });
  const secret = generateTotpSecret();
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: opts.replace ? 'w' : 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new Error(`${user} is already enrolled (${file}); pass --replace to issue a new secret`);
    }
    throw err;
  }
  return { secret, uri: totpUri(secret, user, opts.issuer), file };
}

/** The user's secret, or undefined when not enrolled (the gateway then refuses the user). */
export function readTotpSecret(dataDir: string, user: string): string | undefined {
  try {
    return readFileSync(totpSecretFile(dataDir, user), 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
