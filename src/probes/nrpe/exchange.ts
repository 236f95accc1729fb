import { type LookupFunction, connect as netConnect, type Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { forgetSession, type NrpeTlsSetup, rememberSession, sessionFor } from './nrpe-tls.ts';
import {
  decodePacket,
  encodeQuery,
  type NrpeFramingProblem,
  type NrpePacket,
  type NrpePacketVersion,
  ResponseAssembler,
} from './packet.ts';

/** Where an exchange was when it ended, for messages: an operator needs to know how far it got. */
export type ExchangeStep =
  | 'connecting'
  | 'TLS handshake'
  | 'waiting for the response'
  | 'reading the response';

/** How one connection (one query, one response) ended. */
export type ExchangeOutcome =
  | { kind: 'response'; packet: NrpePacket }
  | { kind: 'connect-error'; error: NodeJS.ErrnoException }
  | { kind: 'tls-error'; error: NodeJS.ErrnoException }
  /** The daemon hung up (FIN or RST) before a whole response: nrpe's way of refusing a request. */
  | { kind: 'closed'; received: number; head: Buffer; error?: NodeJS.ErrnoException }
  | { kind: 'framing'; problem: NrpeFramingProblem }
  | { kind: 'timeout'; step: ExchangeStep }
  | { kind: 'aborted'; step: ExchangeStep };

export interface ExchangeRequest {
  host: string;
  port: number;
  version: NrpePacketVersion;
  query: string;
  tls?: NrpeTlsSetup;
  /** Session-cache key of the endpoint (host, port and TLS setup). */
  endpoint: string;
  /** Epoch ms by which the exchange must be over. */
  deadline: number;
  lookup?: LookupFunction;
  signal?: AbortSignal;
}

/**
 * One NRPE exchange: connect, (TLS,) send the query, read one response packet, close. Resolves,
 * never rejects. Everything is torn down as soon as the outcome is known (socket destroyed, timer
 * cleared, listeners dropped), so thousands of checks leave no handles behind.
 */
export function exchange(request: ExchangeRequest): Promise<ExchangeOutcome> {
  return new Promise((resolve) => {
    const assembler = new ResponseAssembler(request.version);
    let step: ExchangeStep = 'connecting';
    let socket: Socket | TLSSocket | undefined;
    let done = false;
    const finish = (outcome: ExchangeOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      socket?.destroy();
      resolve(outcome);
    };
    const onAbort = (): void => finish({ kind: 'aborted', step });
    const timer = setTimeout(
      () => finish({ kind: 'timeout', step }),
      Math.max(0, request.deadline - Date.now()),
    );
    if (request.signal) {
      if (request.signal.aborted) {
        queueMicrotask(onAbort);
        return;
      }
      request.signal.addEventListener('abort', onAbort, { once: true });
    }

    const query = encodeQuery(request.version, request.query);
    const base = {
      host: request.host,
      port: request.port,
      noDelay: true,
      ...(request.lookup ? { lookup: request.lookup } : {}),
    };
    try {
      if (request.tls) {
        const setup = request.tls;
        const tlsSocket = tlsConnect({
          ...base,
          secureContext: setup.secureContext,
          rejectUnauthorized: setup.verify,
          // nrpe certificates name hosts loosely; the CA is what is trusted (as with check_nrpe).
          checkServerIdentity: () => undefined,
          session: sessionFor(request.endpoint),
        });
        tlsSocket.once('session', (session: Buffer) => rememberSession(request.endpoint, session));
        tlsSocket.once('secureConnect', () => {
          step = 'waiting for the response';
          tlsSocket.write(query);
        });
        socket = tlsSocket;
      } else {
        socket = netConnect(base);
        socket.once('connect', () => {
          step = 'waiting for the response';
          socket?.write(query);
        });
      }
    } catch (error) {
      finish({ kind: 'connect-error', error: error as NodeJS.ErrnoException });
      return;
    }
    if (request.tls) socket.once('connect', () => (step = 'TLS handshake'));

    socket.on('data', (chunk: Buffer) => {
      step = 'reading the response';
      const got = assembler.push(chunk);
      if (got === undefined) return;
      if (Buffer.isBuffer(got)) finish({ kind: 'response', packet: decodePacket(got) });
      else finish({ kind: 'framing', problem: got });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (step === 'connecting') finish({ kind: 'connect-error', error });
      else if (step === 'TLS handshake') {
        // A session the daemon no longer honours must not spoil the next attempt too.
        forgetSession(request.endpoint);
        finish({ kind: 'tls-error', error });
      } else finish({ kind: 'closed', received: assembler.received, head: assembler.head(16), error });
    });
    socket.on('end', () => {
      if (step === 'TLS handshake') {
        const error: NodeJS.ErrnoException = new Error(
          'the daemon closed the connection during the handshake',
        );
        error.code = 'ECONNRESET';
        finish({ kind: 'tls-error', error });
      } else {
        finish({ kind: 'closed', received: assembler.received, head: assembler.head(16) });
      }
    });
    socket.on('close', () =>
      finish({ kind: 'closed', received: assembler.received, head: assembler.head(16) }),
    );
  });
}
