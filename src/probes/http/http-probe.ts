import { type ClientRequest, type IncomingMessage, type RequestOptions, request } from 'node:http';
import { connect as connectTcp, isIP, type LookupFunction, type Socket } from 'node:net';
import { connect as connectTls, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { CheckResult, HttpProbe, PerfDatum, ServiceState } from '../../core/index.ts';
import { describeSocketError } from '../native-errors.ts';
import { probeResult, stateWord, timedOutResult } from '../probe-result.ts';
import { checkThresholds } from '../thresholds/index.ts';
import { type BodyMatcher, parseBodyMatcher } from './body-matcher.ts';
import {
  type CertificateFacts,
  certificateDaysPerfdatum,
  certificateFacts,
  describeVerifyError,
  evaluateCertificate,
  formatCertificateDate,
} from './certificate.ts';
import { evaluateHttpExchange, type HttpExchange } from './evaluate-response.ts';

export interface HttpRunContext {
  timeoutMs: number;
  timeoutState: ServiceState;
  warning?: string;
  critical?: string;
  lookup?: LookupFunction;
  signal?: AbortSignal;
}

/** Body kept for expectBody matching; the rest is only counted, so a huge page cannot eat memory. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

const USER_AGENT = 'Steward-http-probe (check_http compatible)';

/** Everything about a probe that does not change between runs, computed once per probe object. */
type PreparedHttp =
  | {
      ok: true;
      /** Upper-cased: HTTP methods are case-sensitive and servers expect GET, not get. */
      method: string;
      tls: boolean;
      /** For connect and certificate checks: no brackets around IPv6. */
      hostname: string;
      port: number;
      path: string;
      displayUrl: string;
      auth?: string;
      headers: Record<string, string>;
      matcher?: Extract<BodyMatcher, { ok: true }>;
    }
  | { ok: false; error: string };

const preparedProbes = new WeakMap<HttpProbe, PreparedHttp>();

function prepare(probe: HttpProbe): PreparedHttp {
  let url: URL;
  try {
    url = new URL(probe.url);
  } catch {
    // The URL itself is not repeated: it may carry credentials.
    return {
      ok: false,
      error: 'the url is not a valid absolute URL — write it as http(s)://host[:port]/path',
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, error: `unsupported URL scheme ${url.protocol} — use http: or https:` };
  }
  const tls = url.protocol === 'https:';
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? (tls ? 443 : 80) : Number(url.port);
  const headers: Record<string, string> = { 'User-Agent': USER_AGENT, ...probe.headers, Connection: 'close' };
  const prepared: Extract<PreparedHttp, { ok: true }> = {
    ok: true,
    method: (probe.method || 'GET').toUpperCase(),
    tls,
    hostname,
    port,
    path: `${url.pathname}${url.search}`,
    displayUrl: `${url.protocol}//${url.host}${url.pathname}`,
    headers,
  };
  if (url.username !== '' || url.password !== '') {
    prepared.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  }
  if (probe.expectBody !== undefined && probe.expectBody !== '') {
    const matcher = parseBodyMatcher(probe.expectBody);
    if (!matcher.ok) return { ok: false, error: matcher.error };
    prepared.matcher = matcher;
  }
  return prepared;
}

function preparedFor(probe: HttpProbe): PreparedHttp {
  let prepared = preparedProbes.get(probe);
  if (!prepared) {
    prepared = prepare(probe);
    preparedProbes.set(probe, prepared);
  }
  return prepared;
}

type Phase =
  | 'connecting to'
  | 'TLS handshake with'
  | 'waiting for the response from'
  | 'reading the response from';

/**
 * One HTTP(S) request, reported like check_http. Keep-alive is off (a fresh connection, and for
 * HTTPS a full handshake, every time): check_http does the same, and it is the only way the check
 * sees what a new client sees — a listener that stopped accepting, a certificate just replaced,
 * the real connect time — and it keeps no idle sockets per target across thousands of targets.
 * The socket is opened here, not by an Agent, so that the certificate is verified (or, with
 * insecure, at least read for its expiry) before a single byte of the request — which may carry
 * credentials — is sent. Redirects are not followed.
 */
export function runHttp(probe: HttpProbe, ctx: HttpRunContext): Promise<CheckResult> {
  const startedAt = Date.now();
  const prepared = preparedFor(probe);
  if (!prepared.ok) return Promise.resolve(probeResult(3, `HTTP UNKNOWN - ${prepared.error}`, startedAt));
  const thresholdsValid = checkThresholds(0, ctx.warning, ctx.critical);
  if (!thresholdsValid.ok)
    return Promise.resolve(probeResult(3, `HTTP UNKNOWN - ${thresholdsValid.error}`, startedAt));
  const { hostname, port } = prepared;

  return new Promise((resolve) => {
    const t0 = performance.now();
    let finished = false;
    let phase: Phase = 'connecting to';
    let socket: Socket | undefined;
    let req: ClientRequest | undefined;
    let cert: CertificateFacts | undefined;
    let certLine = '';

    const finish = (result: CheckResult): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', onAbort);
      req?.destroy();
      socket?.destroy();
      resolve(result);
    };

    const certPerfdata = (): PerfDatum[] =>
      cert
        ? [certificateDaysPerfdatum(cert, probe.certificateWarningDays, probe.certificateCriticalDays)]
        : [];

    const fail = (state: ServiceState, text: string): void =>
      finish(probeResult(state, `HTTP ${stateWord(state)} - ${text}`, startedAt, certLine, certPerfdata()));

    const onAbort = (): void => fail(3, `check cancelled while ${phase} ${hostname} port ${port}`);
    const timer = setTimeout(() => {
      const word = stateWord(ctx.timeoutState);
      const result = timedOutResult(
        ctx.timeoutState,
        `HTTP ${word} - Socket timeout after ${(ctx.timeoutMs / 1000).toFixed(2)} seconds ${phase} ${hostname} port ${port}`,
        startedAt,
        certLine,
      );
      result.perfdata = certPerfdata();
      finish(result);
    }, ctx.timeoutMs);
    if (ctx.signal) {
      if (ctx.signal.aborted) queueMicrotask(onAbort);
      else ctx.signal.addEventListener('abort', onAbort, { once: true });
    }

    const onSocketError = (error: NodeJS.ErrnoException): void => {
      if (phase === 'connecting to') fail(2, describeSocketError(error, hostname, port));
      else if (phase === 'TLS handshake with')
        fail(
          2,
          `TLS handshake with ${hostname} port ${port} failed: ${error.message}${error.code ? ` (${error.code})` : ''}`,
        );
      else responseError(error);
    };

    const responseError = (error: NodeJS.ErrnoException): void => {
      if (error.code?.startsWith('HPE_')) {
        fail(
          2,
          `Invalid HTTP response received from ${hostname} port ${port}: ${error.message} (${error.code})`,
        );
      } else if (error.code === 'ECONNRESET') {
        fail(
          2,
          `Connection closed by ${hostname} port ${port} ${phase === 'reading the response from' ? 'while sending the body' : 'before a response'} (${error.message})`,
        );
      } else {
        fail(
          2,
          `Request to ${hostname} port ${port} failed while ${phase} it: ${describeSocketError(error, hostname, port)}`,
        );
      }
    };

    const sendRequest = (connected: Socket): void => {
      phase = 'waiting for the response from';
      let outgoing: ClientRequest;
      try {
        const options: RequestOptions = {
          method: prepared.method,
          host: hostname,
          port,
          defaultPort: prepared.tls ? 443 : 80,
          path: prepared.path,
          headers: prepared.headers,
          createConnection: () => connected,
        };
        if (prepared.auth !== undefined) options.auth = prepared.auth;
        outgoing = request(options);
      } catch (error) {
        fail(3, `cannot send ${prepared.method} to ${prepared.displayUrl}: ${(error as Error).message}`);
        return;
      }
      req = outgoing;
      outgoing.on('error', responseError);
      outgoing.on('response', (res: IncomingMessage) => {
        phase = 'reading the response from';
        const statusLine = `HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage ?? ''}`.trimEnd();
        const keepBody = prepared.matcher !== undefined;
        const chunks: Buffer[] = [];
        let bodyBytes = 0;
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          bodyBytes += chunk.length;
          if (keepBody && kept < MAX_BODY_BYTES) {
            const piece =
              kept + chunk.length > MAX_BODY_BYTES ? chunk.subarray(0, MAX_BODY_BYTES - kept) : chunk;
            chunks.push(piece);
            kept += piece.length;
          }
        });
        res.on('error', responseError);
        res.on('end', () => {
          const seconds = (performance.now() - t0) / 1000;
          const exchange: HttpExchange = {
            statusCode: res.statusCode ?? 0,
            statusLine,
            // Every byte of the HTTP message as received (status line, headers, chunk framing and
            // body; after TLS decryption), which is what check_http counts as the page size.
            sizeBytes: connected.bytesRead,
            seconds,
            body: keepBody ? Buffer.concat(chunks, kept).toString('utf8') : '',
            bodyTruncated: bodyBytes > kept,
            displayUrl: prepared.displayUrl,
          };
          const expectations = {
            expectStatus: probe.expectStatus,
            matcher: prepared.matcher,
            warning: ctx.warning,
            critical: ctx.critical,
          };
          const verdict = evaluateHttpExchange(exchange, expectations);
          let state = verdict.state;
          const problems = verdict.problems;
          if (cert) {
            const certVerdict = evaluateCertificate(
              cert,
              probe.certificateWarningDays,
              probe.certificateCriticalDays,
            );
            if (certVerdict.state !== 0) {
              problems.push(certVerdict.phrase);
              if (certVerdict.state > state) state = certVerdict.state;
            }
          }
          const details = problems.length > 0 ? ` - ${problems.join(' - ')}` : '';
          const perfdata: PerfDatum[] = [
            {
              label: 'time',
              value: Math.round(seconds * 1e6) / 1e6,
              uom: 's',
              ...(ctx.warning ? { warn: ctx.warning } : {}),
              ...(ctx.critical ? { crit: ctx.critical } : {}),
              min: 0,
              max: ctx.timeoutMs / 1000,
            },
            { label: 'size', value: exchange.sizeBytes, uom: 'B', min: 0 },
            ...certPerfdata(),
          ];
          finish(
            probeResult(
              state,
              `HTTP ${stateWord(state)}: ${statusLine}${details} - ${exchange.sizeBytes} bytes in ${seconds.toFixed(3)} second response time`,
              startedAt,
              certLine,
              perfdata,
            ),
          );
        });
      });
      outgoing.end();
    };

    const onSecureConnect = (tlsSocket: TLSSocket): void => {
      const peer: PeerCertificate | undefined = tlsSocket.getPeerCertificate();
      cert = peer ? certificateFacts(peer, Date.now()) : undefined;
      if (cert) {
        certLine = `Certificate '${cert.name}' issued by '${cert.issuer}' valid until ${formatCertificateDate(cert.notAfter)} (${cert.daysLeft} days left)`;
      }
      if (!tlsSocket.authorized) {
        const code = String(tlsSocket.authorizationError ?? 'UNKNOWN_VERIFY_ERROR');
        const reason = describeVerifyError(code, hostname, peer);
        if (!probe.insecure) {
          fail(
            2,
            `TLS certificate of ${hostname} port ${port} not accepted: ${reason} — install a certificate the monitoring host trusts, or set insecure: true on the check`,
          );
          return;
        }
        certLine = `${certLine}${certLine ? '\n' : ''}Certificate not verified (insecure: true): ${reason}`;
      }
      sendRequest(tlsSocket);
    };

    try {
      if (prepared.tls) {
        const tlsSocket = connectTls({
          host: hostname,
          port,
          // SNI takes names only (RFC 6066); an IP literal is still checked against the certificate.
          ...(isIP(hostname) === 0 ? { servername: hostname } : {}),
          // Verified below, before the request is written, so the outcome can name the reason and
          // an insecure check still reads the certificate's expiry.
          rejectUnauthorized: false,
          ALPNProtocols: ['http/1.1'],
          ...(ctx.lookup ? { lookup: ctx.lookup } : {}),
        });
        socket = tlsSocket;
        tlsSocket.once('connect', () => {
          phase = 'TLS handshake with';
        });
        tlsSocket.once('secureConnect', () => onSecureConnect(tlsSocket));
        tlsSocket.on('error', onSocketError);
      } else {
        const tcpSocket = connectTcp({
          host: hostname,
          port,
          noDelay: true,
          ...(ctx.lookup ? { lookup: ctx.lookup } : {}),
        });
        socket = tcpSocket;
        tcpSocket.once('connect', () => sendRequest(tcpSocket));
        tcpSocket.on('error', onSocketError);
      }
    } catch (error) {
      fail(3, `cannot connect to ${hostname} port ${port}: ${(error as Error).message}`);
    }
  });
}
