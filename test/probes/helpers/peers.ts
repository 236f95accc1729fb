import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:net';
import type { PerfDatum } from '../../../src/core/index.ts';
import { parsePluginOutput } from '../../../src/probes/index.ts';

export const PLUGINS = '/usr/lib/nagios/plugins';

export interface RealPluginRun {
  state: number;
  output: string;
  perfdata: PerfDatum[];
  stdout: string;
}

/** Runs a real monitoring-plugins binary and parses it the same way Steward parses plugins. */
export function runRealPlugin(name: string, args: string[]): Promise<RealPluginRun> {
  return new Promise((resolve) => {
    execFile(`${PLUGINS}/${name}`, args, { timeout: 20_000 }, (error, stdout) => {
      const code = error && typeof error.code === 'number' ? error.code : 0;
      const parsed = parsePluginOutput(stdout);
      resolve({ state: code, output: parsed.output, perfdata: parsed.perfdata, stdout });
    });
  });
}

export async function listen(server: Server, host = '127.0.0.1'): Promise<number> {
  server.listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function close(server: Server): Promise<void> {
  if (!server.listening) return;
  (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
  server.close();
  await once(server, 'close');
}

/** A port on which nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  const port = await listen(server);
  await close(server);
  return port;
}

/**
 * A listener whose accept queue is full, so new connections hang in SYN-SENT: the only way to
 * make a connect time out on loopback. Node always accepts, so this peer is a small python3.
 */
export async function blackholeListener(): Promise<{ port: number; stop: () => void }> {
  const code = [
    'import socket, sys, time',
    "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)",
    'port = s.getsockname()[1]',
    'held = []',
    'for i in range(4):',
    '    c = socket.socket(); c.setblocking(False)',
    "    try: c.connect(('127.0.0.1', port))",
    '    except BlockingIOError: pass',
    '    held.append(c)',
    'time.sleep(0.2)',
    'print(port, flush=True)',
    'sys.stdin.read()',
  ].join('\n');
  const child: ChildProcess = spawn('python3', ['-c', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return {
    port: Number(chunk.toString().trim()),
    stop: () => {
      child.stdin?.end();
      child.kill();
    },
  };
}

export function labelsAndUnits(perfdata: PerfDatum[]): Array<[string, string]> {
  return perfdata.map((p) => [p.label, p.uom]);
}
