import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import type { CheckResult, PluginProbe, ServiceState } from '../../core/index.ts';
import { probeResult, seconds2, timedOutResult } from '../probe-result.ts';
import { MAX_PLUGIN_OUTPUT_BYTES, resultFromPluginExit } from './plugin-exit.ts';
import {
  cachedPluginPath,
  forgetPluginPath,
  isBareCommand,
  missingPathMessage,
  notExecutableMessage,
  resolvePlugin,
} from './resolve-plugin.ts';

export interface PluginRunContext {
  timeoutMs: number;
  timeoutState: ServiceState;
  hostName: string;
  pluginDirs: readonly string[];
  /** "Service" or "Host", as in Nagios' timeout message. */
  objectWord: 'Service' | 'Host';
  signal?: AbortSignal;
}

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
const SPAWN_OPTIONS: SpawnOptions = { detached: true, stdio: ['ignore', 'pipe', 'pipe'] };

/** Output capped at MAX_PLUGIN_OUTPUT_BYTES; the rest is counted and dropped. */
class CappedOutput {
  chunks: Buffer[] = [];
  kept = 0;
  dropped = 0;

  add(chunk: Buffer): void {
    const room = MAX_PLUGIN_OUTPUT_BYTES - this.kept;
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

  text(): string {
    if (this.chunks.length === 0) return '';
    const buffer = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.kept);
    const text = buffer.toString('utf8');
    // NUL bytes end C strings; Nagios strips them (lib/worker.c strip_nul_bytes), so do we.
    return text.includes('\0') ? text.replaceAll('\0', '') : text;
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the whole group is already gone.
  }
}

/**
 * Runs a Nagios plugin: never a shell, own process group, output capped, killed (group-wide) at
 * the timeout. Resolves with a CheckResult for every outcome, never rejects.
 */
export async function runPlugin(probe: PluginProbe, ctx: PluginRunContext): Promise<CheckResult> {
  const startedAt = Date.now();
  const bare = isBareCommand(probe.command);
  // The common case (a path already known) goes straight to spawn, without awaiting a lookup.
  const known = bare ? cachedPluginPath(probe.command, ctx.pluginDirs) : probe.command;
  const location =
    known !== undefined
      ? { ok: true as const, path: known }
      : await resolvePlugin(probe.command, ctx.pluginDirs);
  if (!location.ok) return probeResult(3, location.error, startedAt);
  const outcome = await spawnPlugin(location.path, probe.args, ctx, startedAt);
  if (outcome !== 'ENOENT') return outcome;
  if (bare) {
    // The cached path vanished (plugin removed or moved): look it up again, once.
    forgetPluginPath(probe.command, ctx.pluginDirs);
    const again = await resolvePlugin(probe.command, ctx.pluginDirs);
    if (!again.ok) return probeResult(3, again.error, startedAt);
    const retried = await spawnPlugin(again.path, probe.args, ctx, startedAt);
    if (retried !== 'ENOENT') return retried;
    forgetPluginPath(probe.command, ctx.pluginDirs);
    return probeResult(3, await missingPathMessage(again.path), startedAt);
  }
  return probeResult(3, await missingPathMessage(location.path), startedAt);
}

function spawnPlugin(
  path: string,
  args: readonly string[],
  ctx: PluginRunContext,
  startedAt: number,
): Promise<CheckResult | 'ENOENT'> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(path, args, SPAWN_OPTIONS);
    } catch (error) {
      resolve(probeResult(3, `could not start plugin ${path}: ${(error as Error).message}`, startedAt));
      return;
    }
    const stdout = new CappedOutput();
    const stderr = new CappedOutput();
    let finished = false;
    let exitCode: number | null = null;
    let exitSignal: NodeJS.Signals | null = null;
    let exited = false;
    let killReason: 'timeout' | 'aborted' | null = null;
    let drainTimer: NodeJS.Timeout | undefined;
    let graceTimer: NodeJS.Timeout | undefined;

    const finish = (result: CheckResult | 'ENOENT'): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timeoutTimer);
      if (drainTimer) clearTimeout(drainTimer);
      ctx.signal?.removeEventListener('abort', onAbort);
      // Our ends of the pipes go now, whoever else still holds the other ends.
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve(result);
    };

    const finishKilled = (): void => {
      const elapsed = Date.now() - startedAt;
      const partial = stdout.text().trim();
      const how = `${path} (process group ${child.pid}) was sent SIGTERM, then SIGKILL after ${KILL_GRACE_MS} ms if still running`;
      const longOutput = partial === '' ? how : `${how}\nPartial output: ${partial}`;
      if (killReason === 'aborted') {
        finish(probeResult(3, `(Check cancelled after ${seconds2(elapsed)} seconds)`, startedAt, longOutput));
      } else {
        finish(
          timedOutResult(
            ctx.timeoutState,
            `(${ctx.objectWord} check timed out after ${seconds2(elapsed)} seconds)`,
            startedAt,
            longOutput,
          ),
        );
      }
    };

    const finishExited = (): void => {
      if (killReason) {
        finishKilled();
        return;
      }
      finish(
        resultFromPluginExit({
          path,
          hostName: ctx.hostName,
          code: exitCode,
          signal: exitSignal,
          stdout: stdout.text(),
          stderr: stderr.text(),
          droppedBytes: stdout.dropped,
          startedAt,
        }),
      );
    };

    const kill = (reason: 'timeout' | 'aborted'): void => {
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

    const onAbort = (): void => kill('aborted');
    const timeoutTimer = setTimeout(kill, ctx.timeoutMs, 'timeout');
    if (ctx.signal) {
      if (ctx.signal.aborted) queueMicrotask(onAbort);
      else ctx.signal.addEventListener('abort', onAbort, { once: true });
    }

    child.stdout?.on('data', (chunk: Buffer) => stdout.add(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.add(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (graceTimer) clearTimeout(graceTimer);
      if (error.code === 'ENOENT') finish('ENOENT');
      else if (error.code === 'EACCES') finish(probeResult(3, notExecutableMessage(path), startedAt));
      else if (child.pid === undefined) {
        finish(
          probeResult(
            3,
            `could not start plugin ${path}: ${error.code ?? error.message} — ${error.message}`,
            startedAt,
          ),
        );
      }
      // Errors after a successful spawn (e.g. a failed kill) change nothing: exit/close follow.
    });
    child.on('exit', (code, signal) => {
      exited = true;
      exitCode = code;
      exitSignal = signal;
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
