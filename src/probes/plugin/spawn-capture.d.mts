/** What to run: the resolved plugin path, its argv, and the limits. */
export interface SpawnRequest {
  path: string;
  args: readonly string[];
  timeoutMs: number;
  maxOutputBytes: number;
}

/** How a plugin process ended. */
export type SpawnOutcome =
  | {
      kind: 'exited';
      code: number | null;
      signal: NodeJS.Signals | null;
      stdout: string;
      stderr: string;
      /** Bytes of stdout beyond maxOutputBytes (0 when nothing was cut). */
      droppedBytes: number;
    }
  | { kind: 'killed'; reason: 'timeout' | 'aborted'; pid: number | undefined; partialStdout: string }
  | { kind: 'ENOENT' }
  | { kind: 'EACCES' }
  | { kind: 'spawn-error'; message: string };

export declare const KILL_GRACE_MS: number;

export declare function spawnCapture(request: SpawnRequest, signal?: AbortSignal): Promise<SpawnOutcome>;
