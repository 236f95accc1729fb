import type { PeerCertificate } from 'node:tls';
import { checkServerIdentity } from 'node:tls';
import type { PerfDatum } from '../../core/index.ts';

const DAY_MS = 86_400_000;

export interface CertificateFacts {
  /** The certificate's CN, else its first subjectAltName, for messages. */
  name: string;
  issuer: string;
  notAfter: Date;
  /** Whole days left, truncated as check_http counts them (negative once expired). */
  daysLeft: number;
  expired: boolean;
}

function firstOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function certificateFacts(cert: PeerCertificate, now: number): CertificateFacts | undefined {
  if (!cert?.valid_to) return undefined;
  const notAfter = new Date(cert.valid_to);
  if (Number.isNaN(notAfter.getTime())) return undefined;
  const left = notAfter.getTime() - now;
  const name =
    firstOf(cert.subject?.CN) ??
    cert.subjectaltname
      ?.split(',')[0]
      ?.trim()
      .replace(/^[A-Z ]+:/, '') ??
    'unnamed';
  const issuer = firstOf(cert.issuer?.CN) ?? firstOf(cert.issuer?.O) ?? 'unknown issuer';
  return { name, issuer, notAfter, daysLeft: Math.trunc(left / DAY_MS), expired: left <= 0 };
}

/** "2026-12-01 12:00 +0000", check_http's timestamp format, in UTC. */
export function formatCertificateDate(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} +0000`;
}

export interface CertificateVerdict {
  state: 0 | 1 | 2;
  /** Says when it expires, naming the date, as check_http's certificate messages do. */
  phrase: string;
}

/** check_http -C semantics: WARNING at <= warningDays left, CRITICAL at <= criticalDays or expired. */
export function evaluateCertificate(
  facts: CertificateFacts,
  warningDays: number,
  criticalDays: number,
): CertificateVerdict {
  const date = formatCertificateDate(facts.notAfter);
  if (facts.expired) return { state: 2, phrase: `certificate '${facts.name}' expired on ${date}` };
  const soon = `certificate '${facts.name}' expires in ${facts.daysLeft} day(s) (${date})`;
  if (facts.daysLeft <= criticalDays) return { state: 2, phrase: soon };
  if (facts.daysLeft <= warningDays) return { state: 1, phrase: soon };
  return {
    state: 0,
    phrase: `certificate '${facts.name}' will expire on ${date} (${facts.daysLeft} days left)`,
  };
}

/** cert_days, with ranges that alert at or below the configured days ("@~:30"). */
export function certificateDaysPerfdatum(
  facts: CertificateFacts,
  warningDays: number,
  criticalDays: number,
): PerfDatum {
  return {
    label: 'cert_days',
    value: facts.daysLeft,
    uom: '',
    warn: `@~:${warningDays}`,
    crit: `@~:${criticalDays}`,
  };
}

const VERIFY_ERRORS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed certificate that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the issuer is not trusted or the server sends an incomplete chain',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer is not trusted or the server sends an incomplete chain',
  UNABLE_TO_GET_ISSUER_CERT: 'the issuer certificate cannot be found',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not yet valid',
  CERT_REVOKED: 'the certificate is revoked',
  CERT_SIGNATURE_FAILURE: 'the certificate signature is invalid',
};

/** Why verification failed, in words (a hostname mismatch says which names the certificate has). */
export function describeVerifyError(
  code: string,
  hostname: string,
  cert: PeerCertificate | undefined,
): string {
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' && cert) {
    const mismatch = checkServerIdentity(hostname, cert);
    if (mismatch) return `${mismatch.message} (ERR_TLS_CERT_ALTNAME_INVALID)`;
  }
  const words = VERIFY_ERRORS[code];
  return words ? `${words} (${code})` : code;
}
