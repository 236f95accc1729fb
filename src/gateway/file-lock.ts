import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function holderAlive(lockFile: string): boolean {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` holding `<file>.lock` (created with O_EXCL, holding our pid), so two `steward access
 * grant` runs at the same moment cannot both read the old grants and each write back a list
 * without the other's grant. A lock left by a process that died is taken over; one held longer
 * than `timeoutMs` by a live process is an error that says which file to look at.
 */
export function withFileLock<T>(file: string, fn: () => T, timeoutMs = 10_000): T {
  const lockFile = `${file}.lock`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let young = true;
      try {
        young = Date.now() - statSync(lockFile).mtimeMs < 2_000;
      } catch {
        continue; // released between our open and stat: try again at once
      }
      // a just-created lock may not have its pid written yet: only judge older ones
      if (!young && !holderAlive(lockFile)) {
        rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${lockFile} is held by another steward process; wait for it, or remove the file if no steward access command is running`,
        );
      }
      Atomics.wait(sleeper, 0, 0, 20);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lockFile, { force: true });
  }
}
