import { type ChildProcess, fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { KILL_GRACE_MS, type SpawnOutcome, type SpawnRequest } from './spawn-capture.mjs';

/**
 * How long past its own timeout (plus the kill grace) a plugin may stay unanswered before the pool
 * gives up on the spawner process's answer.
 */
const ANSWER_SLACK_MS = 5_000;

/** Small heap, no type stripper: a spawner process stays around 40–50 MB RSS. */
const SPAWNER_EXEC_ARGV = ['--optimize-for-size', '--max-old-space-size=64'];

/**
 * How many spawners `steward serve` allows by default. Forking is mostly kernel time, so two per
 * CPU keep a 2-core machine at 1,000 plugin checks/s on time (one per CPU fell ~5 % behind);
 * more than four gain nothing here. Spawners start only when the ones running are all busy.
 */
export function defaultPluginSpawners(): number {
  return Math.min(4, 2 * availableParallelism());
}

interface Pending {
  resolve: (outcome: SpawnOutcome) => void;
  cleanup: () => void;
}

interface Spawner {
  child: ChildProcess;
  pending: Map<number, Pending>;
}

export interface PluginSpawnerStats {
  processes: number;
  inFlight: number;
  /** Spawner processes that died and were replaced. */
  restarts: number;
}

/**
 * Runs plugins in a few small child processes instead of the server itself. Node forks every
 * plugin from the calling process: from a server with a 150 MB RSS that is ~250 forks/s on this
 * class of machine and the event loop stalls during each fork; from a 45 MB spawner it is ~3×
 * that, in parallel across spawners, and the server's loop never stalls. Processes start on first
 * use; one that dies is replaced, and its checks in flight end UNKNOWN with the reason.
 */
export class PluginSpawnerPool {
  readonly #size: number;
  readonly #spawners: Spawner[] = [];
  #nextId = 1;
  #restarts = 0;
  #stopped = false;

  constructor(processes: number) {
    if (!Number.isInteger(processes) || processes < 1)
      throw new Error(`plugin spawner processes must be a positive integer, got ${processes}`);
    this.#size = processes;
  }

  stats(): PluginSpawnerStats {
    let inFlight = 0;
    for (const spawner of this.#spawners) inFlight += spawner.pending.size;
    return { processes: this.#spawners.length, inFlight, restarts: this.#restarts };
  }

  run(request: SpawnRequest, signal?: AbortSignal): Promise<SpawnOutcome> {
    if (this.#stopped) return Promise.resolve({ kind: 'spawn-error', message: 'Steward is shutting down' });
    const spawner = this.#pick();
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const onAbort = (): void => {
        if (spawner.child.connected) spawner.child.send({ t: 'abort', id });
      };
      const giveUp = setTimeout(
        () =>
          settle({
            kind: 'spawn-error',
            message: `plugin spawner process ${spawner.child.pid} did not answer within ${request.timeoutMs + KILL_GRACE_MS + ANSWER_SLACK_MS} ms`,
          }),
        request.timeoutMs + KILL_GRACE_MS + ANSWER_SLACK_MS,
      );
      const cleanup = (): void => {
        clearTimeout(giveUp);
        signal?.removeEventListener('abort', onAbort);
        spawner.pending.delete(id);
        if (spawner.pending.size === 0) spawner.child.channel?.unref();
      };
      const settle = (outcome: SpawnOutcome): void => {
        if (!spawner.pending.has(id)) return;
        cleanup();
        resolve(outcome);
      };
      if (spawner.pending.size === 0) spawner.child.channel?.ref();
      spawner.pending.set(id, { resolve: settle, cleanup });
      spawner.child.send({ t: 'run', id, request });
      if (signal) {
        if (signal.aborted) queueMicrotask(onAbort);
        else signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }

  /** Disconnects the spawners; they stop their plugins and exit. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const exits = this.#spawners.map(
      (spawner) =>
        new Promise<void>((resolve) => {
          if (spawner.child.exitCode !== null || spawner.child.signalCode !== null) resolve();
          else {
            // Referenced while we wait, or an otherwise idle process would quit before the exit.
            spawner.child.ref();
            spawner.child.once('exit', () => resolve());
          }
        }),
    );
    for (const spawner of this.#spawners) {
      if (spawner.child.connected) spawner.child.disconnect();
    }
    await Promise.all(exits);
  }

  /** The least busy spawner, starting a new one while the pool is not full. */
  #pick(): Spawner {
    let best: Spawner | undefined;
    for (const spawner of this.#spawners) {
      if (best === undefined || spawner.pending.size < best.pending.size) best = spawner;
    }
    if (best !== undefined && (best.pending.size === 0 || this.#spawners.length >= this.#size)) return best;
    return this.#start();
  }

  #start(): Spawner {
    const child = fork(new URL('./spawner-process.mjs', import.meta.url), [], {
      execArgv: SPAWNER_EXEC_ARGV,
      serialization: 'json',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const spawner: Spawner = { child, pending: new Map() };
    child.unref();
    child.channel?.unref();
    child.on('message', (message: { id: number; outcome: SpawnOutcome }) => {
      spawner.pending.get(message.id)?.resolve(message.outcome);
    });
    child.on('exit', (code, signal) => {
      const index = this.#spawners.indexOf(spawner);
      if (index >= 0) this.#spawners.splice(index, 1);
      if (!this.#stopped) this.#restarts++;
      const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
      for (const pending of [...spawner.pending.values()]) {
        pending.resolve({
          kind: 'spawn-error',
          message: `plugin spawner process ${child.pid} ${how} while the plugin ran; its outcome is unknown`,
        });
      }
    });
    // An IPC error (e.g. EPIPE as the process dies) is followed by 'exit', which settles the checks.
    child.on('error', () => {});
    this.#spawners.push(spawner);
    return spawner;
  }
}
