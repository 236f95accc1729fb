import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TotpStepStore } from './config.ts';

/** Where the gateway keeps each user's last accepted TOTP step under `--data DIR`. */
export function totpStepsFile(dataDir: string): string {
  return join(dataDir, 'gateway', 'totp-steps.json');
}

/**
 * Each user's last accepted TOTP step, kept in a file so that a code seen once (shoulder-surfed,
 * phished) cannot be replayed right after a gateway restart. Read once at start; every login
 * rewrites the file atomically. A write that fails is reported through `onError` and the step is
 * still remembered in memory: refusing logins because the disk is full would lock operators out
 * during exactly the incident they log in for.
 */
export function fileTotpSteps(file: string, onError?: (err: Error) => void): TotpStepStore {
  const steps = new Map<string, number>();
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    for (const [user, step] of Object.entries(parsed)) {
      if (typeof step === 'number' && Number.isInteger(step)) steps.set(user, step);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      // An unreadable file must not let codes be replayed: start every user from "now".
      onError?.(new Error(`${file} is unreadable (${(err as Error).message}); codes before now are refused`));
      const nowStep = Math.floor(Date.now() / 30_000);
      return fileTotpStepsFrom(file, new Map(), nowStep, onError);
    }
  }
  return fileTotpStepsFrom(file, steps, -1, onError);
}

function fileTotpStepsFrom(
  file: string,
  steps: Map<string, number>,
  floor: number,
  onError?: (err: Error) => void,
): TotpStepStore {
  return {
    get: (user) => {
      const step = steps.get(user);
      return floor < 0 ? step : Math.max(step ?? floor, floor);
    },
    set: (user, step) => {
      steps.set(user, step);
      try {
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, `${JSON.stringify(Object.fromEntries(steps))}\n`, { mode: 0o600 });
        renameSync(tmp, file);
      } catch (err) {
        onError?.(err as Error);
      }
    },
  };
}
