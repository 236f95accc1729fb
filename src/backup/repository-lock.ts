/**
 * One job at a time per repository, across Steward processes (`steward serve` and the CLI): a
 * lock file per repository holding the owner's pid. A lock whose process is gone is stale and
 * taken over. Within one process a queue orders the waiters.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const queues = new Map<string, Promise<void>>();

function tryTake(file: string): boolean {
  try {
    const fd = openSync(file, 'wx', 0o600);
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  let owner = Number.NaN;
  try {
    owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
  } catch {
    return false; // Removed meanwhile: try again on the next round.
  }
  if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) return false;
  rmSync(file, { force: true });
  return false;
}

/** Runs `work` holding the repository's lock; waits (up to timeoutMs) for another holder. */
export async function withRepositoryLock<T>(
  lockDir: string,
  repository: string,
  work: () => Promise<T>,
  options: { timeoutMs?: number; onWait?: (holderFile: string) => void } = {},
): Promise<T> {
  mkdirSync(lockDir, { recursive: true });
  const file = join(lockDir, `${repository}.lock`);
  const previous = queues.get(file) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => {
    release = r;
  });
  const chain = previous.then(() => mine);
  queues.set(file, chain);
  await previous;
  try {
    const deadline = Date.now() + (options.timeoutMs ?? 6 * 3_600_000);
    let waited = false;
    while (!tryTake(file)) {
      if (!waited) options.onWait?.(file);
      waited = true;
      if (Date.now() > deadline)
        throw new Error(
          `repository "${repository}" stayed busy with another backup job (lock ${file}); try again later`,
        );
      await sleep(200);
    }
    try {
      return await work();
    } finally {
      rmSync(file, { force: true });
    }
  } finally {
    release();
    if (queues.get(file) === chain) queues.delete(file);
  }
}
