import snmp from 'net-snmp';

export interface SnmpUser {
  name: string;
  level: 'authPriv' | 'authNoPriv' | 'noAuthNoPriv';
  authProtocol?: 'sha' | 'sha256' | 'sha512' | 'md5';
  authKey?: string;
  privProtocol?: 'aes' | 'aes256b' | 'des';
  privKey?: string;
}

export interface SnmpTarget {
  host: string;
  /** snmpd's UDP port, 161 by default. */
  port: number;
  version: '2c' | '3';
  /** v2c only. */
  community?: string;
  /** v3 only. */
  user?: SnmpUser;
  /** For the whole poll (all its requests and retries). */
  timeoutMs: number;
}

type Session = InstanceType<typeof snmp.Session>;

/** "127.0.0.1:161 (SNMP v3 user monitor, authPriv)": where, never a secret. */
export function describeTarget(target: SnmpTarget): string {
  const who =
    target.version === '3'
      ? `SNMP v3 user ${target.user?.name ?? '?'}, ${target.user?.level ?? '?'}`
      : 'SNMP v2c';
  return `${target.host}:${target.port} (${who})`;
}

const AUTH = {
  md5: snmp.AuthProtocols.md5,
  sha: snmp.AuthProtocols.sha,
  sha256: snmp.AuthProtocols.sha256,
  sha512: snmp.AuthProtocols.sha512,
} as const;
const PRIV = {
  des: snmp.PrivProtocols.des,
  aes: snmp.PrivProtocols.aes,
  aes256b: snmp.PrivProtocols.aes256b,
} as const;
const LEVEL = {
  noAuthNoPriv: snmp.SecurityLevel.noAuthNoPriv,
  authNoPriv: snmp.SecurityLevel.authNoPriv,
  authPriv: snmp.SecurityLevel.authPriv,
} as const;

/** What is missing or wrong in a target, or undefined when a session can be opened. */
export function targetProblem(target: SnmpTarget): string | undefined {
  if (target.host === '') return 'no host to poll: set an address on the host';
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535)
    return `invalid port ${target.port}: use 1..65535 (snmpd listens on 161)`;
  if (target.version === '2c') return target.community ? undefined : 'SNMP v2c needs a community';
  const user = target.user;
  if (!user?.name) return 'SNMP v3 needs a user name';
  if (user.level !== 'noAuthNoPriv' && !user.authKey)
    return `SNMP v3 user ${user.name} at ${user.level} needs an authKey`;
  if (user.level === 'authPriv' && !user.privKey)
    return `SNMP v3 user ${user.name} at authPriv needs a privKey`;
  if (user.authKey !== undefined && user.level !== 'noAuthNoPriv' && user.authKey.length < 8) {
    return `the authKey of SNMP v3 user ${user.name} is shorter than 8 characters, which agents refuse (RFC 3414)`;
  }
  return undefined;
}

/**
 * A session for one poll. Each try waits half the budget (one retry), so a lost UDP datagram
 * costs a retry and not the poll, and the poll as a whole stays within timeoutMs.
 */
export function openSession(target: SnmpTarget): Session {
  const timing = {
    port: target.port,
    retries: 1,
    timeout: Math.max(100, Math.floor(target.timeoutMs / 2)),
    backoff: 1,
  };
  const transport = target.host.includes(':') ? ('udp6' as const) : ('udp4' as const);
  if (target.version === '2c') {
    return snmp.createSession(target.host, target.community ?? '', {
      ...timing,
      transport,
      version: snmp.Version2c,
    });
  }
  const user = target.user!;
  return snmp.createV3Session(
    target.host,
    {
      name: user.name,
      level: LEVEL[user.level],
      ...(user.level !== 'noAuthNoPriv'
        ? { authProtocol: AUTH[user.authProtocol ?? 'sha'], authKey: user.authKey }
        : {}),
      ...(user.level === 'authPriv'
        ? { privProtocol: PRIV[user.privProtocol ?? 'aes'], privKey: user.privKey }
        : {}),
    },
    { ...timing, transport, version: snmp.Version3 },
  );
}

/** Words for a failed poll: what happened, where, and what to check. Never contains a secret. */
export function describeSnmpError(error: unknown, target: SnmpTarget): string {
  const where = describeTarget(target);
  const e = error as Error & { name?: string; code?: string | number };
  const message = e?.message ?? String(error);
  if (e?.name === 'RequestTimedOutError' || /timed out/i.test(message)) {
    const hint =
      target.version === '2c'
        ? 'a wrong community gets no answer at all from snmpd; also check that the agent runs, listens on this address and that UDP is not filtered'
        : 'a wrong privKey or privProtocol gets no answer at all from snmpd; also check that the agent runs, listens on this address and that UDP is not filtered';
    return `no answer from ${where} within ${(target.timeoutMs / 1000).toFixed(1)} s: ${hint}`;
  }
  if (/Wrong Digest/i.test(message)) {
    return `${where} refused the credentials: wrong authKey or authProtocol (the agent reported usmStatsWrongDigests)`;
  }
  if (/Unknown User Name/i.test(message)) {
    return `${where} does not know this user: create it in snmpd.conf (createUser) or fix the user name`;
  }
  if (/Decryption Error/i.test(message))
    return `${where} could not decrypt the request: wrong privKey or privProtocol`;
  if (/Unsupported Security Level/i.test(message))
    return `${where} does not allow security level ${target.user?.level}: compare with its rouser line`;
  if (/Not In Time Window/i.test(message))
    return `${where} rejected the request as outside its time window (engine boots/time); retry`;
  if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN')
    return `cannot resolve ${target.host} (${e.code}) for ${where}`;
  return `SNMP request to ${where} failed: ${message}`;
}
