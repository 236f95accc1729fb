import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { base32Decode, base32Encode, hotp, totpCode, totpUri, verifyTotp } from '../../src/auth/totp.ts';
import { enrollTotp, readTotpSecret } from '../../src/gateway/totp-enrolment.ts';

// RFC 6238 appendix B: SHA-1 secret "12345678901234567890", 8-digit codes.
const RFC_SECRET = Buffer.from('12345678901234567890');
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it('matches the RFC test vectors', () => {
    for (const [seconds, code] of RFC_VECTORS) {
      assert.equal(hotp(RFC_SECRET, Math.floor(seconds / 30), 8), code, `T=${seconds}`);
    }
    // 6 digits is the same value truncated: the last 6 of the 8.
    assert.equal(totpCode(RFC_SECRET, 59_000), '287082');
  });

  it('decodes base32 as authenticator apps write it, and round-trips', () => {
    assert.deepEqual(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'), RFC_SECRET);
    assert.deepEqual(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq'), RFC_SECRET);
    assert.equal(base32Encode(RFC_SECRET), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    assert.throws(() => base32Decode('GEZ1'), /not base32/);
  });

  it('accepts the current code and one step of drift, refuses others', () => {
    const now = 1_700_000_015_000;
    assert.equal(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, now), now).ok, true);
    assert.equal(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, now - 30_000), now).ok, true);
    assert.equal(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, now + 30_000), now).ok, true);
    assert.deepEqual(verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, now - 90_000), now), {
      ok: false,
      reason: 'wrong',
    });
    assert.deepEqual(verifyTotp(RFC_SECRET, '12345', now), { ok: false, reason: 'malformed' });
    assert.deepEqual(verifyTotp(RFC_SECRET, 'abcdef', now), { ok: false, reason: 'malformed' });
  });

  it('refuses a code from a step already used to log in (no replay)', () => {
    const now = 1_700_000_015_000;
    const code = totpCode(RFC_SECRET, now);
    const first = verifyTotp(RFC_SECRET, code, now);
    assert.ok(first.ok);
    assert.deepEqual(verifyTotp(RFC_SECRET, code, now + 5_000, first.step), { ok: false, reason: 'reused' });
    // An older, still-in-window code is refused too once a newer one was used.
    const older = totpCode(RFC_SECRET, now - 30_000);
    assert.deepEqual(verifyTotp(RFC_SECRET, older, now, first.step), { ok: false, reason: 'reused' });
    // The next step's code is fine.
    assert.equal(
      verifyTotp(RFC_SECRET, totpCode(RFC_SECRET, now + 30_000), now + 30_000, first.step).ok,
      true,
    );
  });

  it('builds an otpauth URI for enrolment', () => {
    const uri = new URL(totpUri('GEZDGNBV', 'alice', 'Steward acme'));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), '/Steward acme:alice');
    assert.equal(uri.searchParams.get('secret'), 'GEZDGNBV');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
  });
});

describe('TOTP enrolment files', () => {
  it('writes a 0600 secret once, refuses a second enrolment unless replacing, reads it back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-totp-'));
    try {
      const first = enrollTotp(dir, 'alice', { issuer: 'Steward acme' });
      assert.equal(statSync(first.file).mode & 0o777, 0o600);
      assert.equal(readTotpSecret(dir, 'alice'), first.secret);
      assert.equal(new URL(first.uri).searchParams.get('secret'), first.secret);
      assert.equal(base32Decode(first.secret).length, 20);
      assert.throws(() => enrollTotp(dir, 'alice', { issuer: 'x' }), /already enrolled.*--replace/);
      const second = enrollTotp(dir, 'alice', { issuer: 'x', replace: true });
      assert.notEqual(second.secret, first.secret);
      assert.equal(readTotpSecret(dir, 'bob'), undefined);
      assert.throws(() => enrollTotp(dir, '../etc', { issuer: 'x' }), /cannot name a file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
