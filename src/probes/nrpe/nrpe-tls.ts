import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContext } from 'node:tls';

/**
 * How a check talks TLS to an nrpe daemon:
 * - 'anonymous-dh': what nrpe ships by default (ssl enabled, no certificate): anonymous
 *   Diffie-Hellman suites, which exist only up to TLS 1.2 and which OpenSSL 3 allows only at
 *   security level 0, hence `@SECLEVEL=0` (check_nrpe uses "ALL:!MD5:@STRENGTH:@SECLEVEL=0").
 * - certificates: `ca` verifies the daemon's certificate (not its name: nrpe certificates rarely
 *   carry the address they are reached at, and check_nrpe does not check it either); `cert` and
 *   `key` are the client certificate daemons with ssl_client_certs ask for. Each is a PEM file path
 *   or the PEM text itself (e.g. from an environment variable).
 * - 'none': plain TCP, for daemons run with ssl disabled (check_nrpe -n).
 */
export type NrpeTls = 'anonymous-dh' | 'none' | { ca?: string; cert?: string; key?: string };

export const ANONYMOUS_DH_CIPHERS = [
  'ADH-AES256-GCM-SHA384',
  'ADH-AES128-GCM-SHA256',
  'ADH-AES256-SHA256',
  'ADH-AES128-SHA256',
  'ADH-AES256-SHA',
  'ADH-AES128-SHA',
  '@SECLEVEL=0',
].join(':');

export interface NrpeTlsSetup {
  secureContext: SecureContext;
  /** Whether the daemon's certificate is verified against `ca`. */
  verify: boolean;
  /** Short words for messages: "TLS anonymous DH", "TLS with certificates". */
  label: string;
  /** Identifies this setup in the session cache (never contains key material). */
  cacheKey: string;
}

function pem(value: string, what: string): string | Buffer {
  if (value.includes('-----BEGIN')) return value;
  try {
    return readFileSync(value);
  } catch (error) {
    throw new Error(
      `cannot read the NRPE TLS ${what} file '${value}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** Names a PEM setting without revealing it: a path is shown, PEM text is not. */
function describe(value: string | undefined): string {
  if (value === undefined) return '-';
  return value.includes('-----BEGIN') ? `pem#${value.length}` : value;
}

let anonymous: NrpeTlsSetup | undefined;
const withCertificates = new Map<string, NrpeTlsSetup>();

/**
 * The TLS setup for a check, built once and shared: creating an OpenSSL context (and reading PEM
 * files) per connection would cost more than the NRPE exchange itself. Throws with a message
 * naming the unreadable file or invalid PEM.
 */
export function nrpeTlsSetup(tls: Exclude<NrpeTls, 'none'>): NrpeTlsSetup {
  if (tls === 'anonymous-dh') {
    anonymous ??= {
      secureContext: createSecureContext({ ciphers: ANONYMOUS_DH_CIPHERS, maxVersion: 'TLSv1.2' }),
      verify: false,
      label: 'TLS anonymous DH',
      cacheKey: 'adh',
    };
    return anonymous;
  }
  const cacheKey = `ca=${describe(tls.ca)} cert=${describe(tls.cert)} key=${describe(tls.key)}`;
  let setup = withCertificates.get(cacheKey);
  if (setup) return setup;
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new Error('NRPE TLS needs both cert and key for a client certificate (or neither)');
  }
  try {
    setup = {
      secureContext: createSecureContext({
        ca: tls.ca === undefined ? undefined : pem(tls.ca, 'CA'),
        cert: tls.cert === undefined ? undefined : pem(tls.cert, 'certificate'),
        key: tls.key === undefined ? undefined : pem(tls.key, 'key'),
      }),
      verify: tls.ca !== undefined,
      label: 'TLS with certificates',
      cacheKey,
    };
  } catch (error) {
    const message = (error as Error).message;
    if (message.startsWith('cannot read')) throw error;
    throw new Error(`invalid NRPE TLS certificate or key (${cacheKey}): ${message}`);
  }
  withCertificates.set(cacheKey, setup);
  return setup;
}

/** Forgets built TLS setups and sessions, e.g. after certificates were replaced on disk. */
export function clearNrpeTlsCache(): void {
  anonymous = undefined;
  withCertificates.clear();
  sessions.clear();
}

/**
 * TLS sessions to resume, per endpoint: nrpe forks a child per connection, but its children
 * share the parent's session-ticket keys, so resuming skips the Diffie-Hellman exchange that
 * dominates the cost of an NRPE check over TLS.
 */
const sessions = new Map<string, Buffer>();
const MAX_SESSIONS = 10_000;

export function sessionFor(endpoint: string): Buffer | undefined {
  return sessions.get(endpoint);
}

export function rememberSession(endpoint: string, session: Buffer): void {
  if (sessions.size >= MAX_SESSIONS && !sessions.has(endpoint)) {
    const oldest = sessions.keys().next().value;
    if (oldest !== undefined) sessions.delete(oldest);
  }
  sessions.set(endpoint, session);
}

export function forgetSession(endpoint: string): void {
  sessions.delete(endpoint);
}
