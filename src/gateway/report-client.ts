import { request } from 'node:http';
import { connect, type TLSSocket } from 'node:tls';
import { AUDIT_INGEST_PATH, REPORTER_NAME } from '../web/audit/audit-ingest.ts';

export { REPORTER_NAME };

/** How the gateway reaches the monitoring server's API (`steward gateway --report-to`). */
export interface ReportTarget {
  /** https://HOST:PORT of `steward serve` */
  url: string;
  /** An API token of role audit-writer on that server; never logged, never in an error. */
  token: string;
  /**
   * SHA-256 fingerprint of the server's certificate (`AB:CD:...`, as openssl prints it): the
   * certificate must be exactly this one, whoever signed it. For the self-signed default.
   */
  fingerprint?: string;
  /** PEM of the CA(s) that signed the server's certificate; its name must then match the URL. */
  ca?: string;
  /** per request, connect to answer (default 15 s) */
  timeoutMs?: number;
}

/** A refusal or failure, worded for the gateway log: what happened and what to do. */
export class ReportError extends Error {
  /** HTTP status when the server answered */
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

/** `sha256:ab:cd...`, `AB:CD...` or `abcd...` → `AB:CD:...`; throws when it is not 32 bytes of hex. */
export function normalizeFingerprint(text: string): string {
  const hex = text
    .trim()
    .replace(/^sha256[:=]/i, '')
    .replace(/[:\s]/g, '')
    .toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) {
    throw new Error(
      `"${text}" is not a SHA-256 certificate fingerprint; get it on the monitoring host with: openssl x509 -in DATA/tls/cert.pem -noout -fingerprint -sha256`,
    );
  }
  return hex.match(/../g)!.join(':');
}

/**
 * Checks URL and fingerprint once at startup, so a typo is a clear error, not a stream of failed
 * sends. (The token is checked where it is used: a missing one is not a typo of this command.)
 */
export function checkReportTarget(target: Pick<ReportTarget, 'url' | 'fingerprint'>): URL {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new Error(`--report-to "${target.url}" is not a URL; write e.g. https://10.20.1.10:8443`);
  }
  if (url.protocol !== 'https:') {
    throw new Error(`--report-to ${target.url}: audit events carry user names and addresses; use https://`);
  }
  if (target.fingerprint !== undefined) normalizeFingerprint(target.fingerprint);
  return url;
}

/**
 * Posts audit entries to the monitoring server. The TLS connection is made and its certificate
 * checked (pinned fingerprint, given CA, or the system's CAs; never skipped) before a single byte
 * of the request, so the token never reaches a server that is not the pinned one.
 */
export function auditReportClient(target: ReportTarget): {
  post(body: unknown): Promise<{ stored: number; duplicates: number }>;
} {
  const url = checkReportTarget(target);
  if (!target.token) throw new Error('the report token is empty');
  const pinned = target.fingerprint === undefined ? undefined : normalizeFingerprint(target.fingerprint);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  const path = `${url.pathname.replace(/\/+$/, '')}${AUDIT_INGEST_PATH}`;
  const timeoutMs = target.timeoutMs ?? 15_000;
  const where = `${url.protocol}//${url.host}`;

  const secureSocket = () =>
    new Promise<TLSSocket>((resolve, reject) => {
      const socket = connect({
        host,
        port,
        ...(/^[\d.]+$|:/.test(host) ? {} : { servername: host }),
        // With a pin the chain is not what is trusted: the exact certificate is (checked below).
        rejectUnauthorized: pinned === undefined,
        ...(target.ca !== undefined ? { ca: target.ca } : {}),
        minVersion: 'TLSv1.2',
      });
      const timer = setTimeout(
        () => socket.destroy(new ReportError(`${where}: no TLS handshake within ${timeoutMs} ms`)),
        timeoutMs,
      );
      socket.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(err instanceof ReportError ? err : new ReportError(tlsFailure(where, err, target)));
      });
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        if (pinned !== undefined) {
          const got = socket.getPeerCertificate().fingerprint256;
          if (got !== pinned) {
            socket.destroy();
            reject(
              new ReportError(
                `${where}: the server's certificate has SHA-256 fingerprint ${got}, not the pinned ${pinned}; nothing was sent. If the monitoring server's certificate was replaced on purpose, pin the new one (--report-fingerprint or access.bastion.reportTo.fingerprint)`,
              ),
            );
            return;
          }
        }
        resolve(socket);
      });
    });

  return {
    async post(body) {
      const socket = await secureSocket();
      const data = JSON.stringify(body);
      return await new Promise((resolve, reject) => {
        const req = request(
          {
            createConnection: () => socket,
            host: url.host,
            method: 'POST',
            path,
            headers: {
              host: url.host,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(data),
              authorization: `Bearer ${target.token}`,
              connection: 'close',
            },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => {
              if (text.length < 4096) text += c;
            });
            res.on('end', () => {
              socket.destroy();
              const status = res.statusCode ?? 0;
              if (status === 200) {
                try {
                  resolve(JSON.parse(text) as { stored: number; duplicates: number });
                } catch {
                  reject(
                    new ReportError(`${where}: answered 200 with no JSON (is it steward serve?)`, status),
                  );
                }
                return;
              }
              reject(new ReportError(httpFailure(where, status, text), status));
            });
          },
        );
        req.setTimeout(timeoutMs, () =>
          req.destroy(new ReportError(`${where}: no answer within ${timeoutMs} ms`)),
        );
        req.on('error', (err) => {
          socket.destroy();
          reject(err instanceof ReportError ? err : new ReportError(`${where}: ${err.message}`));
        });
        req.end(data);
      });
    },
  };
}

function serverMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    return typeof message === 'string' ? message : text.slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}

function httpFailure(where: string, status: number, text: string): string {
  const said = serverMessage(text);
  if (status === 401) {
    return `${where} refused the report token (401: ${said}); give the gateway a token of role audit-writer, made on the monitoring host with: steward token create --name NAME --role audit-writer`;
  }
  if (status === 403) {
    return `${where} refused (403: ${said}); the token needs role audit-writer (steward token create --name NAME --role audit-writer), and the bastion's address must be allowed (steward serve --audit-from CIDR)`;
  }
  if (status === 404) {
    return `${where} has no ${AUDIT_INGEST_PATH} (404): is it steward serve, and recent enough?`;
  }
  return `${where} answered ${status}: ${said}`;
}

function tlsFailure(where: string, err: NodeJS.ErrnoException, target: ReportTarget): string {
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT') {
    return `${where}: ${code} (is steward serve running there, and does it let this address in? steward serve --audit-from CIDR)`;
  }
  if (
    /SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|CERT_/.test(code) ||
    code === 'ERR_TLS_CERT_ALTNAME_INVALID'
  ) {
    return `${where}: the server's certificate is not trusted (${code}: ${err.message}); ${
      target.ca === undefined
        ? 'pin it with --report-fingerprint (openssl x509 -in DATA/tls/cert.pem -noout -fingerprint -sha256 on the monitoring host) or give its CA with --report-ca FILE'
        : 'check that --report-ca is the CA that signed it and that the URL names the certificate'
    }`;
  }
  return `${where}: ${code ? `${code}: ` : ''}${err.message}`;
}
