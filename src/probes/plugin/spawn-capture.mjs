// Plain JavaScript on purpose: the plugin spawner processes (spawner-process.mjs) load this file,
// and a .ts file would make each of them load Node's type stripper (~40 MB RSS).
import { spawn } from 'node:child_process';

/** After SIGTERM on timeout, how long the process group gets before SIGKILL. */
export const KILL_GRACE_MS = 500;
/**
 * After the plugin itself exited, how long to keep reading output that is still in the pipe. A
 * child the plugin left running can hold the pipe open for ever; Nagios does not wait for it.
 */
const DRAIN_AFTER_EXIT_MS = 100;

/**
 * One options object for every spawn: no shell (arguments go to execve as they are), stdin closed,
 * and detached so the plugin leads its own process group, which a timeout kills as a whole
 * (plugins fork: sh -c, ssh, snmpget ...).
 */
const SPAWN_OPTIONS = { detached: true, stdio: ['ignore', 'pipe', 'pipe'] };

/** Output capped at `limit` bytes; the rest is counted and dropped. */
class CappedOutput {
  chunks = [];
  kept = 0;
  dropped = 0;

  constructor(limit) {
    this.limit = limit;
  }

  add(chunk) {
    const room = this.limit - this.kept;
    if (room <= 0) {
      this.dropped += chunk.length;
      return;
    }
    if (chunk.length > room) {
      this.chunks.push(chunk.subarray(0, room));
      this.kept += room;
      this.dropped += chunk.length - room;
      return;
    }
    this.chunks.push(chunk);
    this.kept += chunk.length;
  }

  text() {
    if (this.chunks.length === 0) return '';
    const buffer = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.kept);
    const text = buffer.toString('utf8');
    // NUL bytes end C strings; Nagios strips them (lib/worker.c strip_nul_bytes), so do we.
    return text.includes('\0') ? text.replaceAll('\0', '') : text;
  }
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the whole group is already gone.
  }
}

/**
 * Runs one plugin process: never a shell, own process group, output capped, the whole group killed
 * at the timeout or on abort. Resolves with how it ended (see spawn-capture.d.mts), never rejects.
 */
export function spawnCapture(request, signal) {
  const { path, args, timeoutMs, maxOutputBytes } = request;
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(path, args, SPAWN_OPTIONS);
    } catch (error) {
      resolve({ kind: 'spawn-error', message: error.message });
      return;
    }
    const stdout = new CappedOutput(maxOutputBytes);
    const stderr = new CappedOutput(maxOutputBytes);
    let finished = false;
    let exitCode = null;
    let exitSignal = null;
    let exited = false;
    let killReason = null;
    let drainTimer;
    let graceTimer;

    const finish = (outcome) => {
      if (finished) return;
      finished = true;
      clearTimeout(timeoutTimer);
      if (drainTimer) clearTimeout(drainTimer);
      signal?.removeEventListener('abort', onAbort);
      // Our ends of the pipes go now, whoever else still holds the other ends.
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve(outcome);
    };

    const finishKilled = () =>
      finish({
        kind: 'killed',
        reason: killReason ?? 'timeout',
        pid: child.pid,
        partialStdout: stdout.text(),
      });

    const finishExited = () => {
      if (killReason) {
        finishKilled();
        return;
      }
      finish({
        kind: 'exited',
        code: exitCode,
        signal: exitSignal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        droppedBytes: stdout.dropped,
      });
    };

    const kill = (reason) => {
      if (finished || killReason) return;
      killReason = reason;
      const pid = child.pid;
      if (pid === undefined) {
        finishKilled();
        return;
      }
      if (exited) {
        // The plugin itself exited in time; only a child of it still holds the pipe.
        killReason = null;
        finishExited();
        return;
      }
      killGroup(pid, 'SIGTERM');
      // SIGKILL the group after the grace even when the plugin itself obeyed SIGTERM: its children
      // may not have. The result does not wait for this timer.
      graceTimer = setTimeout(() => {
        killGroup(pid, 'SIGKILL');
        finishKilled();
      }, KILL_GRACE_MS);
    };

    const onAbort = () => kill('aborted');
    const timeoutTimer = setTimeout(kill, timeoutMs, 'timeout');
    if (signal) {
      if (signal.aborted) queueMicrotask(onAbort);
      else signal.addEventListener('abort', onAbort, { once: true });
    }

    child.stdout?.on('data', (chunk) => stdout.add(chunk));
    child.stderr?.on('data', (chunk) => stderr.add(chunk));
    child.on('error', (error) => {
      if (graceTimer) clearTimeout(graceTimer);
      if (error.code === 'ENOENT') finish({ kind: 'ENOENT' });
      else if (error.code === 'EACCES') finish({ kind: 'EACCES' });
      else if (child.pid === undefined) {
        finish({ kind: 'spawn-error', message: `${error.code ?? error.message} — ${error.message}` });
      }
      // Errors after a successful spawn (e.g. a failed kill) change nothing: exit/close follow.
    });
    child.on('exit', (code, exitedBy) => {
      exited = true;
      exitCode = code;
      exitSignal = exitedBy;
      if (killReason) {
        // Killed by us: report now; the grace timer still SIGKILLs what is left of the group.
        finishKilled();
        return;
      }
      // Usually the pipes are closed already and 'close' follows at once; otherwise give what is
      // still in the pipe a moment to arrive.
      const pipesOpen = child.stdout?.closed === false || child.stderr?.closed === false;
      if (!finished && pipesOpen) drainTimer = setTimeout(finishExited, DRAIN_AFTER_EXIT_MS);
    });
    child.on('close', () => {
      if (exited) finishExited();
    });
  });
}
