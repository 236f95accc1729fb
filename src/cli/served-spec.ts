import { existsSync } from 'node:fs';
import type { Store } from '../store/index.ts';
import { DEFAULT_SPEC } from './args.ts';

/** Store meta key: the absolute path of the spec `steward serve` runs on this data directory. */
export const SERVED_SPEC = 'served_spec';

/**
 * The spec of a command that reads a server's data directory: --spec when given, else the one the
 * server of that directory runs (so `steward status` beside `npm start` needs no --spec), else
 * steward.yaml when present.
 */
export function specOfDataDir(
  explicit: string | undefined,
  store: Pick<Store, 'getMeta'>,
): string | undefined {
  if (explicit !== undefined) return explicit;
  const served = store.getMeta(SERVED_SPEC);
  if (served && existsSync(served)) return served;
  return existsSync(DEFAULT_SPEC) ? DEFAULT_SPEC : undefined;
}
