import { connect, createServer, isIP, type Socket } from 'node:net';
import type {
  AuthContext,
  Connection,
  KeyboardAuthContext,
  PublicKeyAuthContext,
  ServerChannel,
  Session,
} from 'ssh2';
import ssh2 from 'ssh2';
import { operatorNetworkFilter, unmapIpv4 } from '../auth/operator-networks.ts';
import { verifyTotp } from '../auth/totp.ts';
import type { Logger } from '../log/index.ts';
import { GATEWAY_ALGORITHMS } from './algorithms.ts';
import type { AuditEvent } from './audit.ts';
import { authorizeForward, reachableTargets } from './authorization.ts';
import {
  type GatewayConfig,
  type GatewayGrant,
  type GatewayTarget,
  resolveLimits,
  type TotpStepStore,
} from './config.ts';
import { FailureLimiter, RateWindow } from './failure-limiter.ts';
import { loadOrCreateHostKey } from './host-key.ts';
import { loginMenu } from './login-menu.ts';
import { compileUsers, findUserKey, type KnownUser, type UserKey } from './users.ts';

export interface GatewayStats {
  connectionsOpen: number;
  connectionsAccepted: number;
  connectionsRefused: number;
  authAccepted: number;
  authRefused: number;
  forwardsOpen: number;
  forwardsOpened: number;
  forwardsRefused: number;
  /** bytes from operators to targets, closed forwards plus open ones so far */
  bytesToTargets: number;
  bytesFromTargets: number;
  bannedSources: number;
  bannedUsers: number;
}

export interface RunningGateway {
  /** the port actually bound (useful with port 0) */
  port: number;
  /** the host key's `ssh-ed25519 AAAA...` line and fingerprint, for operators' known_hosts */
  hostKey: { publicLine: string; fingerprint: string };
  stats(): GatewayStats;
  /**
   * Swaps users, targets, operator networks and grants (a re-read spec, SIGHUP) without dropping
   * anyone: new logins and forwards use the new lists, and open forwards are re-authorized against
   * them at the next re-check. Listen address, host key and limits need a restart.
   */
  reconfigure(next: Pick<GatewayConfig, 'users' | 'targets' | 'operatorNetworks' | 'grants'>): void;
  /** stops accepting, cuts every connection and forward (audited as closedBy: shutdown) */
  close(): Promise<void>;
}

/** Per TCP connection, from accept to close. */
interface ConnectionState {
  conn: number;
  source: string;
  sourcePort: number;
  openedAt: number;
  socket: Socket;
  client?: Connection;
  authMethods: Set<string>;
  failedTries: number;
  sourceFailuresRecorded: number;
  /** set once the public key is proven; TOTP is asked only then */
  keyUser?: { user: KnownUser; key: UserKey };
  user?: KnownUser;
  endReason?: string;
  graceTimer?: NodeJS.Timeout;
}

interface OpenForward {
  state: ConnectionState;
  requestedHost: string;
  port: number;
  target: GatewayTarget;
  socket: Socket;
  channel: ServerChannel;
  openedAt: number;
  closedBy?: string;
}

const TOTP_PROMPT = { prompt: 'Verification code (TOTP): ', echo: false };

/**
 * Starts the SSH bastion. Every accepted TCP connection is checked against the operator networks
 * (and source bans / rate) before it is handed to the SSH server, so a refused peer never sees an
 * SSH byte. Authentication is a listed user's public key, then a TOTP code (keyboard-interactive);
 * the only thing an authenticated user can do is `direct-tcpip` to authorized target ports, or see
 * the host menu.
 */
export async function startGateway(cfg: GatewayConfig, logger: Logger): Promise<RunningGateway> {
  const limits = resolveLimits(cfg.limits);
  const now = cfg.now ?? Date.now;
  let users = compileUsers(cfg.users);
  let sourceFilter = operatorNetworkFilter(cfg.operatorNetworks);
  validateTargets(cfg.targets);
  let targets = cfg.targets;
  let grantSource = cfg.grants;
  const hostKey = loadOrCreateHostKey(cfg.hostKeyFile);
  const sourceLimiter = new FailureLimiter(limits.source);
  const userLimiter = new FailureLimiter(limits.user);
  const connectionRate = new RateWindow(limits.connectionsPerMinute, 60_000);
  /** last TOTP step each user logged in with; a code is good once (RFC 6238 §5.2) */
  const lastTotpStep = cfg.totpSteps ?? memoryTotpSteps();
  const connections = new Set<ConnectionState>();
  const forwards = new Set<OpenForward>();
  const byPeer = new Map<string, ConnectionState>();
  let nextConn = 1;
  let closing = false;
  const counters = {
    connectionsAccepted: 0,
    connectionsRefused: 0,
    authAccepted: 0,
    authRefused: 0,
    forwardsOpened: 0,
    forwardsRefused: 0,
    bytesToTargets: 0,
    bytesFromTargets: 0,
  };

  const audit = (event: AuditEvent) => {
    try {
      cfg.audit({ ts: new Date(now()).toISOString(), ...event });
    } catch (err) {
      logger.error({ err: (err as Error).message, event: event.type }, 'gateway audit sink failed');
    }
  };

  /**
   * The logged-in user as the spec says now: a reload (reconfigure) may have changed their
   * environments or removed them, and a multiplexed login lives for many forwards.
   */
  const currentUser = (state: ConnectionState): KnownUser | undefined =>
    state.user ? users.get(state.user.name) : undefined;

  /** Grants are re-read on every decision; a failing source means no grants (fail closed). */
  const currentGrants = (): GatewayGrant[] => {
    if (!grantSource) return [];
    try {
      return grantSource();
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'gateway: reading grants failed; treating as none');
      return [];
    }
  };

  const recordSourceFailure = (state: ConnectionState) => {
    state.sourceFailuresRecorded++;
    const until = sourceLimiter.fail(state.source, now());
    if (until !== undefined) {
      audit({ type: 'ban', scope: 'source', subject: state.source, until: new Date(until).toISOString() });
      logger.warn({ source: state.source }, 'gateway: source banned after repeated authentication failures');
    }
  };

  const recordUserFailure = (user: string) => {
    const until = userLimiter.fail(user, now());
    if (until !== undefined) {
      audit({ type: 'ban', scope: 'user', subject: user, until: new Date(until).toISOString() });
      logger.warn({ user }, 'gateway: user banned after repeated TOTP failures');
    }
  };

  const sshServer = new ssh2.Server({
    hostKeys: [hostKey.privateKey],
    algorithms: GATEWAY_ALGORITHMS,
    ident: 'Steward_gateway',
    keepaliveInterval: 15_000,
    keepaliveCountMax: 4,
  });

  sshServer.on('error', (err: Error) => logger.error({ err: err.message }, 'gateway: ssh server error'));
  sshServer.on('connection', (client: Connection, info: { ip: string; port: number }) => {
    const state = byPeer.get(`${info.ip}|${info.port}`);
    if (!state) {
      client.end();
      return;
    }
    state.client = client;
    client.on('error', (err: Error) => {
      logger.debug({ conn: state.conn, err: err.message }, 'gateway: ssh connection error');
    });
    client.on('authentication', (ctx: AuthContext) => handleAuth(state, ctx));
    client.on('ready', () => {
      clearTimeout(state.graceTimer);
    });
    client.on('tcpip', (accept, reject, req) =>
      handleForward(state, accept, reject, req.destIP, req.destPort),
    );
    client.on('session', (accept) => handleSession(state, accept()));
    client.on('request', (_accept, reject, name) => {
      audit({ ...who(state), type: 'session-refused', request: name });
      reject?.();
    });
    client.on('openssh.streamlocal', (_accept, reject) => {
      audit({ ...who(state), type: 'session-refused', request: 'streamlocal' });
      reject();
    });
  });

  const who = (state: ConnectionState) => ({
    conn: state.conn,
    source: state.source,
    ...(state.user ? { user: state.user.name } : {}),
  });

  const failTry = (state: ConnectionState) => {
    state.failedTries++;
    if (state.failedTries >= limits.maxAuthTries) {
      state.endReason = 'too-many-auth-failures';
      // After the failure reply is queued, so the client learns why it was cut.
      setImmediate(() => state.client?.end());
    }
  };

  function handleAuth(state: ConnectionState, ctx: AuthContext): void {
    state.authMethods.add(ctx.method);
    const refuse = (
      reason: string,
      methodsLeft: ('publickey' | 'keyboard-interactive')[],
      extra: Record<string, unknown> = {},
    ) => {
      counters.authRefused++;
      audit({
        type: 'auth',
        conn: state.conn,
        source: state.source,
        user: ctx.username,
        method: ctx.method,
        result: 'refused',
        reason,
        ...extra,
      });
      ctx.reject(methodsLeft);
      failTry(state);
    };
    const t = now();
    switch (ctx.method) {
      case 'none':
        // Every client starts here to learn the methods; not a failure.
        ctx.reject(state.keyUser ? ['keyboard-interactive'] : ['publickey']);
        return;
      case 'password':
        // The password is never looked at, logged or compared.
        recordSourceFailure(state);
        refuse('password-authentication-disabled', ['publickey']);
        return;
      case 'hostbased':
        refuse('hostbased-authentication-disabled', ['publickey']);
        return;
      case 'publickey':
        handlePublicKey(state, ctx, refuse, t);
        return;
      case 'keyboard-interactive':
        handleTotp(state, ctx, refuse, t);
        return;
    }
  }

  function handlePublicKey(
    state: ConnectionState,
    ctx: PublicKeyAuthContext,
    refuse: (
      reason: string,
      left: ('publickey' | 'keyboard-interactive')[],
      extra?: Record<string, unknown>,
    ) => void,
    t: number,
  ): void {
    if (state.keyUser) {
      ctx.reject(['keyboard-interactive'], true);
      return;
    }
    const user = users.get(ctx.username);
    // The client sees the same refusal for an unknown user and an unknown key; only the audit differs.
    if (!user) {
      refuse('unknown-user', ['publickey']);
      return;
    }
    const key = findUserKey(user, ctx.key.data);
    if (!key) {
      refuse('unknown-key', ['publickey']);
      return;
    }
    if (userLimiter.bannedUntil(user.name, t) !== undefined) {
      refuse('user-banned', ['publickey']);
      return;
    }
    if (!ctx.signature || !ctx.blob) {
      ctx.accept(); // "this key would do": the client then signs with it
      return;
    }
    if (!key.parsed.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) {
      recordSourceFailure(state);
      refuse('bad-signature', ['publickey'], { key: key.fingerprint });
      return;
    }
    if (!user.totpSecret) {
      refuse('totp-not-enrolled', ['publickey'], { key: key.fingerprint });
      return;
    }
    state.keyUser = { user, key };
    audit({
      type: 'auth',
      conn: state.conn,
      source: state.source,
      user: user.name,
      method: 'publickey',
      result: 'partial',
      key: key.fingerprint,
    });
    ctx.reject(['keyboard-interactive'], true);
  }

  function handleTotp(
    state: ConnectionState,
    ctx: KeyboardAuthContext,
    refuse: (
      reason: string,
      left: ('publickey' | 'keyboard-interactive')[],
      extra?: Record<string, unknown>,
    ) => void,
    t: number,
  ): void {
    const proven = state.keyUser;
    if (!proven || proven.user.name !== ctx.username) {
      // TOTP is only the second factor; ask for the key first. Not counted: clients probe methods.
      ctx.reject(['publickey']);
      return;
    }
    const { user, key } = proven;
    if (userLimiter.bannedUntil(user.name, t) !== undefined) {
      refuse('user-banned', ['keyboard-interactive'], { key: key.fingerprint });
      return;
    }
    ctx.prompt(
      [TOTP_PROMPT],
      'Steward bastion',
      'Enter the 6-digit code from your authenticator app.',
      (answers) => {
        if (!Array.isArray(answers)) return; // the client aborted the prompt
        const verdict = verifyTotp(user.totpSecret!, answers[0] ?? '', now(), lastTotpStep.get(user.name));
        if (!verdict.ok) {
          recordUserFailure(user.name);
          recordSourceFailure(state);
          refuse(verdict.reason === 'reused' ? 'totp-reused' : 'totp-wrong', ['keyboard-interactive'], {
            key: key.fingerprint,
          });
          return;
        }
        // Re-check the ban: another connection may have tripped it while this prompt was open.
        if (userLimiter.bannedUntil(user.name, now()) !== undefined) {
          refuse('user-banned', ['keyboard-interactive'], { key: key.fingerprint });
          return;
        }
        lastTotpStep.set(user.name, verdict.step);
        userLimiter.succeed(user.name);
        sourceLimiter.succeed(state.source);
        state.user = user;
        counters.authAccepted++;
        audit({
          type: 'auth',
          conn: state.conn,
          source: state.source,
          user: user.name,
          method: 'keyboard-interactive',
          result: 'accepted',
          key: key.fingerprint,
        });
        ctx.accept();
      },
    );
  }

  function handleForward(
    state: ConnectionState,
    accept: () => ServerChannel,
    reject: () => void,
    destHost: string,
    destPort: number,
  ): void {
    const user = currentUser(state);
    if (!user) {
      reject();
      return;
    }
    const decision = authorizeForward(user, targets, currentGrants(), destHost, destPort, now());
    if (!decision.allowed) {
      counters.forwardsRefused++;
      audit({
        ...who(state),
        type: 'forward-refused',
        requestedHost: destHost,
        requestedPort: destPort,
        reason: decision.reason,
        ...(decision.target ? { host: decision.target.host, environment: decision.target.environment } : {}),
      });
      reject();
      return;
    }
    const { target, access } = decision;
    const describe = {
      host: target.host,
      environment: target.environment,
      address: target.address,
      port: destPort,
    };
    const socket = connect({ host: target.address, port: destPort, noDelay: true });
    const connectTimer = setTimeout(
      () => socket.destroy(new Error('connect timeout')),
      limits.connectTimeoutMs,
    );
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(connectTimer);
      if (socket.connecting || !socket.remoteAddress) {
        counters.forwardsRefused++;
        audit({
          ...who(state),
          type: 'forward-refused',
          ...describe,
          reason: 'target-unreachable',
          error: err.code ?? err.message,
        });
        reject();
      }
    });
    socket.once('connect', () => {
      clearTimeout(connectTimer);
      if (closing || !state.client) {
        socket.destroy();
        reject();
        return;
      }
      const channel = accept();
      if (!channel) {
        socket.destroy();
        return;
      }
      const forward: OpenForward = {
        state,
        requestedHost: destHost,
        port: destPort,
        target,
        socket,
        channel,
        openedAt: now(),
      };
      forwards.add(forward);
      counters.forwardsOpened++;
      audit({
        ...who(state),
        type: 'forward',
        ...describe,
        via: access.via,
        ...(access.via === 'grant'
          ? {
              grantReason: access.grant.reason,
              grantExpiresAt: new Date(access.grant.expiresAt).toISOString(),
            }
          : {}),
      });
      channel.pipe(socket);
      socket.pipe(channel);
      socket.on('error', () => {
        forward.closedBy ??= 'error';
      });
      socket.once('end', () => {
        forward.closedBy ??= 'target';
      });
      channel.once('close', () => {
        forward.closedBy ??= 'client';
        // Let data already written reach the target, then make sure the socket goes.
        socket.end();
        setTimeout(() => socket.destroy(), 5_000).unref();
      });
      socket.once('close', () => {
        forwards.delete(forward);
        counters.bytesToTargets += socket.bytesWritten;
        counters.bytesFromTargets += socket.bytesRead;
        channel.destroy();
        audit({
          ...who(state),
          type: 'forward-closed',
          ...describe,
          bytesToTarget: socket.bytesWritten,
          bytesFromTarget: socket.bytesRead,
          durationMs: now() - forward.openedAt,
          closedBy: forward.closedBy ?? 'client',
        });
      });
    });
  }

  function handleSession(state: ConnectionState, session: Session): void {
    const refuseRequest = (request: string) => (_accept: unknown, reject?: () => void) => {
      audit({ ...who(state), type: 'session-refused', request });
      reject?.();
    };
    session.on('pty', (accept) => accept?.());
    session.on('window-change', (accept) => accept?.());
    session.on('env', (_accept, reject) => reject?.());
    // exec and subsystems (sftp, scp) are accepted only to answer with a clear refusal and a non-zero
    // exit: a bare channel failure leaves some clients (a ControlMaster mux) waiting forever.
    const refuseWithMessage = (request: string, channel: ServerChannel | undefined) => {
      audit({ ...who(state), type: 'session-refused', request });
      if (!channel) return;
      channel.stderr.write(
        `Steward bastion: no ${request} here; reach hosts with ssh -J (ssh to the bastion lists them).\r\n`,
      );
      channel.exit(1);
      channel.end();
    };
    session.on('exec', (accept) => refuseWithMessage('exec', accept()));
    session.on('subsystem', (accept, _reject, info) => refuseWithMessage(`subsystem ${info.name}`, accept()));
    session.on('x11', refuseRequest('x11'));
    session.on('auth-agent', refuseRequest('agent-forwarding'));
    session.on('shell', (accept) => {
      const channel = accept();
      if (!channel || !state.user) return;
      const reachable = reachableTargets(state.user, targets, currentGrants(), now());
      audit({ ...who(state), type: 'menu', hosts: reachable.map((r) => r.target.host) });
      channel.write(loginMenu(state.user.name, reachable, now()));
      channel.exit(0);
      channel.end();
    });
  }

  const onTcpConnection = (socket: Socket) => {
    const source = unmapIpv4(socket.remoteAddress ?? '');
    const t = now();
    let refusal: string | undefined;
    if (closing) refusal = 'shutting-down';
    else if (!sourceFilter.allows(source)) refusal = 'outside-operator-networks';
    else if (sourceLimiter.bannedUntil(source, t) !== undefined) refusal = 'source-banned';
    else if (!connectionRate.take(source, t)) refusal = 'rate-limited';
    if (refusal) {
      counters.connectionsRefused++;
      // Not a single byte: a peer outside the operator network cannot even tell this is SSH.
      socket.on('error', () => {});
      socket.resetAndDestroy();
      audit({ type: 'connection-refused', source, sourcePort: socket.remotePort, reason: refusal });
      logger.info({ source, reason: refusal }, 'gateway: connection refused');
      return;
    }
    counters.connectionsAccepted++;
    const state: ConnectionState = {
      conn: nextConn++,
      source,
      sourcePort: socket.remotePort ?? 0,
      openedAt: t,
      socket,
      authMethods: new Set(),
      failedTries: 0,
      sourceFailuresRecorded: 0,
    };
    connections.add(state);
    const peerKey = `${socket.remoteAddress}|${socket.remotePort}`;
    byPeer.set(peerKey, state);
    audit({ type: 'connection', conn: state.conn, source, sourcePort: state.sourcePort });
    state.graceTimer = setTimeout(() => {
      if (state.user) return;
      state.endReason = 'login-grace-expired';
      socket.destroy();
    }, limits.loginGraceMs);
    socket.on('error', () => {});
    socket.once('close', () => {
      clearTimeout(state.graceTimer);
      connections.delete(state);
      byPeer.delete(peerKey);
      const triedSomething = [...state.authMethods].some((m) => m !== 'none');
      if (!state.user && triedSomething && state.sourceFailuresRecorded === 0 && !closing) {
        recordSourceFailure(state);
      }
      audit({
        ...who(state),
        type: 'disconnect',
        authenticated: state.user !== undefined,
        ...(!state.user && state.keyUser ? { attemptedUser: state.keyUser.user.name } : {}),
        authMethods: [...state.authMethods],
        durationMs: now() - state.openedAt,
        ...(state.endReason ? { reason: state.endReason } : {}),
      });
    });
    sshServer.injectSocket(socket);
  };

  const tcpServer = createServer({ noDelay: true }, onTcpConnection);

  /** Re-authorizes open forwards, so a revoked or expired grant cuts them, and prunes limiter maps. */
  const recheck = setInterval(() => {
    const t = now();
    const grants = currentGrants();
    for (const forward of forwards) {
      if (!forward.state.user) continue;
      const user = currentUser(forward.state);
      const decision = user
        ? authorizeForward(user, targets, grants, forward.requestedHost, forward.port, t)
        : ({ allowed: false, reason: 'user-removed' } as const);
      if (!decision.allowed) {
        forward.closedBy = decision.reason === 'grant-expired' ? 'grant-expired' : 'revoked';
        forward.socket.destroy();
        forward.channel.destroy();
      }
    }
    sourceLimiter.prune(t);
    userLimiter.prune(t);
    connectionRate.prune(t);
  }, limits.recheckMs);
  recheck.unref();

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      clearInterval(recheck);
      reject(
        new Error(
          `gateway cannot listen on ${cfg.listen.host}:${cfg.listen.port}: ${err.code ?? err.message}` +
            (err.code === 'EADDRINUSE'
              ? ' (another process holds the port; choose access.bastion.port)'
              : ''),
        ),
      );
    };
    tcpServer.once('error', onError);
    tcpServer.listen({ host: cfg.listen.host, port: cfg.listen.port, backlog: 1024 }, () => {
      tcpServer.off('error', onError);
      resolve();
    });
  });
  tcpServer.on('error', (err) => logger.error({ err: err.message }, 'gateway listener error'));
  const address = tcpServer.address();
  const port = typeof address === 'object' && address ? address.port : cfg.listen.port;
  logger.info(
    {
      host: cfg.listen.host,
      port,
      hostKey: hostKey.fingerprint,
      users: users.size,
      targets: targets.length,
    },
    'gateway listening',
  );

  return {
    port,
    hostKey: { publicLine: hostKey.publicLine, fingerprint: hostKey.fingerprint },
    stats() {
      const t = now();
      let openTo = 0;
      let openFrom = 0;
      for (const f of forwards) {
        openTo += f.socket.bytesWritten;
        openFrom += f.socket.bytesRead;
      }
      return {
        ...counters,
        bytesToTargets: counters.bytesToTargets + openTo,
        bytesFromTargets: counters.bytesFromTargets + openFrom,
        connectionsOpen: connections.size,
        forwardsOpen: forwards.size,
        bannedSources: sourceLimiter.banned(t).length,
        bannedUsers: userLimiter.banned(t).length,
      };
    },
    reconfigure(next) {
      validateTargets(next.targets);
      const nextUsers = compileUsers(next.users);
      const nextFilter = operatorNetworkFilter(next.operatorNetworks);
      users = nextUsers;
      sourceFilter = nextFilter;
      targets = next.targets;
      grantSource = next.grants;
      logger.info({ users: users.size, targets: targets.length }, 'gateway reconfigured');
    },
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(recheck);
      const stopped = new Promise<void>((resolve) => tcpServer.close(() => resolve()));
      for (const forward of forwards) {
        forward.closedBy = 'shutdown';
        forward.socket.destroy();
      }
      for (const state of connections) {
        state.endReason = 'shutdown';
        state.client?.end();
        state.socket.destroy();
      }
      await stopped;
      logger.info('gateway stopped');
    },
  };
}

function memoryTotpSteps(): TotpStepStore {
  const steps = new Map<string, number>();
  return { get: (user) => steps.get(user), set: (user, step) => void steps.set(user, step) };
}

function validateTargets(targets: readonly GatewayTarget[]): void {
  for (const [i, t] of targets.entries()) {
    if (isIP(t.address) === 0) {
      throw new Error(
        `gateway target "${t.host}" (targets[${i}]): address "${t.address}" is not an IP address; ` +
          'the gateway does not resolve names, give the host its address in the spec',
      );
    }
    for (const p of [t.sshPort, ...(t.extraPorts ?? [])]) {
      if (!Number.isInteger(p) || p < 1 || p > 65535) {
        throw new Error(`gateway target "${t.host}" (targets[${i}]): port ${p} is not 1..65535`);
      }
    }
  }
}
