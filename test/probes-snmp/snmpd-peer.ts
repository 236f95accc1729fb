/**
 * The real snmpd for the tests: run in the foreground on a free loopback UDP port, with a config
 * and a persistent dir of its own in a temp dir (no system config, no system state touched), and
 * the net-snmp command-line tools to compare against.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import snmp from 'net-snmp';

export const SNMPD = '/usr/sbin/snmpd';
export const COMMUNITY = 'steward-test-community';
export const V3_USER = { name: 'steward', authKey: 'auth-pass-123', privKey: 'priv-pass-123' };

/** A UDP port nobody is bound to right now. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface Snmpd {
  port: number;
  stop(): Promise<void>;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const session = snmp.createSession('127.0.0.1', COMMUNITY, {
      port,
      version: snmp.Version2c,
      timeout: 200,
      retries: 0,
    });
    session.on('error', () => {});
    session.get(['1.3.6.1.2.1.1.3.0'], (error) => {
      session.close();
      resolve(!error);
    });
  });
}

/** Starts snmpd with a v2c community and a v3 authPriv (SHA/AES) user, waits until it answers. */
export async function startSnmpd(): Promise<Snmpd> {
  if (!existsSync(SNMPD)) throw new Error(`${SNMPD} is missing: apt-get install snmpd snmp`);
  const port = await freeUdpPort();
  const dir = mkdtempSync(join(tmpdir(), 'steward-snmpd-'));
  const config = join(dir, 'snmpd.conf');
  writeFileSync(
    config,
    [
      `rocommunity ${COMMUNITY} 127.0.0.1`,
      `createUser ${V3_USER.name} SHA "${V3_USER.authKey}" AES "${V3_USER.privKey}"`,
      `rouser ${V3_USER.name} priv`,
      'includeAllDisks 10%',
      '',
    ].join('\n'),
  );
  const child = spawn(
    SNMPD,
    ['-f', '-Lo', '-C', '-c', config, '-p', join(dir, 'snmpd.pid'), `udp:127.0.0.1:${port}`],
    {
      stdio: 'ignore',
      // Its own persistent dir (engine ID, users) and no MIB loading (Debian ships few MIBs).
      env: {
        ...process.env,
        SNMP_PERSISTENT_DIR: join(dir, 'persist'),
        MIBS: '',
        MIBDIRS: join(dir, 'no-mibs'),
      },
    },
  );
  running.add(child);
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    if (await answers(port)) return { port, stop };
  }
  await stop();
  throw new Error(`snmpd did not answer on udp:127.0.0.1:${port}`);
}

/** Runs a net-snmp tool (snmpget, snmpwalk) with numeric OIDs and bare values, one per line. */
export function snmpTool(
  tool: 'snmpget' | 'snmpwalk',
  port: number,
  oids: string[],
  auth?: string[],
): Promise<string[]> {
  const credentials = auth ?? ['-v2c', '-c', COMMUNITY];
  return new Promise((resolve, reject) => {
    execFile(
      `/usr/bin/${tool}`,
      [...credentials, '-On', '-Oqv', '-Ot', `127.0.0.1:${port}`, ...oids],
      { env: { ...process.env, MIBS: '' } },
      (error, stdout) => {
        if (error) reject(error);
        else
          resolve(
            stdout
              .trim()
              .split('\n')
              .map((l) => l.replace(/^"|"$/g, '')),
          );
      },
    );
  });
}
