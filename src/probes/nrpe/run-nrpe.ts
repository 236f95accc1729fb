import type { LookupFunction } from 'node:net';
import type { CheckResult, ServiceState } from '../../core/index.ts';
import { describeSocketError } from '../native-errors.ts';
import { parsePluginOutput } from '../plugin/parse-plugin-output.ts';
import { probeResult, seconds2, stateWord, timedOutResult } from '../probe-result.ts';
import { type ExchangeOutcome, exchange } from './exchange.ts';
import { type NrpeTls, type NrpeTlsSetup, nrpeTlsSetup } from './nrpe-tls.ts';
import { maxQueryBytes, type NrpePacketVersion } from './packet.ts';
import { buildQuery } from './query.ts';
import { forgetV2Only, knownV2Only, rememberV2Only } from './version-memory.ts';

export interface NrpeProbe {
  kind: 'nrpe';
  host: string;
  /** nrpe's server_port, 5666 by default. */
  port: number;
  /** A command[NAME] defined in the daemon's nrpe.cfg. */
  command: string;
  /** $ARG1$.. values; the daemon accepts them only with dont_blame_nrpe=1 and a build that allows it. */
  args: string[];
  tls: NrpeTls;
  /** 'auto' (default): v4, falling back to v2 as check_nrpe does; 2 or 4 force one (check_nrpe -2). */
  protocol?: 'auto' | 2 | 4;
}

export interface NrpeRunOptions {
  /** For the whole check, both protocol attempts included. */
  timeoutMs: number;
  /**
   * State for a socket timeout or a failed connection: check_nrpe uses CRITICAL, or UNKNOWN with -u,
   * for both, and so does this probe with whatever state is given here.
   */
  timeoutState: ServiceState;
  /** Name resolution for host names (IP literals are never looked up). */
  lookup?: LookupFunction;
  signal?: AbortSignal;
}

const UNKNOWN = 3;

function unknown(message: string, startedAt: number, longOutput = ''): CheckResult {
  return probeResult(UNKNOWN, `CHECK_NRPE: ${message}`, startedAt, longOutput);
}

/** Hints for the daemon's own error answers, which say what but not what to do. */
function daemonHint(text: string, probe: NrpeProbe, host: string): string {
  if (/^NRPE: Command '.*' not defined$/.test(text)) {
    return `Define command[${probe.command}] in the nrpe.cfg of ${host} (then reload nrpe), or fix the command name in the spec.`;
  }
  if (text.startsWith('NRPE: Command timed out after')) {
    return `The plugin behind '${probe.command}' outran the daemon's command_timeout on ${host}: make it faster or raise command_timeout in nrpe.cfg.`;
  }
  if (text.startsWith('NRPE: Unable to read output')) {
    return `The command '${probe.command}' printed nothing on ${host}: check its path and that nrpe_user may run it.`;
  }
  return '';
}

function responseResult(
  outcome: Extract<ExchangeOutcome, { kind: 'response' }>,
  probe: NrpeProbe,
  where: string,
  version: NrpePacketVersion,
  startedAt: number,
): CheckResult {
  const packet = outcome.packet;
  if (packet.crcSent !== packet.crcComputed) {
    return unknown(
      `Response packet had invalid CRC32 (${where}, protocol v${version}: packet says 0x${packet.crcSent.toString(16).padStart(8, '0')}, content gives 0x${packet.crcComputed.toString(16).padStart(8, '0')}) — the response was corrupted on the way or the peer is not an nrpe daemon`,
      startedAt,
    );
  }
  const stdout = packet.text === '' ? 'CHECK_NRPE: No output returned from daemon.' : packet.text;
  const parsed = parsePluginOutput(stdout);
  let state = packet.resultCode;
  let longOutput = parsed.longOutput;
  if (state < 0 || state > 3) {
    const note = `CHECK_NRPE: the daemon returned result code ${state}, outside 0..3: reported as UNKNOWN.`;
    longOutput = longOutput === '' ? note : `${longOutput}\n${note}`;
    state = UNKNOWN;
  }
  const hint = daemonHint(packet.text, probe, probe.host);
  if (hint !== '') longOutput = longOutput === '' ? hint : `${longOutput}\n${hint}`;
  return probeResult(state, parsed.output, startedAt, longOutput, parsed.perfdata);
}

function looksLikeTlsRecord(head: Buffer): boolean {
  return head.length >= 2 && (head[0] === 0x15 || head[0] === 0x16) && head[1] === 0x03;
}

function tlsHint(error: NodeJS.ErrnoException, setup: NrpeTlsSetup | undefined): string {
  const text = `${error.code ?? ''} ${error.message}`.toLowerCase();
  if (text.includes('certificate') || text.includes('self-signed') || text.includes('unable to verify')) {
    return "the daemon's certificate does not verify against the configured CA: check tls.ca, or the daemon's ssl_cert_file";
  }
  if (text.includes('handshake failure') || text.includes('no shared cipher') || text.includes('no cipher')) {
    return setup?.label === 'TLS anonymous DH'
      ? 'the daemon offers no anonymous-DH cipher (ssl_use_adh=0 or a restricted ssl_cipher_list): configure tls with certificates'
      : 'no cipher or protocol version in common: compare ssl_version and ssl_cipher_list in nrpe.cfg';
  }
  if (text.includes('alert') && text.includes('certificate required')) {
    return 'the daemon requires a client certificate (ssl_client_certs): set tls.cert and tls.key';
  }
  return 'if the daemon runs with ssl disabled (nrpe -n, or ssl=0), set tls: none; otherwise see its log';
}

function failureResult(
  outcome: Exclude<ExchangeOutcome, { kind: 'response' }>,
  ctx: {
    probe: NrpeProbe;
    opts: NrpeRunOptions;
    where: string;
    tried: string;
    tlsLabel: string;
    setup?: NrpeTlsSetup;
  },
  startedAt: number,
): CheckResult {
  const { probe, opts, where, tried, tlsLabel } = ctx;
  switch (outcome.kind) {
    case 'connect-error':
      return probeResult(
        opts.timeoutState,
        `CHECK_NRPE: ${describeSocketError(outcome.error, probe.host, probe.port)} while connecting — is nrpe running and listening on this address and port?`,
        startedAt,
      );
    case 'tls-error':
      return unknown(
        `TLS handshake failed with ${where} (${tlsLabel}): ${outcome.error.message}${outcome.error.code && !outcome.error.message.includes(outcome.error.code) ? ` (${outcome.error.code})` : ''} — ${tlsHint(outcome.error, ctx.setup)}`,
        startedAt,
      );
    case 'timeout':
      return timedOutResult(
        opts.timeoutState,
        `CHECK_NRPE STATE ${stateWord(opts.timeoutState)}: Socket timeout after ${seconds2(opts.timeoutMs)} seconds ${outcome.step} (${where}, command '${probe.command}', ${tried}, ${tlsLabel})`,
        startedAt,
      );
    case 'aborted':
      return unknown(`check cancelled while ${outcome.step} (${where})`, startedAt);
    case 'framing': {
      const p = outcome.problem;
      if (p.kind === 'version') {
        return unknown(
          `${where} answered with a version ${p.version} packet (${tried}) — not an NRPE v2/v4 daemon, or one that speaks neither; compare with check_nrpe -H ${probe.host} -p ${probe.port}`,
          startedAt,
        );
      }
      if (p.kind === 'type') {
        return unknown(
          `${where} sent a packet of type ${p.type} instead of a response (2) (${tried})`,
          startedAt,
        );
      }
      return unknown(
        `${where} announced a ${p.length}-byte response, outside 0..65536 (${tried})`,
        startedAt,
      );
    }
    case 'closed': {
      if (tlsLabel === 'no TLS' && looksLikeTlsRecord(outcome.head)) {
        return unknown(
          `${where} answered with TLS to a plain query (${tried}) — the daemon has ssl enabled: set tls: anonymous-dh (its default) or certificates`,
          startedAt,
        );
      }
      const got =
        outcome.received > 0 ? ` after ${outcome.received} bytes of a response` : ' without answering';
      if (probe.args.length > 0) {
        return unknown(
          `${where} closed the connection${got} for '${probe.command}' with ${probe.args.length} argument(s) (${tried}, ${tlsLabel}) — the daemon refuses command arguments unless built with --enable-command-args (Debian's is not) and run with dont_blame_nrpe=1: fix the arguments in nrpe.cfg instead`,
          startedAt,
        );
      }
      return unknown(
        `${where} closed the connection${got} for '${probe.command}' (${tried}, ${tlsLabel}) — the daemon refused the request: check that this monitoring address is in its allowed_hosts and that its ssl setting matches tls here; its log says why`,
        startedAt,
      );
    }
  }
}

/** v4 failed in a way a v2-only daemon (nrpe 2.x, NSClient++) fails it: try v2, as check_nrpe does. */
function worthV2(outcome: ExchangeOutcome): boolean {
  return outcome.kind === 'closed' || (outcome.kind === 'framing' && outcome.problem.kind === 'version');
}

/**
 * Runs one NRPE check the way check_nrpe does — v4 first, v2 if the daemon does not take v4 —
 * and reports what check_nrpe would print (the daemon's output, state and perfdata). Never
 * rejects: every failure is a result whose output names the host, port, protocol step and what
 * to do. Cheap per check: no process, no DNS for IP literals, TLS contexts built once and TLS
 * sessions resumed, endpoints known to speak only v2 asked in v2 directly.
 */
export async function runNrpe(probe: NrpeProbe, opts: NrpeRunOptions): Promise<CheckResult> {
  const startedAt = Date.now();
  try {
    const { host, port } = probe;
    if (host === '')
      return unknown(
        'no host to connect to: set host on the nrpe check or an address on the host',
        startedAt,
      );
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      return unknown(
        `invalid port ${port} for ${host}: use 1..65535 (nrpe listens on 5666 by default)`,
        startedAt,
      );
    }
    const built = buildQuery(probe.command, probe.args);
    if (!built.ok) return unknown(`${built.error} (${host} port ${port})`, startedAt);

    let setup: NrpeTlsSetup | undefined;
    if (probe.tls !== 'none') {
      try {
        setup = nrpeTlsSetup(probe.tls);
      } catch (error) {
        return unknown(`${(error as Error).message} (${host} port ${port})`, startedAt);
      }
    }
    const tlsLabel = setup?.label ?? 'no TLS';
    const endpoint = `${host}|${port}|${setup?.cacheKey ?? 'plain'}`;
    const protocol = probe.protocol ?? 'auto';
    const queryBytes = Buffer.byteLength(built.query);
    let versions: NrpePacketVersion[];
    if (protocol === 2 || protocol === 4) versions = [protocol];
    else if (knownV2Only(endpoint)) versions = [2];
    else versions = [4, 2];
    versions = versions.filter((v) => queryBytes <= maxQueryBytes(v));
    if (versions.length === 0) {
      return unknown(
        `the query for '${probe.command}' is ${queryBytes} bytes, more than protocol v${protocol} carries (${maxQueryBytes(2)} in v2) (${host} port ${port})`,
        startedAt,
      );
    }

    const where = `${host} port ${port}`;
    const deadline = startedAt + opts.timeoutMs;
    const tried: string[] = [];
    let failure: Exclude<ExchangeOutcome, { kind: 'response' }> | undefined;
    for (let i = 0; i < versions.length; i++) {
      const version = versions[i]!;
      tried.push(`v${version}`);
      const outcome = await exchange({
        host,
        port,
        version,
        query: built.query,
        tls: setup,
        endpoint,
        deadline,
        lookup: opts.lookup,
        signal: opts.signal,
      });
      if (outcome.kind === 'response') {
        if (protocol === 'auto') {
          if (version === 2 && i > 0) rememberV2Only(endpoint);
          if (version === 4) forgetV2Only(endpoint);
        }
        return responseResult(outcome, probe, where, version, startedAt);
      }
      failure = outcome;
      if (!worthV2(outcome)) break;
    }
    const triedText = `protocol ${tried.join(' then ')}`;
    return failureResult(failure!, { probe, opts, where, tried: triedText, tlsLabel, setup }, startedAt);
  } catch (error) {
    // A bug, not a check outcome: still a result, so the scheduler keeps going.
    return unknown(
      `internal error in the NRPE probe: ${(error as Error)?.message ?? String(error)}`,
      startedAt,
    );
  }
}
