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
import { KILL_GRACE_MS, spawnCapture } from './spawn-capture.mjs';
import type { PluginSpawnerPool, PluginSpawnerStats } from './spawner-pool.ts';

export { KILL_GRACE_MS };

export interface PluginRunContext {
  timeoutMs: number;
  timeoutState: ServiceState;
  hostName: string;
  pluginDirs: readonly string[];
  /** "Service" or "Host", as in Nagios' timeout message. */
  objectWord: 'Service' | 'Host';
  signal?: AbortSignal;
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

let spawnerPool: PluginSpawnerPool | undefined;

/**
 * Where plugins are forked from: a pool of spawner processes (what `steward serve`
 * uses), or this process itself when `undefined` (the CLI's one-off checks, tests).
 */
export function usePluginSpawnerPool(pool: PluginSpawnerPool | undefined): void {
  spawnerPool = pool;
}

/** The active spawner pool's numbers, for /metrics; undefined when plugins fork in-process. */
export function pluginSpawnerStats(): PluginSpawnerStats | undefined {
  return spawnerPool?.stats();
}

async function spawnPlugin(
  path: string,
  args: readonly string[],
  ctx: PluginRunContext,
  startedAt: number,
): Promise<CheckResult | 'ENOENT'> {
  const request = { path, args, timeoutMs: ctx.timeoutMs, maxOutputBytes: MAX_PLUGIN_OUTPUT_BYTES };
  const outcome = await (spawnerPool
    ? spawnerPool.run(request, ctx.signal)
    : spawnCapture(request, ctx.signal));
  switch (outcome.kind) {
    case 'ENOENT':
      return 'ENOENT';
    case 'EACCES':
      return probeResult(3, notExecutableMessage(path), startedAt);
    case 'spawn-error':
      return probeResult(3, `could not start plugin ${path}: ${outcome.message}`, startedAt);
    case 'exited':
      return resultFromPluginExit({ path, hostName: ctx.hostName, ...outcome, startedAt });
    case 'killed': {
      const elapsed = Date.now() - startedAt;
      const partial = outcome.partialStdout.trim();
      const how = `${path} (process group ${outcome.pid}) was sent SIGTERM, then SIGKILL after ${KILL_GRACE_MS} ms if still running`;
      const longOutput = partial === '' ? how : `${how}\nPartial output: ${partial}`;
      if (outcome.reason === 'aborted')
        return probeResult(3, `(Check cancelled after ${seconds2(elapsed)} seconds)`, startedAt, longOutput);
      return timedOutResult(
        ctx.timeoutState,
        `(${ctx.objectWord} check timed out after ${seconds2(elapsed)} seconds)`,
        startedAt,
        longOutput,
      );
    }
  }
}
