import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt with N=2^15, r=8, p=1 (OWASP's minimum is N=2^17 with p=1 or 2^15 with more memory...
// 2^15 × r=8 uses 32 MiB and ~60 ms: slow for a guesser, fine for a login).
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((done, fail) =>
    scrypt(password, salt, KEY_BYTES, { N: n, r, p, maxmem: 256 * n * r }, (err, key) =>
      err ? fail(err) : done(key),
    ),
  );
}

/** "scrypt$N$r$p$salt$hash" (base64url), so parameters can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A password policy that stops the worst choices without composition rules (NIST 800-63B). */
export function passwordProblem(password: string): string | null {
  if (password.length < 12) return 'a password needs at least 12 characters';
  if (password.length > 1024) return 'a password may have at most 1024 characters';
  return null;
}

/** Runs the same scrypt as a real check, so "no such user" takes as long as "wrong password". */
export async function burnPasswordTime(password: string): Promise<void> {
  await derive(password, Buffer.alloc(16), N, R, P);
}
