import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.toLowerCase().replace(/[\s-]/g, '')).digest('hex');
}

/** Ten single-use codes like "k7pm-x2qa-9fhw", shown once; the store keeps only their hashes. */
export function generateRecoveryCodes(count = 10): { codes: string[]; hashes: string[] } {
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = randomBytes(12);
    let text = '';
    for (const b of bytes) text += ALPHABET[b % ALPHABET.length];
    codes.push(`${text.slice(0, 4)}-${text.slice(4, 8)}-${text.slice(8, 12)}`);
  }
  return { codes, hashes: codes.map(hashRecoveryCode) };
}

export function looksLikeRecoveryCode(text: string): boolean {
  return /^[a-z0-9]{4}-?[a-z0-9]{4}-?[a-z0-9]{4}$/i.test(text.trim());
}
