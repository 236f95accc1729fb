import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDuration } from '../core/index.ts';
import { openSqliteStore } from '../store/index.ts';
import { DEFAULT_DATA_DIR, parseCommandArgs } from './args.ts';

const HELP = `Usage: steward reload [--data DIR] [--timeout 30s]

Makes the server running on DIR re-read its spec (SIGHUP), waits for the outcome and prints it.
An invalid spec is refused: the server keeps its running configuration, and this command prints
the spec's errors and exits 1.
`;

export async function reloadCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    'reload',
    args,
    {
      data: { type: 'string', default: DEFAULT_DATA_DIR },
      timeout: { type: 'string', default: '30s' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const timeoutMs = parseDuration(values.timeout);
  if (timeoutMs === null || timeoutMs <= 0) {
    throw new Error(`--timeout "${values.timeout}" is not a duration; write e.g. 30s or 2m`);
  }
  const dataDir = resolve(values.data);
  const pidFile = join(dataDir, 'steward.pid');
  if (!existsSync(pidFile)) {
    process.stderr.write(
      `no server running on ${dataDir} (no steward.pid); start one with: steward serve --data ${values.data}\n`,
    );
    return 1;
  }
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const store = openSqliteStore(dataDir);
  try {
    const before = store.getMeta('last_reload');
    try {
      process.kill(pid, 'SIGHUP');
    } catch {
      process.stderr.write(`the server (pid ${pid}) is not running; remove ${pidFile} if it is stale\n`);
      return 1;
    }
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await sleep(100);
      const now = store.getMeta('last_reload');
      if (now && now !== before) {
        const r = JSON.parse(now) as {
          ok: boolean;
          added: string[];
          removed: string[];
          changed: string[];
          errors?: string[];
        };
        if (r.ok) {
          process.stdout.write(
            `reloaded: ${r.added.length} added, ${r.removed.length} removed, ${r.changed.length} changed\n`,
          );
          return 0;
        }
        process.stderr.write(
          `reload refused; the server keeps its running configuration:\n${(r.errors ?? []).join('\n')}\n`,
        );
        return 1;
      }
    }
    process.stderr.write(
      `the server did not report a reload within ${values.timeout}; see its log (a large spec may need --timeout 2m)\n`,
    );
    return 1;
  } finally {
    store.close();
  }
}
